import { existsSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { middayClock, startTestApp, type TestApp } from './helpers/app.js';

const CHROMIUM = '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);
const ARTIFACTS = new URL('./artifacts/', import.meta.url);

if (!hasChromium) console.log(`web chat browser test: skipped, ${CHROMIUM} is not installed (apt-get install -y chromium; .ci/run does it)`);

/** Drives the page as a person would: type and press Enter, click chips and buttons, read what is shown. */
function person(page: Page) {
  // A step that does not happen fails naming its locator, well inside the test's own timeout.
  page.setDefaultTimeout(10_000);
  const thread = () => page.locator('.thread:not([hidden])');
  return {
    thread,
    async send(text: string) {
      await page.fill('#text', text);
      await page.press('#text', 'Enter');
    },
    reply: (text: string | RegExp) => thread().locator('.msg:not(.me) .text', { hasText: text }).last(),
    async actAs(user: string, role: string) {
      await thread().locator(`.welcome button[data-persona="${user}"]`).click();
      await page.locator('.thread:not([hidden]) .welcome h2', { hasText: `Welcome, ${user}` }).waitFor();
      await page.locator('#role', { hasText: new RegExp(`^${role}$`) }).waitFor();
    },
    async shot(name: string) {
      await page.screenshot({ path: fileURLToPath(new URL(`${name}.png`, ARTIFACTS)), fullPage: true });
      expect(existsSync(new URL(`${name}.png`, ARTIFACTS))).toBe(true);
    },
  };
}

describe.runIf(hasChromium)('web chat in a real browser: each persona\'s first five minutes', () => {
  let app: TestApp;
  let browser: Browser;
  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    // A fresh data dir and no environment beyond the loopback defaults: what `npm start` gives a new user, at midday
    // (at night the surveys' quiet hours would rightly hold the survey the customer answers below).
    app = await startTestApp({}, undefined, undefined, middayClock());
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
  });
  afterAll(async () => {
    await browser?.close();
    await app?.stop();
  });

  it('walks customer, admin, manager, customer again and rep through their work, on a 390 px screen', { timeout: 120_000 }, async () => {
    const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
    await page.goto(app.url);
    await expect(page.title()).resolves.toBe('Chat CRM');
    await expect(page.locator('link[rel="icon"]').getAttribute('href')).resolves.toBe('/favicon.svg');
    const icon = await fetch(`${app.url}/favicon.svg`);
    expect([icon.status, icon.headers.get('content-type')]).toEqual([200, 'image/svg+xml']);
    const p = person(page);

    // First screen: a welcome card, not an empty log; the default persona is the rep.
    await page.locator('.welcome h2', { hasText: 'Welcome, rep' }).waitFor();
    await expect(page.locator('.welcome').textContent()).resolves.toMatch(/You are web:rep, role rep/);
    await expect(page.locator('.welcome button[data-persona]').allTextContents()).resolves.toEqual(['admin (admin)', 'manager (manager)', 'customer (customer)']);
    await p.shot('01-first-screen');

    // The customer arrives first: the role is real and a customer record exists at once.
    await p.actAs('customer', 'customer');
    await expect(p.thread().locator('.welcome').textContent()).resolves.toMatch(/role customer, customer C-1/);
    await p.send('/crm help');
    const help = p.thread().locator('.msg', { hasText: 'you may run as customer' });
    await help.locator('td', { hasText: '/points' }).waitFor();
    expect(await help.locator('td', { hasText: '/deal' }).count()).toBe(0);
    // The help table never breaks a word in the middle, even at 390 px: it scrolls sideways instead.
    const styles = await help.locator('td').first().evaluate((td) => ({ wordBreak: getComputedStyle(td).wordBreak, overflowWrap: getComputedStyle(td).overflowWrap }));
    expect(styles).toEqual({ wordBreak: 'normal', overflowWrap: 'normal' });
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await p.send('/deal list');
    const refused = p.thread().locator('.msg.error .text', { hasText: '/deal list needs the role admin, manager or rep; you are customer' });
    await refused.waitFor();
    await p.shot('02-customer-help-and-refusal');

    // Admin: a listening query from a quick-start chip, then a daily digest typed in.
    await p.actAs('admin', 'admin');
    await p.thread().locator('.welcome .chip', { hasText: '/listen add brand' }).click();
    await p.reply('Listening for brand: acme OR "acme corp"').waitFor();
    await p.send('/digest subscribe daily 09:00');
    await p.reply(/^Subscribed dg-\w+: daily at 09:00 UTC to web:admin/).waitFor();
    await p.shot('03-admin-listening-and-digest');

    // Manager: an NPS survey to everyone, a reward, and points for the customer.
    await p.actAs('manager', 'manager');
    await p.thread().locator('.welcome .chip', { hasText: '/survey send nps to everyone' }).click();
    await p.reply(/^Survey S-1 \(NPS\) to everyone: 1 queued/).waitFor();
    await p.send('/rewards add mug 100 10 Coffee mug');
    await p.reply('Added reward mug: Coffee mug, 100 points, 10 in stock.').waitFor();
    await p.send('/points give web:customer 150 welcome gift');
    await p.reply(/^Gave 150 points to C-1 customer \(welcome gift\)/).waitFor();
    // A digest chart loads after its text: the view still ends at the bottom once it has.
    await p.send('/digest now');
    await p.thread().locator('.msg img[alt="chart"]').last().waitFor();
    await page.waitForFunction(() => {
      const img = [...document.querySelectorAll<HTMLImageElement>('.thread:not([hidden]) .msg img')].at(-1);
      const log = document.getElementById('log')!;
      return img !== undefined && img.complete && img.naturalWidth > 0 && log.scrollHeight - log.scrollTop - log.clientHeight < 2;
    });
    await p.shot('04-manager-survey-reward-points-digest');

    // Customer again: the survey has arrived in their own conversation; they answer it and redeem points.
    await app.engine.outbox.drain();
    await p.actAs('customer', 'customer');
    expect(await p.thread().locator('.welcome').count()).toBe(1);
    const survey = p.thread().locator('.msg.pushed', { hasText: 'How likely are you to recommend us' });
    await survey.waitFor({ timeout: 10_000 });
    await survey.locator('button', { hasText: /^9$/ }).click();
    await p.thread().locator('.msg.me .text', { hasText: /^9$/ }).waitFor();
    await p.thread().locator('.msg:not(.me):not(.pushed)').last().waitFor();
    await p.send('/redeem mug');
    await p.reply(/^Redeemed Coffee mug for 100 points\. \d+ points left\./).waitFor();
    await p.shot('05-customer-answers-and-redeems');
    const answered = await app.engine.store.tenant('default').interactions.countByType(1);
    expect(answered.survey_response).toBe(1);

    // Rep: a deal logged and won with the button on the reply.
    await p.actAs('rep', 'rep');
    await p.send('/deal add "Acme Corp" 12k');
    await p.reply(/^New customer C-2 Acme Corp created\. Deal D-1 added\.$/).waitFor();
    await p.thread().locator('button[data-action="deal.won"]').last().click();
    await p.reply('D-1 moved from lead to won.').waitFor();
    await p.send('/deal list');
    await p.thread().locator('.msg', { hasText: '1 deal of yours: 0 open, 1 won, 0 lost.' }).locator('td', { hasText: 'D-1 Acme Corp: $12,000.00, won (100%)' }).waitFor();
    await p.shot('06-rep-deal-won');

    // Switching back and forth shows each conversation once, never twice.
    await p.actAs('admin', 'admin');
    await p.actAs('rep', 'rep');
    expect(await p.thread().locator('.welcome').count()).toBe(1);
    expect(await p.thread().locator('.msg.me', { hasText: '/deal add "Acme Corp" 12k' }).count()).toBe(1);
    expect(await page.locator('.thread').count()).toBe(4);
  });

  it('marks errors, recalls the last command with Up, survives a lost connection and shows user text as text', { timeout: 60_000 }, async () => {
    const page = await browser.newPage({ viewport: { width: 1000, height: 760 } });
    await page.goto(app.url);
    const p = person(page);
    await page.locator('.welcome h2', { hasText: 'Welcome, rep' }).waitFor();

    await p.send('/deal add Acme');
    const error = p.thread().locator('.msg.error', { hasText: 'Say the customer and the amount' });
    await error.waitFor();
    await expect(error.evaluate((e) => getComputedStyle(e).borderLeftColor)).resolves.not.toBe(await p.thread().locator('.welcome').evaluate((e) => getComputedStyle(e).borderLeftColor));
    await page.press('#text', 'ArrowUp');
    await expect(page.inputValue('#text')).resolves.toBe('/deal add Acme');
    await page.fill('#text', '');

    // The server cannot be reached: a banner with retry, and the message is marked as not sent.
    await page.route('**/web/api/**', (r) => r.abort('connectionrefused'));
    await p.send('/crm whoami');
    await page.locator('#banner.show', { hasText: 'Cannot reach the server' }).waitFor();
    const failed = p.thread().locator('.msg.me.failed', { hasText: '/crm whoami' });
    await failed.locator('.status', { hasText: 'Not sent.' }).waitFor();
    await p.shot('07-offline');
    await page.unroute('**/web/api/**');
    await failed.locator('button', { hasText: 'Retry' }).click();
    await p.reply('You are rep (web:rep) in tenant default.').waitFor();
    await expect(page.locator('#banner').isVisible()).resolves.toBe(false);
    expect(await p.thread().locator('.msg.failed').count()).toBe(0);

    await p.send('/customer add "<b>Bold</b> <img src=x onerror=window.pwned=1>"');
    await p.reply('Added C-3 <b>Bold</b>').waitFor();
    expect(await page.locator('#log b').count()).toBe(0);
    expect(await page.evaluate(() => (window as unknown as { pwned?: number }).pwned)).toBeUndefined();
    await expect(p.thread().locator('.msg time').first().textContent()).resolves.toMatch(/\d{1,2}:\d{2}/);

    // Any typed name is a new person with the web default role, in a conversation of their own.
    await page.fill('#user', 'zoe');
    await page.dispatchEvent('#user', 'change');
    await page.locator('.thread:not([hidden]) .welcome', { hasText: 'You are web:zoe, role rep' }).waitFor();
    expect(await p.thread().locator('.msg.me').count()).toBe(0);
    await page.fill('#user', 'no spaces please');
    await page.dispatchEvent('#user', 'change');
    await p.thread().locator('.msg.error', { hasText: 'user must be 1-64 letters' }).waitFor();
  });

  it('shows a sign-in screen when the server needs a session', async () => {
    const page = await browser.newPage();
    // The public-mode answer of the web API without a session, as the contract words it.
    await page.route('**/web/api/session', (r) => r.fulfill({ status: 401, contentType: 'application/json', body: JSON.stringify({ error: 'sign in first', signin: true }) }));
    await page.goto(app.url);
    await page.locator('#signin.show', { hasText: '/crm invite web:<your name>' }).waitFor();
    expect(await page.locator('.welcome').count()).toBe(0);
    await person(page).shot('08-sign-in');
  });
});
