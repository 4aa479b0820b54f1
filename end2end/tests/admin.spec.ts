import { test, expect } from '@playwright/test';
import { ADMIN, login, ready, unique } from './helpers';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

test('an admin bulk-uploads a CSV (dry run, then commit), revokes a code and finds both in the audit log', async ({ page }, info) => {
  await login(page, info, ADMIN);
  await ready(page, info);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Bulk onboarding' }).click();
  await expect(page.getByRole('heading', { name: 'Bulk onboarding' })).toBeVisible();

  const tag = unique('bulk');
  const file = path.join(os.tmpdir(), `${tag}.csv`);
  fs.writeFileSync(file, `email,role,division,expires_at\n${tag}-a@example.com,staff,sales,\n${tag}-b@example.com,manager,engineering,\n`);
  await page.getByLabel('CSV file').setInputFiles(file);
  await page.getByRole('button', { name: 'Check rows (dry run)' }).click();
  await expect(page.getByText('All 2 rows are valid.')).toBeVisible();
  await page.screenshot({ path: `artifacts/bulk-dry-run-${info.project.name}.png`, fullPage: true });
  await page.getByRole('button', { name: 'Create 2 invitations' }).click();
  await expect(page.getByText('2 invitations created.')).toBeVisible();
  await expect(page.getByRole('link', { name: 'Download codes (CSV)' })).toBeVisible();

  // Revoke one of them from the dashboard.
  await page.goto(`/invitations?q=${tag}-a`);
  await ready(page, info);
  const row = page.locator('tbody tr').first();
  await expect(row).toContainText(`${tag}-a@example.com`);
  await row.getByRole('button', { name: /Revoke/ }).click();
  // It asks first (a dialog when hydrated, a page without JavaScript).
  await page.getByRole('button', { name: 'Revoke code', exact: true }).click();
  await expect(page.getByText('The invitation was revoked')).toBeVisible();
  await expect(page.locator('tbody tr').first().getByText('Revoked')).toBeVisible();
  await page.screenshot({ path: `artifacts/admin-dashboard-${info.project.name}.png`, fullPage: true });

  // Both show up in the audit log.
  await page.goto('/audit?action=invitation.revoked');
  await expect(page.locator('tbody tr').first()).toContainText('invitation.revoked');
  await page.goto('/audit?action=invitation.created');
  await expect(page.locator('tbody')).toContainText('"via":"bulk"');
  await page.screenshot({ path: `artifacts/audit-${info.project.name}.png`, fullPage: true });
});

test('an admin reads the outbox and resends an invitation email', async ({ page }, info) => {
  await login(page, info, ADMIN);
  await ready(page, info);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Outbox' }).click();
  await expect(page.getByRole('heading', { name: 'Outbox', level: 1 })).toBeVisible();
  // The demo has no SMTP server: its invitation emails wait here, readable.
  await page.getByLabel('Status').selectOption('queued');
  await page.getByRole('button', { name: 'Apply' }).click();
  await expect(page).toHaveURL(/status=queued/);
  const first = page.locator('ul.emails > li').first();
  await expect(first.getByText('Queued')).toBeVisible();
  await first.locator('summary').click();
  await expect(first.locator('pre.mail-body')).toContainText('/join?code=');
  await page.screenshot({ path: `artifacts/outbox-${info.project.name}.png`, fullPage: true });

  // An Active code's page lists its emails and can send another.
  const tag = unique('mail');
  await page.goto('/invitations');
  await ready(page, info);
  await page.getByRole('button', { name: 'Create Invitation' }).click();
  const dialog = page.getByRole('dialog', { name: 'Create Invitation' });
  await dialog.getByLabel('Email').fill(`${tag}@example.com`);
  await dialog.getByLabel('Division').selectOption('sales');
  await dialog.getByRole('button', { name: 'Create', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Invitation created' })).toBeVisible();
  const row = page.locator('tbody tr').filter({ hasText: `${tag}@example.com` });
  await page.goto((await row.getByRole('link').first().getAttribute('href'))!);
  await ready(page, info);
  const emails = page.getByRole('region', { name: 'Emails' });
  await expect(emails.locator('li')).toHaveCount(1);
  await expect(emails).toContainText(`${tag}@example.com`);
  await emails.getByRole('button', { name: 'Resend' }).click();
  await expect(page.getByText('The email is on its way again.')).toBeVisible();
  await expect(page.getByRole('region', { name: 'Emails' }).locator('li')).toHaveCount(2);
  await page.screenshot({ path: `artifacts/invitation-emails-${info.project.name}.png`, fullPage: true });
});
