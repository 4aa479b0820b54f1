import { test, expect, Page } from '@playwright/test';
import { jsEnabled, MANAGER, ready, unique } from './helpers';

/** Tab from the top of the page: the first stop must be the skip link. */
async function firstTabStop(page: Page) {
  await page.locator('body').focus();
  await page.keyboard.press('Tab');
  return page.locator(':focus');
}

test('the switcher turns the interface into Bahasa Indonesia and back, and remembers it', async ({ page }, info) => {
  await page.goto('/login');
  await ready(page, info);
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await page.getByRole('button', { name: 'Bahasa Indonesia' }).click();

  await expect(page).toHaveURL(/\/login$/);
  await ready(page, info);
  await expect(page.locator('html')).toHaveAttribute('lang', 'id');
  await expect(page.getByRole('heading', { name: 'Masuk ke onboard' })).toBeVisible();
  const skip = await firstTabStop(page);
  await expect(skip).toHaveText('Lewati ke konten utama');

  // The choice survives navigation and a new page load.
  await page.goto('/join');
  await ready(page, info);
  await expect(page.getByRole('heading', { name: 'Bergabung dengan organisasi Anda' })).toBeVisible();
  await expect(page.getByLabel('Kode undangan')).toBeVisible();

  await page.getByRole('button', { name: 'English' }).click();
  await ready(page, info);
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await expect(page.getByRole('heading', { name: 'Join your organisation' })).toBeVisible();
});

