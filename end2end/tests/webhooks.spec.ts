import { test, expect, Page, TestInfo } from '@playwright/test';
import { ADMIN, jsEnabled, login, MANAGER, ready, unique } from './helpers';

async function confirm(page: Page, info: TestInfo, title: RegExp, button: string) {
  if (jsEnabled(info)) {
    const dialog = page.getByRole('dialog', { name: title });
    await expect(dialog).toBeVisible();
    await dialog.getByRole('button', { name: button, exact: true }).click();
  } else {
    await expect(page).toHaveURL(/\/confirm/);
    await expect(page.getByRole('heading', { name: title })).toBeVisible();
    await page.getByRole('button', { name: button, exact: true }).click();
  }
}

test('an admin adds a webhook, copies its secret once, pings, pauses and deletes it', async ({ page }, info) => {
  await login(page, info, ADMIN);
  await page.goto('/admin/webhooks');
  await ready(page, info);
  await expect(page.getByRole('heading', { name: 'Webhooks', level: 1 })).toBeVisible();

  // A private address is refused with the field's error, and nothing typed matters more than the
  // reason.
  await page.getByLabel('Endpoint URL').fill('http://127.0.0.1:9/hook');
  await page.getByRole('button', { name: 'Add endpoint' }).click();
  await expect(page.getByText('not private, loopback or link-local').first()).toBeVisible();

  const path = unique('hook');
  const url = `https://hooks.example.com/${path}`;
  await page.getByLabel('Endpoint URL').fill(url);
  await page.getByLabel('Description (optional)').fill('Payroll');
  await page.getByLabel('invitation.copied').uncheck();
  await page.getByRole('button', { name: 'Add endpoint' }).click();
  await expect(page.getByText('Copy its signing secret now')).toBeVisible();
  await expect(page.getByLabel('Signing secret')).toHaveValue(/^whsec_[A-Za-z0-9+/=]{44}$/);

  const row = page.locator('tbody tr').filter({ hasText: path });
  await expect(row).toContainText('Payroll');
  await expect(row).toContainText('invitation.created');
  await expect(row).not.toContainText('invitation.copied');
  await expect(row.getByText('Active')).toBeVisible();

  // The secret is not shown again.
  await page.goto('/admin/webhooks');
  await ready(page, info);
  await expect(page.getByLabel('Signing secret')).toHaveCount(0);

  // Ping: it is listed among the endpoint's deliveries.
  await page.locator('tbody tr').filter({ hasText: path }).getByRole('button', { name: /Send ping/ }).click();
  await expect(page.getByText('Ping queued')).toBeVisible();
  await page.locator('tbody tr').filter({ hasText: path }).getByRole('link', { name: url }).click();
  await ready(page, info);
  await expect(page.getByRole('heading', { name: url })).toBeVisible();
  await expect(page.locator('tbody tr').first()).toContainText('webhook.ping');

  // Pause, then delete after confirming.
  await page.goto('/admin/webhooks');
  await ready(page, info);
  await page.locator('tbody tr').filter({ hasText: path }).getByRole('button', { name: /Pause/ }).click();
  await expect(page.getByText('Endpoint paused')).toBeVisible();
  await expect(page.locator('tbody tr').filter({ hasText: path }).getByText('Paused')).toBeVisible();
  await page.locator('tbody tr').filter({ hasText: path }).getByRole('button', { name: /Delete/ }).click();
  await confirm(page, info, /Delete the endpoint/, 'Delete endpoint');
  await expect(page.getByText('Endpoint deleted')).toBeVisible();
  await expect(page.locator('tbody tr').filter({ hasText: path })).toHaveCount(0);
  await page.screenshot({ path: `artifacts/webhooks-${info.project.name}.png`, fullPage: true });
});

test('a manager has no webhooks page', async ({ page }, info) => {
  await login(page, info, MANAGER);
  await expect(page).toHaveURL(/\/invitations/);
  await expect(page.getByRole('link', { name: 'Webhooks' })).toHaveCount(0);
  await page.goto('/admin/webhooks');
  await expect(page.getByRole('button', { name: 'Add endpoint' })).toHaveCount(0);
});
