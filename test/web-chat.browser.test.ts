import { existsSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './helpers/app.js';

const CHROMIUM = '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);
export const SCREENSHOT = fileURLToPath(new URL('./artifacts/web-chat.png', import.meta.url));

if (!hasChromium) console.log(`web chat browser test: skipped, ${CHROMIUM} is not installed (apt-get install -y chromium; .ci/run does it)`);

describe.runIf(hasChromium)('web chat in a real browser', () => {
  let app: TestApp;
  let browser: Browser;
  beforeAll(async () => {
    app = await startTestApp();
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
  });
  afterAll(async () => {
    await browser?.close();
    await app?.stop();
  });

  it('logs a deal, wins it with a button, lists it, and shows user text as text', async () => {
    const page = await browser.newPage({ viewport: { width: 1000, height: 760 } });
    await page.goto(app.url);
    await expect(page.title()).resolves.toBe('Chat CRM');
    const send = async (text: string) => {
      await page.fill('#text', text);
      await page.press('#text', 'Enter');
    };

    await send('/crm help');
    await page.locator('.msg td', { hasText: '/deal' }).first().waitFor();

    await send('/deal add Acme 1200');
    await page.locator('.msg .text', { hasText: 'New customer C-1 Acme created. Deal D-1 added.' }).waitFor();
    await page.locator('button[data-action="deal.won"]').click();
    await page.locator('.msg .text', { hasText: 'D-1 moved from lead to won.' }).waitFor();

    await send('/deal list');
    await page.locator('.msg', { hasText: '1 deal of yours:' }).locator('td', { hasText: 'D-1 Acme: $1,200.00, won (100%)' }).waitFor();

    await send('/customer add "<b>Bold</b> <img src=x onerror=window.pwned=1>"');
    await page.locator('.msg .text', { hasText: 'Added C-2 <b>Bold</b>' }).waitFor();
    expect(await page.locator('#log b').count()).toBe(0);
    expect(await page.evaluate(() => (window as unknown as { pwned?: number }).pwned)).toBeUndefined();

    mkdirSync(new URL('./artifacts/', import.meta.url), { recursive: true });
    await page.screenshot({ path: SCREENSHOT, fullPage: true });
    expect(existsSync(SCREENSHOT)).toBe(true);
  });

  it('shows what the system pushes to the person live, from the inbox', async () => {
    const page = await browser.newPage();
    await page.goto(app.url);
    await page.fill('#user', 'carol');
    await page.dispatchEvent('#user', 'change');
    await app.engine.outbox.send('default', { platform: 'web', target: 'web:carol', reply: { text: 'How likely are you to recommend us?', buttons: [{ id: 'crm.whoami', label: 'Who am I', value: '' }] }, idempotencyKey: 'browser-push-1' });
    await app.engine.outbox.drain();
    await page.locator('.msg.pushed .text', { hasText: 'How likely are you to recommend us?' }).waitFor({ timeout: 10_000 });
    await page.locator('.msg.pushed button', { hasText: 'Who am I' }).click();
    await page.locator('.msg .text', { hasText: 'You are carol (web:carol)' }).waitFor();
  });
});
