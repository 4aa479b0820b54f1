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
