import { test, expect, Page, TestInfo } from '@playwright/test';
import { ADMIN, MANAGER, jsEnabled, login, ready, unique } from './helpers';

// What a manager relies on day to day: destructive actions ask first and name the code,
// times read like time, Copy tells the truth, the chips add up, the view exports as CSV,
// the audit log reads in sentences, and the bulk import cannot be sent twice.

/** A fresh Active code for `email`, created through the API with the page's session. */
async function newCode(page: Page, body: Record<string, unknown>) {
  const res = await page.request.post('/api/v1/invitations', { data: body });
  expect(res.status()).toBe(201);
  return (await res.json()) as { id: number; code: string };
}

/** Answers the confirmation: a modal dialog when hydrated, a page of its own without JS. */
async function confirm(page: Page, info: TestInfo, title: RegExp, button: string) {
  if (jsEnabled(info)) {
    const dialog = page.getByRole('dialog', { name: title });
    await expect(dialog).toBeVisible();
    // Cancel comes first and has the focus: Enter on a stray key press changes nothing.
    await expect(dialog.getByRole('button', { name: 'Cancel' })).toBeFocused();
    await dialog.getByRole('button', { name: button, exact: true }).click();
  } else {
    await expect(page).toHaveURL(/\/confirm/);
    await expect(page.getByRole('heading', { name: title })).toBeVisible();
    await page.getByRole('button', { name: button, exact: true }).click();
  }
}

test('revoke and delete ask first, naming the code and what follows; Cancel keeps the code', async ({ page }, info) => {
  await login(page, info, ADMIN);
  const email = `${unique('confirm')}@example.com`;
  const inv = await newCode(page, { email, division: 'sales' });
  await page.goto(`/invitations?q=${encodeURIComponent(email)}`);
  await ready(page, info);
  const row = page.locator('tbody tr').filter({ hasText: inv.code });

  // Cancel: nothing happens.
  await row.getByRole('button', { name: /Revoke/ }).click();
  if (jsEnabled(info)) {
    const dialog = page.getByRole('dialog', { name: `Revoke ${inv.code}?` });
    await expect(dialog).toContainText('cannot be undone');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await expect(dialog).toBeHidden();
  } else {
    await expect(page.getByRole('heading', { name: `Revoke ${inv.code}?` })).toBeVisible();
    await expect(page.getByText('cannot be undone')).toBeVisible();
    await page.getByRole('link', { name: 'Cancel' }).click();
    await expect(page).toHaveURL(/\/invitations\?q=/);
  }
  await expect(page.locator('tbody tr').filter({ hasText: inv.code }).getByText('Active')).toBeVisible();

  // Confirm: revoked, and the list says so.
  await page.locator('tbody tr').filter({ hasText: inv.code }).getByRole('button', { name: /Revoke/ }).click();
  await confirm(page, info, new RegExp(`Revoke ${inv.code}\\?`), 'Revoke code');
  await expect(page.getByText('The invitation was revoked')).toBeVisible();
  await expect(page.locator('tbody tr').filter({ hasText: inv.code }).getByText('Revoked')).toBeVisible();

  // Delete, confirmed: the code leaves the list.
  await page.locator('tbody tr').filter({ hasText: inv.code }).getByRole('button', { name: /Delete/ }).click();
  await confirm(page, info, new RegExp(`Delete ${inv.code}\\?`), 'Delete code');
  await expect(page.getByText('The invitation was deleted')).toBeVisible();
  await expect(page.locator('tbody tr').filter({ hasText: inv.code })).toHaveCount(0);
  await page.screenshot({ path: `artifacts/confirmed-${info.project.name}.png`, fullPage: true });
});

test('disabling a person asks first and can be undone from the notice', async ({ page, playwright }, info) => {
  await login(page, info, ADMIN);
  const inv = await newCode(page, { division: 'sales' });
  const username = unique('temp').replace(/-/g, '.');
  // The new hire joins in a browser of their own (redeeming signs them in there).
  const newcomer = await playwright.request.newContext({ baseURL: new URL(page.url()).origin });
  const joined = await newcomer.post('/api/v1/redeem', {
    data: { code: inv.code, username, password: 'a-long-enough-passphrase-42' },
  });
  expect(joined.status()).toBe(201);
  await newcomer.dispose();
  await page.goto('/admin/users');
  await ready(page, info);
  const row = page.locator('tbody tr').filter({ hasText: username });
  await row.getByRole('button', { name: /Disable/ }).click();
  await confirm(page, info, new RegExp(`Disable ${username}\\?`), 'Disable account');
  await expect(page.getByText(`${username} was disabled`, { exact: false })).toBeVisible();
  await page.getByRole('button', { name: new RegExp(`Undo.*${username}`) }).click();
  await expect(page.locator('tbody tr').filter({ hasText: username }).getByText('Active')).toBeVisible();
});

