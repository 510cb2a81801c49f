// Drives Debian's Chromium (headless, through playwright-core) for tests/EndToEnd.Tests/BrowserTests.cs. Prints one JSON
// line with what it saw; screenshots go to the artifacts folder. Playwright's waits poll the page until what they wait
// for is there (or time out); nothing here sleeps.
//   node watch.mjs register  <command service URL> <e-mail> <artifacts>   the API page's "Test Request" on POST /users
//   node watch.mjs dashboard <dashboard URL> <trace id> <artifacts>        the traces page lists the trace; its detail view
import { chromium } from 'playwright-core';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const [command, url, value, artifacts] = process.argv.slice(2);
const profile = mkdtempSync(join(tmpdir(), 'chromium-profile-'));
// A new profile folder each run (Playwright passes it as --user-data-dir).
const browser = await chromium.launchPersistentContext(profile, {
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync'],
  viewport: { width: 1400, height: 900 },
});
try {
  const page = browser.pages()[0] ?? await browser.newPage();
  page.setDefaultTimeout(30000);
  const result = command === 'register' ? await register(page) : await dashboard(page);
  console.log(JSON.stringify(result));
} finally {
  await browser.close();
  rmSync(profile, { recursive: true, force: true });
}

async function register(page) {
  // The page's requests carry the test's token (a person pastes one into the page's Authentication box).
  await page.route(/\/users$/, route => route.continue({ headers: { ...route.request().headers(), authorization: `Bearer ${process.env.TOKEN}` } }));
  // Straight to the operation: the page renders an operation's section (and its button) once it is in view.
  await page.goto(new URL('/scalar/v1#tag/commands/POST/users', url).href);
  await page.getByRole('button', { name: /Test Request\s*\(post \/users\)/ }).click();
  const client = page.getByRole('dialog');
  const body = client.locator('.cm-content').first();
  const example = await body.innerText();
  await body.click();
  await page.keyboard.press('Control+A');
  await page.keyboard.press('Delete');
  await body.fill(JSON.stringify({ email: value, displayName: 'Ada from the browser' }));
  const answered = page.waitForResponse(response => response.request().method() === 'POST' && new URL(response.url()).pathname.endsWith('/users'));
  await client.getByRole('button', { name: /^Send post request/ }).click();
  const response = await answered;
  await client.getByText(`${response.status()} Created`).waitFor();
  await page.screenshot({ path: join(artifacts, 'api-page-register.png') });
  return { example: JSON.parse(example), status: response.status(), body: await response.json() };
}

async function dashboard(page) {
  await page.goto(new URL('/traces', url).href);
  await page.getByText(value.slice(0, 7)).first().waitFor();
  const row = await page.getByText(value.slice(0, 7)).first().locator('xpath=ancestor::*[@role="row"][1]').innerText().catch(() => '');
  await page.screenshot({ path: join(artifacts, 'dashboard-traces.png') });
  await page.goto(new URL(`/traces/detail/${value}`, url).href);
  await page.getByText('smtp send').first().waitFor();
  await page.getByText('views write').first().waitFor();
  const details = await page.locator('body').innerText();
  await page.screenshot({ path: join(artifacts, 'dashboard-trace.png') });
  // The README's picture (docs/dashboard-trace.png): the trace's rows only.
  await page.screenshot({ path: join(artifacts, 'dashboard-trace-readme.png'), clip: { x: 0, y: 0, width: 1400, height: 680 } });
  return {
    listed: row,
    services: ['command-service', 'query-service', 'notification-service'].filter(name => details.includes(name)),
  };
}
