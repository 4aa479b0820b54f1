import { test, expect } from '@playwright/test';
import { login, MANAGER, ready } from './helpers';

test('the demo manager logs in, sees the shell, uses the skip link and logs out', async ({ page }, info) => {
  await login(page, info, MANAGER);
  await expect(page).toHaveURL(/\/invitations/);
  await ready(page, info);
  await expect(page.getByRole('heading', { name: 'Invitations', level: 1 })).toBeVisible();
  const banner = page.getByRole('banner');
  await expect(banner.getByText('maya')).toBeVisible();
  await expect(banner.getByText('Manager')).toBeVisible();
  await expect(banner.getByText('Sales')).toBeVisible();
  const nav = page.getByRole('navigation', { name: 'Main' });
  await expect(nav.getByText('Users')).toBeVisible();
  await expect(nav.getByRole('link', { name: 'Invitations' })).toBeVisible();
  await expect(nav.getByRole('link', { name: 'Divisions' })).toHaveCount(0);

  // The skip link is the first thing a keyboard reaches, and it moves focus to the content.
  await page.keyboard.press('Tab');
  const skip = page.getByRole('link', { name: 'Skip to main content' });
  await expect(skip).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/#main$/);
  await expect(page.locator('main#main')).toBeFocused();

  await page.getByRole('button', { name: 'Log out' }).click();
  await expect(page).toHaveURL(/\/login/);
  await expect(page.getByText('You have been logged out.')).toBeVisible();
  await page.goto('/invitations');
  await expect(page).toHaveURL(/\/login\?next=/);
});

test('a wrong password is refused with a clear message and the username is kept', async ({ page }, info) => {
  await login(page, info, { username: 'maya', password: 'not the password' });
  await expect(page.getByRole('alert')).toContainText('Invalid username or password');
  await expect(page.getByLabel('Username')).toHaveValue('maya');
});
