import { test, expect } from '@playwright/test';
import { jsEnabled, login, MANAGER, ready, unique } from './helpers';

test('a new hire joins with a shared link and the manager sees who used the code', async ({ page, browser }, info) => {
  const js = jsEnabled(info);
  await login(page, info, MANAGER);
  await ready(page, info);
  await page.getByRole('button', { name: 'Create Invitation' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Create', exact: true }).click();
  const code = (await page.locator('.created .code').textContent())!.trim();

  const hire = await browser.newContext({ javaScriptEnabled: js });
  const p = await hire.newPage();
  await p.goto(`/join?code=${code}`);
  await ready(p, info);
  await expect(p.getByText('Sales', { exact: true })).toBeVisible();
  // The inviter is named by role and division, never by login name.
  await expect(p.getByText('A manager of Sales')).toBeVisible();
  await expect(p.getByRole('main')).not.toContainText('maya');
  const username = unique('hire').replace(/-/g, '.');
  await p.getByLabel('Username').fill(username);
  await p.getByLabel('Password', { exact: true }).fill('a long and unusual pass');
  await p.getByLabel('Confirm password').fill('a long and unusual pass');
  await p.screenshot({ path: `artifacts/join-${info.project.name}.png`, fullPage: true });
  await p.getByRole('button', { name: 'Create account' }).click();
  await expect(p).toHaveURL(/\/profile/);
  await expect(p.getByText('Welcome aboard')).toBeVisible();
  await expect(p.getByRole('main')).toContainText(username);
  await hire.close();

  await page.goto(`/invitations?q=${username}`);
  const row = page.locator('tbody tr').first();
  await expect(row).toContainText(code);
  await expect(row.getByText('Used', { exact: true })).toBeVisible();
  await expect(row).toContainText(username);
});

test('a used code explains itself on the join page', async ({ page }, info) => {
  await page.goto('/join?code=0000-0000-0000-0000');
  await ready(page, info);
  await expect(page.getByText('We could not find this invitation code')).toBeVisible();
  await expect(page.getByLabel('Invitation code')).toHaveValue('0000-0000-0000-0000');
});
