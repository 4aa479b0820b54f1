import { test, expect } from '@playwright/test';
import { ADMIN, login, MANAGER, ready, unique } from './helpers';

test('a manager notes a code, its recipient says "not me", an admin reinstates it', async ({ page }, info) => {
  await login(page, info, MANAGER);
  await expect(page).toHaveURL(/\/invitations/);
  const tag = unique('note');
  // The create dialog, open from the URL (with or without JavaScript).
  await page.goto('/invitations?create=1');
  await ready(page, info);
  const dialog = page.getByRole('dialog', { name: 'Create Invitation' });
  await expect(dialog).toBeVisible();
  await dialog.getByLabel('Note').fill(`Barista ${tag}`);
  await dialog.getByRole('button', { name: 'Create' }).click();
  await expect(page.getByRole('heading', { name: 'Invitation created' })).toBeVisible();
  const code = (await page.locator('.created .code').textContent())!.trim();

  // The note shows under the code and is found by the search.
  await page.goto(`/invitations?q=${tag}`);
  await ready(page, info);
  await expect(page.locator('tbody tr')).toHaveCount(1);
  await expect(page.locator('tbody tr').first().locator('.note')).toHaveText(`Barista ${tag}`);

  // The recipient did not expect it.
  await page.context().clearCookies();
  await page.goto(`/join?code=${code}`);
  await ready(page, info);
  await page.getByRole('button', { name: "This invitation isn't for me" }).click();
  await expect(page.getByText('The code is now blocked')).toBeVisible();
  await page.goto(`/join?code=${code}`);
  await expect(page.getByText('suspended')).toBeVisible();

  // The admin sees it highlighted with its reason, and reinstates it.
  await login(page, info, ADMIN);
  await expect(page).toHaveURL(/\/invitations/);
  await page.goto(`/invitations?q=${tag}`);
  await ready(page, info);
  const row = page.locator('tbody tr').first();
  await expect(row).toHaveClass(/row-reported/);
  await expect(row).toContainText('reported by recipient');
  await page.screenshot({ path: `artifacts/reported-${info.project.name}.png`, fullPage: true });
  await row.getByRole('button', { name: /Reinstate/ }).click();
  await expect(page.getByText('The report was lifted')).toBeVisible();
  await expect(page.locator('tbody tr').first().getByText('Active')).toBeVisible();
});

test('an admin sets expiry ceilings and a quota; the manager\'s dialog tells what is left', async ({ page }, info) => {
  await login(page, info, ADMIN);
  await expect(page).toHaveURL(/\/invitations/);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Settings' }).click();
  await expect(page.getByRole('heading', { name: 'Settings', level: 1 })).toBeVisible();
  await page.getByLabel('Manager (days)').fill('14');
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByText('Settings saved.')).toBeVisible();
  await expect(page.getByLabel('Manager (days)')).toHaveValue('14');
  await page.screenshot({ path: `artifacts/settings-${info.project.name}.png`, fullPage: true });
  // Back to the demo's ceilings, for the other specs.
  await page.getByLabel('Manager (days)').fill('90');
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByText('Settings saved.')).toBeVisible();

  await page.goto('/admin/divisions');
  await ready(page, info);
  await expect(page.getByLabel('Quota of active codes for Customer Support')).toHaveValue('8');
  await page.screenshot({ path: `artifacts/divisions-${info.project.name}.png`, fullPage: true });

  // The Customer Support manager sees the quota in the dialog.
  await page.context().clearCookies();
  await login(page, info, { username: 'sari', password: MANAGER.password });
  await expect(page).toHaveURL(/\/invitations/);
  await page.goto('/invitations?create=1');
  await ready(page, info);
  await expect(page.getByRole('dialog', { name: 'Create Invitation' })).toContainText(/of 8 active codes left in Customer Support/);
  await page.screenshot({ path: `artifacts/create-quota-${info.project.name}.png`, fullPage: true });
});

test('a manager makes a read-only API token on the profile page and revokes it', async ({ page, request }, info) => {
  await login(page, info, MANAGER);
  await expect(page).toHaveURL(/\/invitations/);
  await page.goto('/profile');
  await ready(page, info);
  const name = unique('tok');
  await page.getByLabel('Name').fill(name);
  await page.getByRole('button', { name: 'Create token' }).click();
  await expect(page.getByText('shown only this once')).toBeVisible();
  const token = await page.getByLabel('New token').inputValue();
  const list = await request.get('/api/v1/invitations', { headers: { Authorization: `Bearer ${token}` } });
  expect(list.status()).toBe(200);
  const create = await request.post('/api/v1/invitations', { headers: { Authorization: `Bearer ${token}` }, data: {} });
  expect(create.status()).toBe(403);
  expect((await create.json()).error.code).toBe('insufficient_scope');
  await page.screenshot({ path: `artifacts/tokens-${info.project.name}.png`, fullPage: true });
  const row = page.locator('tbody tr').filter({ hasText: name });
  await row.getByRole('button', { name: /Revoke/ }).click();
  await expect(page.getByText('The token was revoked')).toBeVisible();
  const after = await request.get('/api/v1/invitations', { headers: { Authorization: `Bearer ${token}` } });
  expect(after.status()).toBe(401);
});