test('times read like time: "in 7 days" beside the date, in both languages', async ({ page }, info) => {
  await login(page, info, MANAGER);
  const email = `${unique('rel')}@example.com`;
  await newCode(page, { email });
  await page.goto(`/invitations?q=${encodeURIComponent(email)}`);
  await ready(page, info);
  const when = page.locator('tbody tr').first().locator('td[data-label="Expires"] time');
  await expect(when.locator('.rel')).toHaveText(/^in 7 days$/);
  await expect(when).toHaveAttribute('title', /Z$/);
  await page.context().addCookies([{ name: 'onboard_lang', value: 'id', domain: '127.0.0.1', path: '/' }]);
  await page.reload();
  await ready(page, info);
  await expect(page.locator('tbody tr').first().locator('time .rel')).toHaveText(/^dalam 7 hari$/);
  await page.context().clearCookies({ name: 'onboard_lang' });
});

test('a refused clipboard says so and selects the code', async ({ page }, info) => {
  test.skip(!jsEnabled(info), 'the clipboard is a JavaScript feature; without it Copy records and the page shows the code');
  await page.addInitScript(() => {
    Object.defineProperty(navigator, 'clipboard', {
      value: { writeText: () => Promise.reject(new DOMException('denied', 'NotAllowedError')) },
    });
  });
  await login(page, info, MANAGER);
  const inv = await newCode(page, {});
  await page.goto(`/invitations?q=${inv.code}`);
  await ready(page, info);
  const row = page.locator('tbody tr').filter({ hasText: inv.code });
  await row.getByRole('button', { name: /Copy/ }).click();
  await expect(row.getByRole('button', { name: /Press Ctrl\+C/ })).toBeVisible();
  await expect(row.getByRole('status')).toContainText('did not allow copying');
  expect(await page.evaluate(() => window.getSelection()?.toString())).toBe(inv.code);
});

test("a manager's status chips add up to All, and Export CSV gives exactly the view", async ({ page }, info) => {
  await login(page, info, MANAGER);
  await page.goto('/invitations');
  await ready(page, info);
  const chips = page.getByRole('navigation', { name: 'Invitations by status' }).getByRole('link');
  const texts = await chips.allTextContents();
  const n = (t: string) => Number(t.trim().split(/\s+/).pop());
  const all = n(texts[0]);
  const parts = texts.slice(1).map(n);
  expect(texts.map((t) => t.trim().replace(/\s+\d+$/, ''))).toEqual(['All', 'Active', 'Used', 'Expired', 'Revoked', 'Suspended']);
  expect(parts.reduce((a, b) => a + b, 0)).toBe(all);

  // The export link carries the view; the file has one row per code in it.
  await page.goto('/invitations?status=active');
  await ready(page, info);
  const active = n((await chips.filter({ hasText: 'Active' }).textContent())!);
  const link = page.getByRole('link', { name: 'Export CSV' });
  await expect(link).toHaveAttribute('href', '/invitations/export.csv?status=active');
  const csv = await page.request.get((await link.getAttribute('href'))!);
  expect(csv.status()).toBe(200);
  expect(csv.headers()['content-type']).toContain('text/csv');
  const lines = (await csv.text()).trim().split('\n');
  expect(lines[0]).toContain('code');
  expect(lines.length - 1).toBe(active);
});