test('the dashboard and /join in Indonesian, from creating a code to redeeming it', async ({ page, browser }, info) => {
  const js = jsEnabled(info);
  await page.context().addCookies([{ name: 'onboard_lang', value: 'id', domain: '127.0.0.1', path: '/' }]);
  await page.goto('/login');
  await ready(page, info);
  await page.getByLabel('Nama pengguna').fill(MANAGER.username);
  await page.getByLabel('Kata sandi').fill(MANAGER.password);
  await page.getByRole('button', { name: 'Masuk' }).click();
  await expect(page).toHaveURL(/\/invitations/);
  await ready(page, info);

  // Hydration keeps the server's language: nothing flips back to English.
  await expect(page.getByRole('heading', { name: 'Undangan', level: 1 })).toBeVisible();
  await expect(await firstTabStop(page)).toHaveText('Lewati ke konten utama');
  const table = page.getByRole('table', { name: 'Kode undangan' });
  for (const header of ['Kode', 'Email', 'Peran', 'Status', 'Berlaku hingga', 'Dipakai oleh', 'Tindakan']) {
    await expect(table.getByRole('columnheader', { name: header, exact: true })).toBeVisible();
  }
  const counts = page.getByRole('navigation', { name: 'Undangan menurut status' });
  for (const status of ['Semua', 'Aktif', 'Terpakai', 'Kedaluwarsa']) {
    await expect(counts.getByRole('link', { name: new RegExp(`^${status} \\d+$`) })).toBeVisible();
  }
  await expect(page.getByText(/Halaman 1 dari \d+ · \d+ undangan/)).toBeVisible();
  await expect(page.getByText('Create Invitation')).toHaveCount(0);

  // Create a code bound to an email, in Indonesian.
  const email = `${unique('id')}@example.com`;
  await page.getByRole('button', { name: 'Buat Undangan' }).click();
  const dialog = js ? page.getByRole('dialog', { name: 'Buat Undangan' }) : page.locator('#create-dialog');
  await dialog.getByLabel('Email').fill(email);
  await dialog.getByRole('button', { name: 'Buat', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Undangan dibuat' })).toBeVisible();
  await expect(page.locator('.created')).toContainText(`Bagikan kode ini kepada ${email}`);
  const code = (await page.locator('.created .code').textContent())!.trim();
  const row = page.locator('tbody tr').filter({ hasText: code });
  await expect(row.getByText('Aktif', { exact: true })).toBeVisible();
  await expect(row.getByText('Staf', { exact: true })).toBeVisible();
  // Dates use the Indonesian month names (server) or the id-ID locale (browser).
  await expect(row.locator('time')).toHaveText(/(Jan|Feb|Mar|Apr|Mei|Jun|Jul|Agu|Sep|Okt|Nov|Des)/);
  if (js) {
    // Words the browser itself renders are Indonesian too.
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
    await row.getByRole('button', { name: /Salin/ }).click();
    await expect(row.getByRole('button', { name: /Tersalin/ })).toBeVisible();
    await expect(page.getByText('Kode disalin ke papan klip.')).toBeAttached();
  }
  await page.screenshot({ path: `artifacts/dashboard-id-${info.project.name}.png`, fullPage: true });

  // The new hire's browser prefers Indonesian: /join speaks it without any switch.
  const hire = await browser.newContext({ javaScriptEnabled: js, locale: 'id-ID' });
  const p = await hire.newPage();
  await p.goto('/join?code=ZZZZ-ZZZZ-ZZZZ-ZZZZ');
  await ready(p, info);
  await expect(p.locator('html')).toHaveAttribute('lang', 'id');
  await expect(p.getByText('Kode undangan ini tidak ditemukan. Periksa lalu coba lagi.')).toBeVisible();
  await p.goto(`/join?code=${code}`);
  await ready(p, info);
  await expect(p.getByText('Diundang oleh')).toBeVisible();
  await expect(p.getByText('Wajib: alamat tujuan undangan ini')).toBeVisible();
  const username = unique('baru').replace(/-/g, '.');
  await p.getByLabel('Nama pengguna').fill(username);
  await p.getByLabel('Email').fill('someone.else@example.com');
  await p.getByLabel('Kata sandi', { exact: true }).fill('kata sandi yang panjang sekali');
  await p.getByLabel('Konfirmasi kata sandi').fill('kata sandi yang panjang sekali');
  await p.getByRole('button', { name: 'Buat akun' }).click();
  // A wrong address is refused in Indonesian, and what was typed is kept.
  await expect(p.getByText('Email tidak cocok dengan alamat tujuan undangan ini.')).toBeVisible();
  await expect(p.getByLabel('Nama pengguna')).toHaveValue(username);
  await p.getByLabel('Email').fill(email);
  await p.getByLabel('Kata sandi', { exact: true }).fill('kata sandi yang panjang sekali');
  await p.getByLabel('Konfirmasi kata sandi').fill('kata sandi yang panjang sekali');
  await p.screenshot({ path: `artifacts/join-id-${info.project.name}.png`, fullPage: true });
  await p.getByRole('button', { name: 'Buat akun' }).click();
  await expect(p).toHaveURL(/\/profile/);
  await expect(p.getByText('Selamat bergabung! Akun Anda sudah siap.')).toBeVisible();
  await hire.close();

  await page.goto(`/invitations?q=${username}`);
  await ready(page, info);
  const used = page.locator('tbody tr').filter({ hasText: code });
  await expect(used.getByText('Terpakai', { exact: true })).toBeVisible();
  await expect(used).toContainText(username);
});

test('an Indonesian page hydrates from the same files as an English one', async ({ browser }, info) => {
  test.skip(!jsEnabled(info), 'nothing is hydrated without JavaScript');
  // The WASM a fresh browser fetches to bring /login to life in `lang`.
  const wasmFor = async (lang: string) => {
    const context = await browser.newContext();
    await context.addCookies([{ name: 'onboard_lang', value: lang, domain: '127.0.0.1', path: '/' }]);
    const page = await context.newPage();
    const seen: string[] = [];
    page.on('request', (r) => {
      if (/\.wasm(\?|$)/.test(r.url())) seen.push(new URL(r.url()).pathname);
    });
    await page.goto('/login');
    await ready(page, info);
    await expect(page.locator('html')).toHaveAttribute('lang', lang);
    const preloads = await page.locator('head link[rel="preload"]').evaluateAll((ls) => ls.map((l) => l.getAttribute('href')));
    await context.close();
    return { wasm: seen.sort(), preloads: preloads.sort() };
  };
  const english = await wasmFor('en');
  const indonesian = await wasmFor('id');
  // The messages travel with the code that shows them, in both languages: no table to fetch.
  expect(indonesian.wasm.some((p) => /\/onboard\.[0-9a-f]{16}\.wasm$/.test(p))).toBe(true);
  expect(indonesian).toEqual(english);
});
