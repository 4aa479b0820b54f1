import { expect, Page, TestInfo } from '@playwright/test';

export const MANAGER = { username: 'maya', password: 'onboard-manager-demo' };
export const OTHER_MANAGER = { username: 'budi', password: 'onboard-manager-demo' };
export const ADMIN = { username: 'admin', password: 'onboard-admin-demo' };
export const STAFF = { username: 'ana.sales', password: 'onboard-staff-demo' };

export function jsEnabled(info: TestInfo): boolean {
  return info.project.name === 'hydrated';
}

/** Waits until the WASM has hydrated the page (hydrated project only). */
export async function ready(page: Page, info: TestInfo) {
  if (jsEnabled(info)) {
    await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true');
  }
}

export async function login(page: Page, info: TestInfo, who: { username: string; password: string }) {
  await page.goto('/login');
  await ready(page, info);
  await page.getByLabel('Username').fill(who.username);
  await page.getByLabel('Password').fill(who.password);
  await page.getByRole('button', { name: 'Log in' }).click();
}

export function unique(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}-${Math.floor(Math.random() * 1e6).toString(36)}`;
}
