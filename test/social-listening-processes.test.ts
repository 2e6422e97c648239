import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { say, startTestApp, type TestApp } from './helpers/app.js';
import { startProcess } from './helpers/process.js';

/** Listening queries live in the store: a change made in one process reaches every other before its next match. */
describe('listening queries across processes on one SQLite file', () => {
  let dataDir: string;
  let feeds: Server;
  let feedBase: string;
  let web: Awaited<ReturnType<typeof startProcess>>;
  let worker: TestApp;

  const post = async (user: string, text: string) => {
    const res = await fetch(`${web.url}/web/api/message`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ user, text }) });
    expect(res.status).toBe(200);
    return ((await res.json()) as { replies: { text: string; fields?: { label: string; value: string }[] }[] }).replies;
  };
  // The web role stores messages; the worker's dispatcher reacts (issue #23): wait, bounded, until it delivered every one.
  const delivered = async () => {
    const ts = worker.engine.store.tenant('default');
    const last = (await ts.events.after(0, ['message.received'], 100_000)).at(-1)?.position ?? 0;
    const cursor = async () => (await worker.engine.store.system.subscriptions.list({})).find((s) => s.tenant === 'default' && s.name === 'social-listening:message.received')?.position ?? 0;
    for (const end = Date.now() + 10_000; (await cursor()) < last && Date.now() < end;) await new Promise((r) => setTimeout(r, 50));
    expect(await cursor()).toBeGreaterThanOrEqual(last);
  };
  const mentionsOf = async (query: string) => worker.engine.store.tenant('default').docs<{ id: string; query: string; excerpt: string }>('social-listening', 'mentions').find({ query }, { limit: 100 });

  beforeAll(async () => {
    feeds = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(`<?xml version="1.0"?><rss version="2.0"><channel>
        <item><title>Widgetco recalls a product</title><guid>w1</guid><pubDate>${new Date().toUTCString()}</pubDate><description>Widgetco says sorry.</description></item>
      </channel></rss>`);
    });
    await new Promise<void>((r) => feeds.listen(0, '127.0.0.1', r));
    feedBase = `http://127.0.0.1:${(feeds.address() as AddressInfo).port}`;
    dataDir = mkdtempSync(join(tmpdir(), 'crm-listen-procs-'));
    const config = { roles: { assign: { 'web:mona': 'manager' } }, plugins: { 'social-listening': { enabled: true, config: {} } } };
    writeFileSync(join(dataDir, 'config.json'), JSON.stringify(config));
    // The worker side runs in this test process (so the test can fire its poll); the web side is a real child process.
    worker = await startTestApp({ CRM_DATA_DIR: dataDir }, config);
    web = await startProcess({ CRM_DATA_DIR: dataDir, CRM_CONFIG: join(dataDir, 'config.json') }, ['--role', 'web']);
  }, 60_000);
  afterAll(async () => {
    web.child.kill('SIGTERM');
    await web.exited;
    await worker.stop();
    await new Promise((r) => feeds.close(r));
  });

  it('a query added in the web process matches a message taken by the other process and a feed item its poll reads', async () => {
    // Both processes have matched once with no queries, so each holds a compiled (empty) matcher.
    await say(worker, 'bob', 'warming up the worker: widgetco');
    await post('bob', 'warming up the web process: widgetco');
    // Its reaction comes from the worker: wait for it, so the warm-up is heard before the query exists.
    await delivered();
    expect(await mentionsOf('widgets')).toEqual([]);

    expect((await post('mona', '/listen add widgets widgetco'))[0]!.text).toMatch(/^Listening for widgets/);
    await say(worker, 'carol', 'widgetco shipped my order late again');
    expect((await mentionsOf('widgets')).map((m) => m.excerpt)).toEqual(['widgetco shipped my order late again']);

    expect((await say(worker, 'mona', `/listen source add rss ${feedBase}/feed.xml`))[0].text).toMatch(/^Source S-1 added/);
    expect(await worker.engine.scheduler.fire('social-listening:poll-sources', new Date())).toBe(true);
    expect((await mentionsOf('widgets')).map((m) => m.excerpt).sort()).toEqual(['Widgetco recalls a product — Widgetco says sorry.', 'widgetco shipped my order late again']);
  }, 30_000);

  it('a query added in the worker process matches in the web process, and a removed query stops matching everywhere', async () => {
    expect((await say(worker, 'mona', '/listen add gadgets gadgetron'))[0].text).toMatch(/^Listening for gadgets/);
    await post('dave', 'gadgetron is fine I guess');
    await delivered();
    expect(await mentionsOf('gadgets')).toHaveLength(1);

    // Removed in the web process while the worker holds it compiled; removed in the worker while the web process does.
    expect((await post('mona', '/listen remove gadgets'))[0]!.text).toMatch(/^Stopped listening for gadgets/);
    expect((await say(worker, 'mona', '/listen remove widgets'))[0].text).toMatch(/^Stopped listening for widgets/);
    await say(worker, 'erin', 'gadgetron and widgetco both, in the worker');
    await post('erin', 'gadgetron and widgetco both, in the web process');
    await delivered();
    expect(await mentionsOf('gadgets')).toHaveLength(1);
    expect(await mentionsOf('widgets')).toHaveLength(2);
  }, 30_000);
});
