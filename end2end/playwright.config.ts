import { defineConfig } from '@playwright/test';

// Runs every spec twice: hydrated (WASM) and with JavaScript disabled (server-rendered forms).
// The server is the release build on a fresh SQLite file seeded with the demo organisation.
const PORT = Number(process.env.E2E_PORT ?? 3310);
const baseURL = `http://127.0.0.1:${PORT}`;
// The organisation's identity provider for the sign-in spec (oidc-provider-mock, installed by
// make): a manager of the demo, and two new hires (one per project, since joining links them).
const OIDC_PORT = PORT + 1;
const person = (sub: string, email: string) =>
  `--user-claims '${JSON.stringify({ sub, email, email_verified: true, name: sub })}'`;

export default defineConfig({
  testDir: './tests',
  timeout: 60_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  workers: 1,
  retries: process.env.CI ? 1 : 0,
  reporter: [['list']],
  outputDir: 'test-results',
  use: {
    baseURL,
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
        '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    },
  },
  projects: [
    { name: 'hydrated', use: { javaScriptEnabled: true } },
    { name: 'no-js', use: { javaScriptEnabled: false } },
  ],
  webServer: [
    {
      command: 'bash ./serve.sh',
      url: `${baseURL}/readyz`,
      timeout: 60_000,
      reuseExistingServer: false,
      env: { E2E_PORT: String(PORT), E2E_OIDC_PORT: String(OIDC_PORT) },
    },
    {
      command: [
        '../target/oidc-venv/bin/oidc-provider-mock', `--port ${OIDC_PORT}`,
        person('maya-at-acme', 'maya@sales.example.com'),
        person('hire-hydrated', 'hire.hydrated@example.com'),
        person('hire-no-js', 'hire.no-js@example.com'),
      ].join(' '),
      url: `http://127.0.0.1:${OIDC_PORT}/.well-known/openid-configuration`,
      timeout: 60_000,
      reuseExistingServer: false,
    },
  ],
});
