import { test, expect } from '@playwright/test';
import { jsEnabled, login, MANAGER, OTHER_MANAGER, ready, STAFF, unique } from './helpers';

test('a manager creates an email-bound invitation, copies it, filters and shares the view', async ({ page, context }, info) => {
  const js = jsEnabled(info);
  if (js) await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await login(page, info, MANAGER);
  await ready(page, info);

  await page.getByRole('button', { name: 'Create Invitation' }).click();
  const dialog = page.getByRole('dialog', { name: 'Create Invitation' });
  await expect(dialog).toBeVisible();
  await expect(dialog.getByLabel('Role')).toHaveValue('Staff');
  await expect(dialog.getByText('Managers can only invite staff')).toBeVisible();
  await info.attach('create-dialog', { body: await page.screenshot(), contentType: 'image/png' });
  await page.screenshot({ path: `artifacts/dialog-${info.project.name}.png` });

  // A bad email is explained next to the field and what was typed stays.
  await dialog.getByLabel('Email').fill('not-an-email');
  await dialog.getByRole('button', { name: 'Create', exact: true }).click();
  const dialog2 = page.getByRole('dialog', { name: 'Create Invitation' });
  await expect(dialog2.getByText('Enter a valid email address.')).toBeVisible();
  await expect(dialog2.getByLabel('Email')).toHaveValue('not-an-email');

  const email = `${unique('hire')}@example.com`;
  await dialog2.getByLabel('Email').fill(email);
  await dialog2.getByRole('button', { name: 'Create', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Invitation created' })).toBeVisible();
  const code = (await page.locator('.created .code').textContent())!.trim();
  expect(code).toMatch(/^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/);

  // It is Active at the top of the list.
  const firstRow = page.locator('tbody tr').first();
  await expect(firstRow).toContainText(code);
  await expect(firstRow).toContainText(email);
  await expect(firstRow.getByText('Active')).toBeVisible();
  await expect(firstRow.locator('time')).toHaveAttribute('datetime', /Z$/);

  // Copy.
  await firstRow.getByRole('button', { name: /Copy/ }).click();
  if (js) {
    await expect(firstRow.getByRole('button', { name: /Copied/ })).toBeVisible();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(code);
  } else {
    await expect(page.getByText('Copy recorded')).toBeVisible();
  }

  await page.screenshot({ path: `artifacts/dashboard-${info.project.name}.png`, fullPage: true });

  // Filter to Used via the select: the URL carries the view.
  await page.getByLabel('Filter Status').selectOption('used');
  if (!js) await page.getByRole('button', { name: 'Apply' }).click();
  await expect(page).toHaveURL(/status=used/);
  await expect(page.locator('tbody')).not.toContainText(code);
  await expect(page.locator('tbody tr').first().getByText('Used')).toBeVisible();
  await page.reload();
  await ready(page, info);
  await expect(page.getByLabel('Filter Status')).toHaveValue('used');
  await expect(page.locator('tbody tr').first().getByText('Used')).toBeVisible();
  if (js) {
    await page.goBack();
    await expect(page).not.toHaveURL(/status=used/);
  }

  // Search finds the new code by its email.
  await page.goto('/invitations');
  await ready(page, info);
  await page.getByLabel('Search').fill(email);
  if (!js) await page.getByRole('button', { name: 'Apply' }).click();
  await expect(page).toHaveURL(/q=/);
  await expect(page.locator('tbody tr')).toHaveCount(1);

  // A manager of another division does not see it.
  const other = await context.browser()!.newContext({ javaScriptEnabled: js });
  const p2 = await other.newPage();
  await login(p2, info, OTHER_MANAGER);
  await expect(p2.getByRole('heading', { name: 'Invitations', level: 1 })).toBeVisible();
  await expect(p2.locator('body')).not.toContainText(email);
  await p2.goto(`/invitations?q=${encodeURIComponent(email)}`);
  await expect(p2.getByText('No invitations match this view.')).toBeVisible();
  await other.close();
});

test('staff are refused politely', async ({ page }, info) => {
  await login(page, info, STAFF);
  await page.goto('/invitations');
  await expect(page.getByRole('heading', { name: 'Not allowed' })).toBeVisible();
  await expect(page.getByText('not available for your role')).toBeVisible();
});

test('the create dialog arrives when it is wanted, and the button still works when its code cannot load', async ({ page }, info) => {
  test.skip(!jsEnabled(info), 'without JavaScript the button always asks the server for the dialog');
  const dialogCode: string[] = [];
  page.on('request', (r) => {
    if (/split_create_dialog/.test(r.url())) dialogCode.push(r.url());
  });
  await login(page, info, MANAGER);
  await ready(page, info);
  // The dashboard comes alive without the dialog's code.
  await expect(page.getByRole('heading', { name: 'Invitations', level: 1 })).toBeVisible();
  expect(dialogCode).toEqual([]);
  await expect(page.locator('#create-dialog')).toHaveCount(0);

  // The first click fetches it and opens the dialog with the email field focused.
  const button = page.getByRole('button', { name: 'Create Invitation' });
  await button.click();
  const dialog = page.getByRole('dialog', { name: 'Create Invitation' });
  await expect(dialog).toBeVisible();
  await expect(dialog.getByLabel('Email')).toBeFocused();
  expect(dialogCode.length).toBeGreaterThan(0);
  // Closed and opened again by keyboard: the same dialog, modal, the email field focused.
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  await button.focus();
  await page.keyboard.press('Enter');
  await expect(page.locator('#create-dialog:modal')).toHaveCount(1);
  await expect(dialog.getByLabel('Email')).toBeFocused();
  await expect(page.locator('dialog')).toHaveCount(1);

  // A page that opens with the dialog hydrates it and makes it modal.
  await page.goto('/invitations?create=1');
  await ready(page, info);
  await expect(page.locator('#create-dialog:modal')).toHaveCount(1);
  await expect(page.getByRole('dialog', { name: 'Create Invitation' }).getByLabel('Email')).toBeFocused();

  // The chunk refused: the click falls back to the server's page with the dialog open, which
  // works as it does without JavaScript.
  const refused = await page.context().newPage();
  await refused.route(/split_create_dialog/, (route) => route.abort());
  await refused.goto('/invitations?status=active');
  await ready(refused, info);
  await refused.getByRole('button', { name: 'Create Invitation' }).click();
  await expect(refused).toHaveURL(/\/invitations\?status=active&create=1$/);
  const fallback = refused.getByRole('dialog', { name: 'Create Invitation' });
  const email = `${unique('fallback')}@example.com`;
  await fallback.getByLabel('Email').fill(email);
  await fallback.getByRole('button', { name: 'Create', exact: true }).click();
  await expect(refused.getByRole('heading', { name: 'Invitation created' })).toBeVisible();
  await expect(refused.locator('.created')).toContainText(email);
  await refused.close();
});
