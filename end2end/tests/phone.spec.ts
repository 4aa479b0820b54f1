import { test, expect, Page } from '@playwright/test';
import { ADMIN, MANAGER, login, ready } from './helpers';

// Store managers often have only a phone: from 360 to 430 px wide no page may scroll
// sideways, and each invitation reads as a card with its fields named.
test.use({ viewport: { width: 390, height: 844 } });

async function noSidewaysScroll(page: Page, path: string) {
  await page.goto(path);
  const [scroll, inner] = await page.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
  expect(scroll, `${path} is ${scroll}px wide on a ${inner}px screen`).toBeLessThanOrEqual(inner);
}

test('a manager on a phone gets every page within the screen and codes as cards', async ({ page }, info) => {
  await login(page, info, MANAGER);
  await ready(page, info);
  for (const width of [360, 390, 430]) {
    await page.setViewportSize({ width, height: 844 });
    for (const path of ['/invitations', '/audit', '/profile']) {
      await noSidewaysScroll(page, path);
    }
  }
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto('/invitations');
  await expect(page.getByRole('button', { name: 'Create Invitation' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Log out' })).toBeVisible();
  const card = page.locator('table.table-cards tbody tr').first();
  await expect(card).toBeVisible();
  // Each field is labelled in the card itself (the column headers are for screen readers).
  const code = card.locator('td[data-label="Code"]');
  await expect(code).toBeVisible();
  const label = await code.evaluate((td) => getComputedStyle(td, '::before').content);
  expect(label).not.toBe('none');
  const box = await card.boundingBox();
  expect(box!.width).toBeLessThanOrEqual(390);
});

test('an admin on a phone gets every admin page within the screen', async ({ page }, info) => {
  await login(page, info, ADMIN);
  for (const path of ['/invitations', '/admin/users', '/admin/divisions', '/admin/bulk', '/admin/outbox', '/admin/settings', '/profile', '/audit']) {
    await noSidewaysScroll(page, path);
  }
});
