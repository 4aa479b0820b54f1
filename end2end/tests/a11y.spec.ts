import { test, expect, BrowserContext, Page, TestInfo } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { ADMIN, jsEnabled, login, MANAGER, ready, unique } from './helpers';

/**
 * axe-core over the whole page: no serious or critical WCAG 2.1 A/AA violation. axe itself is
 * JavaScript, so for the no-JS project the same URL (same session) is audited in a scripted
 * context that blocks the app's own JS and WASM (not its CSS): the DOM stays exactly what the
 * server sent.
 */
async function audit(page: Page, info: TestInfo, name: string, colorScheme: 'light' | 'dark' = 'light') {
  await ready(page, info);
  let target = page;
  let scratch: BrowserContext | undefined;
  if (!jsEnabled(info)) {
    scratch = await page.context().browser()!.newContext({ javaScriptEnabled: true, colorScheme });
    await scratch.addCookies(await page.context().cookies());
    // Only the app's script and WASM: the stylesheet stays, so contrast is the real one.
    await scratch.route(/\/pkg\/[^?]*\.(js|wasm)(\?|$)/, (route) => route.abort());
    target = await scratch.newPage();
    await target.goto(page.url());
  }
  const result = await new AxeBuilder({ page: target })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
    .analyze();
  await scratch?.close();
  const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  const report = bad.map((v) => `${v.id} (${v.impact}): ${v.help}\n  ${v.nodes.map((n) => n.target.join(' ')).join('\n  ')}`);
  expect(report, `${name}: ${page.url()}`).toEqual([]);
}

/** Every page is audited in both interface languages (the switcher's cookie decides). */
const LANGS = [
  { lang: 'en', create: 'Create Invitation' },
  { lang: 'id', create: 'Buat Undangan' },
] as const;

async function speak(page: Page, lang: string) {
  await page.context().addCookies([{ name: 'onboard_lang', value: lang, domain: '127.0.0.1', path: '/' }]);
}

for (const { lang, create } of LANGS) {
  test(`[${lang}] public pages have no serious accessibility violations`, async ({ page }, info) => {
    await speak(page, lang);
    await page.goto('/login');
    await expect(page.locator('html')).toHaveAttribute('lang', lang);
    await audit(page, info, 'login');
    await page.goto('/join');
    await audit(page, info, 'join');
    await page.goto('/join?code=NOPE-NOPE-NOPE-NOPE');
    await audit(page, info, 'join with an unknown code');
    await page.goto('/no-such-page');
    await audit(page, info, 'not found');
  });

  test(`[${lang}] a manager's pages have no serious accessibility violations`, async ({ page }, info) => {
    await login(page, info, MANAGER);
    await expect(page).toHaveURL(/\/invitations/);
    await speak(page, lang);
    await page.goto('/invitations');
    await expect(page.locator('html')).toHaveAttribute('lang', lang);
    await audit(page, info, 'dashboard');
    await page.goto('/invitations?status=expired&per_page=25');
    await audit(page, info, 'dashboard filtered');
    if (jsEnabled(info)) {
      await page.getByRole('button', { name: create }).click();
      await expect(page.getByRole('dialog', { name: create })).toBeVisible();
      await audit(page, info, 'create dialog');
      await page.keyboard.press('Escape');
    }
    await page.goto('/audit');
    await audit(page, info, 'audit');
    await page.goto('/profile');
    await audit(page, info, 'profile');
  });

  test(`[${lang}] an admin's pages have no serious accessibility violations`, async ({ page }, info) => {
    await login(page, info, ADMIN);
    await expect(page).toHaveURL(/\/invitations/);
    await speak(page, lang);
    await page.goto('/invitations');
    await audit(page, info, 'admin dashboard');
    const detail = page.locator('tbody tr').first().getByRole('link').first();
    await page.goto((await detail.getAttribute('href'))!);
    await audit(page, info, 'invitation detail');
    for (const path of ['/admin/users', '/admin/divisions', '/admin/bulk', '/admin/outbox', '/admin/settings', '/admin/webhooks', '/profile']) {
      await page.goto(path);
      await expect(page.locator('html')).toHaveAttribute('lang', lang);
      await audit(page, info, path);
    }
  });
}

test('keyboard only: create an invitation, copy it, filter and page', async ({ page, context }, info) => {
  test.skip(!jsEnabled(info), 'the dialog and the clipboard need the hydrated app; no-JS forms are covered by the dashboard spec');
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await login(page, info, MANAGER);
  await expect(page).toHaveURL(/\/invitations/);
  await ready(page, info);

  // Reach "Create Invitation" with Tab alone.
  const create = page.getByRole('button', { name: 'Create Invitation' });
  for (let i = 0; i < 40 && !(await create.evaluate((el) => el === document.activeElement)); i++) {
    await page.keyboard.press('Tab');
  }
  await expect(create).toBeFocused();
  await page.keyboard.press('Enter');
  const dialog = page.getByRole('dialog', { name: 'Create Invitation' });
  await expect(dialog).toBeVisible();
  await expect(dialog.getByLabel('Email')).toBeFocused();
  const email = `${unique('kbd')}@example.com`;
  await page.keyboard.type(email);
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { name: 'Invitation created' })).toBeVisible();
  const code = (await page.locator('.created .code').textContent())!.trim();

  // Copy the new code from its row with the keyboard.
  const row = page.locator('tbody tr').filter({ hasText: code });
  const copy = row.getByRole('button', { name: /Copy/ });
  await copy.focus();
  await expect(copy).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(row.getByRole('button', { name: /Copied/ })).toBeVisible();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(code);

  // Filter with the select, from the keyboard.
  const filter = page.getByLabel('Filter Status');
  await filter.focus();
  await page.keyboard.press('ArrowDown');
  await expect(page).toHaveURL(/status=active/);

  // Page forward with a focused link and Enter.
  await page.goto('/invitations?per_page=2');
  await ready(page, info);
  const next = page.getByRole('link', { name: /Next/ });
  await next.focus();
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/page=2/);
});

/** Dark mode (the system's `prefers-color-scheme`) keeps every contrast, in both languages. */
for (const { lang } of LANGS) {
  test(`[${lang}] dark mode has no serious accessibility violations`, async ({ page }, info) => {
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.goto('/login');
    await audit(page, info, 'dark login', 'dark');
    await login(page, info, ADMIN);
    await expect(page).toHaveURL(/\/invitations/);
    await speak(page, lang);
    for (const path of ['/invitations', '/invitations?status=suspended', '/audit', '/admin/users', '/admin/bulk', '/admin/settings', '/admin/webhooks']) {
      await page.goto(path);
      await audit(page, info, `dark ${path}`, 'dark');
    }
    const bg = await page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor);
    expect(bg).toBe('rgb(15, 19, 32)');
    await page.goto('/invitations');
    await page.screenshot({ path: `artifacts/dark-dashboard-${lang}-${info.project.name}.png`, fullPage: true });
  });
}
