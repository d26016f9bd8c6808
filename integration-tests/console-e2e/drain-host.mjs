// Drives Ferry's console in headless Chromium: signs in, drains a host with the page's button, waits until every
// server has left that host's column and the host shows disabled, then saves a screenshot.
//
// Environment: FERRY_URL (the gateway), FERRY_USER, FERRY_PASSWORD (never on the command line), FERRY_HOST (the
// host to drain), FERRY_SCREENSHOT (the PNG to write), CHROMIUM (the browser; Debian's /usr/bin/chromium).
// Exit code 0 when the drain was seen through; otherwise 1 with the reason on stderr.
import {chromium} from 'playwright-core';

/** The page offered an action Nova refuses in the migration's state. */
class OfferedActionError extends Error {}

const env = name => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
};

const url = env('FERRY_URL');
const host = env('FERRY_HOST');
const screenshot = env('FERRY_SCREENSHOT');
const column = `[data-host="${host}"]`;
const step = message => console.log(`[console-e2e] ${message}`);

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-dev-shm-usage', '--disable-gpu'],
});
let exitCode = 1;
const page = await browser.newPage({viewport: {width: 1400, height: 1000}});
try {
  const violations = [];
  page.on('console', message => {
    if (message.type() === 'error') console.log(`[page] ${message.text()}`);
    if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
  });
  page.setDefaultTimeout(60_000);

  const loaded = await page.goto(`${url}/console`);
  const csp = loaded.headers()['content-security-policy'] || '';
  if (!csp.includes("script-src 'self'") || /unsafe-(inline|eval)/.test(csp)) {
    throw new Error(`the console is served without its Content-Security-Policy: '${csp}'`);
  }
  step(`served with Content-Security-Policy: ${csp}`);
  await page.fill('#login input[name=user]', env('FERRY_USER'));
  await page.fill('#login input[name=password]', env('FERRY_PASSWORD'));
  await page.click('#login button[type=submit]');
  await page.waitForSelector(`${column} .vm`);
  const before = await page.locator(`${column} .vm`).count();
  const everywhere = await page.locator('.vm').count();
  step(`signed in; ${host} shows ${before} servers, the fleet ${everywhere}`);
  await page.waitForSelector('#live.on');
  step('the event stream is live');

  await page.click(`${column} button.drain`);
  await page.fill('#drain-dialog input[name=reason]', 'kernel upgrade (console e2e)');
  await page.click('#drain-confirm');
  step(`asked to drain ${host}`);
  try {
    // best effort, for the record: the migrations table while the drain runs
    await page.waitForSelector('#migrations tbody tr', {timeout: 30_000});
    step(`live migrations shown: ${(await page.textContent('#migrations tbody tr')).replace(/\s+/g, ' ')}`);
    // only the actions Nova accepts in each state are offered: no force-complete before the stream runs
    for (const row of await page.locator('#migrations tbody tr').all()) {
      const status = (await row.locator('td').nth(2).textContent()).trim();
      const offered = await row.locator('button').allTextContents();
      if (['queued', 'preparing'].includes(status) && offered.includes('Force complete')) {
        throw new OfferedActionError(`a ${status} migration offers Force complete (${offered.join(', ')})`);
      }
    }
    await page.screenshot({path: screenshot.replace(/\.png$/, '-progress.png'), fullPage: true});
    step(`drain row actions while running: ${(await page.locator('#drains tbody tr button').allTextContents()).join(', ')}`);
  } catch (e) {
    if (e instanceof OfferedActionError) throw e;
    step(`no migration row seen while draining (${e.message.split('\n')[0]})`);
  }

  await page.waitForFunction(h => document.querySelectorAll(`[data-host="${h}"] .vm`).length === 0, host,
    {timeout: 180_000, polling: 200});
  step(`every server has left ${host}`);
  await page.waitForSelector(`${column} .badge.off`);
  await page.waitForFunction(n => document.querySelectorAll('.vm').length === n, everywhere,
    {timeout: 60_000, polling: 200});
  step(`the ${everywhere} servers are on the other hosts; ${host} is disabled`);
  const error = (await page.textContent('#message')).trim();
  if (error) throw new Error(`the page shows an error: ${error}`);
  await page.waitForFunction(() => [...document.querySelectorAll('#drains tbody tr td:nth-child(2)')]
    .some(td => td.textContent === 'completed'), null, {timeout: 60_000, polling: 200});
  step('the drain shows completed');
  if (violations.length > 0) throw new Error(`the page broke its Content-Security-Policy: ${violations.join('; ')}`);
  step('no Content-Security-Policy violation reported by the page');

  await page.screenshot({path: screenshot, fullPage: true});
  step(`screenshot saved to ${screenshot}`);
  exitCode = 0;
} catch (e) {
  console.error(`[console-e2e] FAILED: ${e.message}`);
  await page.screenshot({path: screenshot.replace(/\.png$/, '-failure.png'), fullPage: true}).catch(() => {});
} finally {
  await browser.close();
}
process.exit(exitCode);
