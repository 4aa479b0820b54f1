import { test, expect } from '@playwright/test';
import { ADMIN, jsEnabled, login, ready, unique } from './helpers';

/** The provider's own page (oidc-provider-mock): the person picks who they are. */
async function atProvider(page: import('@playwright/test').Page, sub: string) {
  await expect(page.getByRole('heading', { name: 'Authorize Client' })).toBeVisible();
  await page.getByRole('button', { name: sub, exact: true }).click();
}

test('a manager signs in with the organisation\'s identity provider', async ({ page }, info) => {
  await page.goto('/login');
  await ready(page, info);
  await page.getByRole('link', { name: 'Sign in with Acme ID' }).click();
  await atProvider(page, 'maya-at-acme');
  await expect(page).toHaveURL(/\/invitations/);
  await expect(page.getByText('maya').first()).toBeVisible();
});

test('a new hire joins with the identity provider instead of a password', async ({ page, browser }, info) => {
  // An admin invites the new hire's work address.
  await login(page, info, ADMIN);
  await expect(page).toHaveURL(/\/invitations/);
  const email = `hire.${info.project.name}@example.com`;
  const created = await page.request.post('/api/v1/invitations', {
    data: { role: 'staff', division: 'sales', email },
    headers: { origin: new URL(page.url()).origin },
  });
  expect(created.status()).toBe(201);
  const code = (await created.json()).code as string;

  const hire = await browser.newContext({ baseURL: new URL(page.url()).origin, javaScriptEnabled: jsEnabled(info) });
  const p = await hire.newPage();
  await p.goto(`/join?code=${code}`);
  await ready(p, info);
  const username = unique('hire').replace(/-/g, '.');
  await p.getByLabel('Username').fill(username);
  await p.getByRole('button', { name: 'Join with Acme ID' }).click();
  await atProvider(p, `hire-${info.project.name}`);
  await expect(p).toHaveURL(/\/profile\?welcome=1/);
  await expect(p.getByText(username).first()).toBeVisible();
  await p.screenshot({ path: `artifacts/joined-with-provider-${info.project.name}.png`, fullPage: true });
  await hire.close();
});
