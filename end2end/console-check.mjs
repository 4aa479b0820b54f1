import { chromium } from '@playwright/test';
const b = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless','--no-sandbox','--disable-gpu'] });
const p = await b.newPage();
let errs = [];
p.on('pageerror', e => errs.push(e.message.slice(0, 100)));
await p.goto('http://127.0.0.1:3101/login');
await p.fill('#username', process.argv[2]); await p.fill('#password', process.argv[3]);
await p.click('button[type=submit]');
for (const path of ['/profile', '/audit', '/invitations', '/invitations?status=used', '/admin/users', '/admin/divisions', '/logout', '/join', '/nope']) {
  errs = [];
  await p.goto('http://127.0.0.1:3101' + path);
  await p.waitForTimeout(1500);
  console.log(path, 'hydrated=', await p.evaluate(() => document.body.dataset.hydrated), errs.join(' | '));
}
await b.close();