test('the audit log reads in sentences, links the code, and keeps the raw fields folded', async ({ page }, info) => {
  await login(page, info, MANAGER);
  const email = `${unique('said')}@example.com`;
  const inv = await newCode(page, { email });
  await page.goto('/audit?action=invitation.created');
  await ready(page, info);
  const row = page.locator('tbody tr').filter({ hasText: email });
  // The expiry is read from the event's details and written as a date ("expires 14 Dec 2026").
  await expect(row).toContainText(new RegExp(`maya created an invitation for ${email.replace(/[.]/g, '\\.')} \\(Staff, expires \\d{1,2} [A-Z][a-z]{2} \\d{4}\\)`));
  await expect(row.getByRole('cell').nth(2)).toHaveText('Invitation created');
  await expect(row.getByRole('link', { name: inv.code })).toHaveAttribute('href', `/invitations/${inv.id}`);
  const fields = row.locator('details.fields');
  await expect(fields.locator('.raw')).toBeHidden();
  await fields.locator('summary').click();
  await expect(fields.locator('.raw')).toContainText('"email_bound":true');
  // The action filter names actions in words.
  await expect(page.getByLabel('Action').locator('option[value="invitation.created"]')).toHaveText('Invitation created');

  await page.context().addCookies([{ name: 'onboard_lang', value: 'id', domain: '127.0.0.1', path: '/' }]);
  await page.reload();
  await expect(page.locator('tbody tr').filter({ hasText: email })).toContainText(`maya membuat undangan untuk ${email} (Staf, berlaku sampai`);
  await page.context().clearCookies({ name: 'onboard_lang' });
  await page.screenshot({ path: `artifacts/audit-sentences-${info.project.name}.png`, fullPage: true });
});

test('empty tables say why and offer the next step', async ({ page }, info) => {
  await login(page, info, MANAGER);
  await page.goto('/invitations?q=nothing-matches-this-at-all');
  await expect(page.getByText('No invitations match this view.')).toBeVisible();
  await page.getByRole('link', { name: 'Clear filters' }).click();
  await expect(page).toHaveURL(/\/invitations$/);
  await page.goto('/audit?actor=nobody-by-this-name');
  await expect(page.getByText('No events match these filters.')).toBeVisible();
  await expect(page.getByRole('link', { name: 'Clear filters' })).toHaveAttribute('href', '/audit');
});

test('"/" focuses the search box', async ({ page }, info) => {
  test.skip(!jsEnabled(info), 'a keyboard shortcut needs JavaScript');
  await login(page, info, MANAGER);
  await page.goto('/invitations');
  await ready(page, info);
  await page.locator('h1').click();
  await page.keyboard.press('/');
  await expect(page.getByLabel('Search')).toBeFocused();
  // Typing a slash into a field types a slash.
  await page.keyboard.type('a/b');
  await expect(page.getByLabel('Search')).toHaveValue('a/b');
});

test('the bulk import shows progress and cannot be sent twice', async ({ page }, info) => {
  test.skip(!jsEnabled(info), 'without JavaScript the browser itself shows the page loading');
  await login(page, info, ADMIN);
  await page.goto('/admin/bulk');
  await ready(page, info);
  const tag = unique('busy');
  await page.getByLabel('Or paste CSV').fill(`email,role,division,expires_at\n${tag}@example.com,staff,sales,\n`);
  // Watch the form the moment it is sent: a first listener keeps this one submission from
  // leaving, so the state the person sees while waiting stays on screen to be read.
  await page.evaluate(() => {
    const form = document.querySelector('form[action="/admin/bulk"]') as HTMLFormElement;
    form.addEventListener('submit', (e) => e.preventDefault(), { once: true });
  });
  const check = page.getByRole('button', { name: 'Check rows (dry run)' });
  await check.click();
  await expect(check).toBeDisabled();
  await expect(page.getByRole('status').filter({ hasText: 'Checking the file…' })).toBeVisible();
  await expect(page.locator('progress.busy-bar')).toBeVisible();
  // Then the form goes for real, once.
  await page.evaluate(() => (document.querySelector('form[action="/admin/bulk"]') as HTMLFormElement).submit());
  await expect(page.getByRole('button', { name: 'Create 1 invitation' })).toBeVisible();
  await page.getByRole('button', { name: 'Create 1 invitation' }).click();
  await expect(page.getByText('1 invitation created.')).toBeVisible();
  // Sending the same commit again shows the batch, not a second one.
  const url = page.url();
  const again = await page.request.post(url.replace(/\/admin\/bulk\?upload=(\d+).*/, '/admin/bulk/$1/commit'), { maxRedirects: 0 });
  expect(again.status()).toBe(303);
  expect(again.headers()['location']).not.toContain('error=');
  const list = await page.request.get(`/api/v1/invitations?q=${tag}`);
  expect((await list.json()).total).toBe(1);
});
