import { test, expect, Page } from '@playwright/test';
import { ADMIN, MANAGER, jsEnabled, login, ready } from './helpers';

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
  // The header folds into one account menu (a <details>: it opens without JavaScript too).
  await expect(page.getByRole('button', { name: 'Log out' })).toBeHidden();
  await page.getByLabel('Account menu for maya').click();
  await expect(page.getByRole('button', { name: 'Log out' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Bahasa Indonesia' })).toBeVisible();
  await page.screenshot({ path: `artifacts/phone-menu-${info.project.name}.png` });
  await page.getByLabel('Account menu for maya').click();
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
  // A webhook endpoint with a long address is listed (the longest thing an admin page holds).
  const hook = await page.request.post('/api/v1/webhooks', {
    data: { url: `https://hooks.example.com/a/rather/long/path/for/the/phone/${info.project.name}`, events: ['user.disabled'] },
    headers: { origin: new URL(page.url()).origin },
  });
  expect(hook.status()).toBe(201);
  for (const path of ['/invitations', '/admin/users', '/admin/divisions', '/admin/bulk', '/admin/outbox', '/admin/settings', '/admin/webhooks', '/profile', '/audit']) {
    await noSidewaysScroll(page, path);
  }
});

test('on a phone, Bahasa Indonesia fits too, and destructive actions still ask first', async ({ page }, info) => {
  await login(page, info, ADMIN);
  await page.context().addCookies([{ name: 'onboard_lang', value: 'id', domain: '127.0.0.1', path: '/' }]);
  for (const path of ['/invitations', '/audit', '/admin/users']) {
    await noSidewaysScroll(page, path);
  }
  await page.goto('/invitations?status=active');
  await ready(page, info);
  const card = page.locator('table.table-cards tbody tr').first();
  await expect(card.locator('td[data-label="Berlaku hingga"] .rel')).toHaveText(/^(dalam|besok)/);
  await card.getByRole('button', { name: /Cabut/ }).click();
  await expect(page.getByRole('button', { name: 'Cabut kode', exact: true })).toBeVisible();
  await page.screenshot({ path: `artifacts/phone-confirm-id-${info.project.name}.png` });
  await page.getByRole(jsEnabled(info) ? 'button' : 'link', { name: 'Batal' }).click();
  await page.getByLabel('Menu akun admin').click();
  await expect(page.getByRole('button', { name: 'Keluar' })).toBeVisible();
  await page.context().clearCookies({ name: 'onboard_lang' });
});
