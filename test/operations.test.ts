import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSqliteStore } from '../core/store/sqlite/engine.js';
import type { Store } from '../core/store/port.js';
import { say, startTestApp, web, type TestApp } from './helpers/app.js';
import { startProcess } from './helpers/process.js';

describe('metrics and rate limits', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({}, { rateLimit: { commandsPerMinute: 3 } });
  });
  afterAll(() => app.stop());

  it('stops one identity flooding the bot with a clear reply, and spares the others', async () => {
    for (let i = 0; i < 3; i++) expect((await say(app, 'flood', '/crm whoami'))[0].text).toMatch(/You are flood/);
    const over = await web(app, '/web/api/message', { user: 'flood', text: '/crm whoami' });
    expect(over.status).toBe(429);
    expect(over.json.error).toMatch(/^Slow down: at most 3 commands and messages a minute\. Try again in \d+ seconds\.$/);
    expect((await say(app, 'calm', '/crm whoami'))[0].text).toMatch(/You are calm/);
  });

  it('exposes Prometheus metrics: requests, command latency, ingest, outbox depth', async () => {
    await say(app, 'm', 'a community message');
    // No Discord adapter runs here, so the item stays queued however fast the web sender is.
    await app.engine.outbox.send('default', { platform: 'discord', target: 'discord:1', reply: { text: 'x' }, idempotencyKey: 'metrics-1' });
    const text = await (await fetch(`${app.url}/metrics`)).text();
    expect(text).toMatch(/^crm_http_requests_total\{route="POST \/web\/api\/message",status="200"\} \d+$/m);
    expect(text).toMatch(/^crm_command_duration_seconds_count\{command="crm"\} [1-9]\d*$/m);
    expect(text).toMatch(/^crm_ingested_events_total\{kind="message",platform="web"\} 1$/m);
    expect(text).toMatch(/^crm_outbox_depth\{platform="discord"\} 1$/m);
  });
});

describe('faults', () => {
  it('kill -9 during ingest: every acknowledged message survives the restart and the store stays consistent', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'crm-kill-'));
    const configFile = join(dataDir, 'config.json');
    writeFileSync(configFile, JSON.stringify({ roles: { defaults: { web: 'customer' } } }));
    const env = { CRM_DATA_DIR: dataDir, CRM_CONFIG: configFile };
    const first = await startProcess(env);
    const acknowledged: string[] = [];
    let killed = false;
    const send = async (i: number) => {
      const text = `message number ${i}`;
      try {
        const res = await fetch(`${first.url}/web/api/message`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ user: `u${i % 10}`, text }) });
        if (res.status === 200 || res.status === 202) acknowledged.push(text);
      } catch {
        // the process is gone: this one was never acknowledged
      }
      if (acknowledged.length >= 150 && !killed) {
        killed = true;
        first.child.kill('SIGKILL');
      }
    };
    const workers = Array.from({ length: 8 }, async (_, w) => {
      for (let i = w; i < 2000 && !killed; i += 8) await send(i);
    });
    await Promise.all(workers);
    await first.exited;
    expect(acknowledged.length).toBeGreaterThanOrEqual(150);

    const second = await startProcess(env);
    expect((await fetch(`${second.url}/healthz`)).status).toBe(200);
    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);

    const store = openSqliteStore(join(dataDir, 'crm.sqlite'));
    expect(await store.verify()).toEqual([]);
    const stored = new Set<string>();
    const ts = store.tenant('default');
    for (let c = 1; c <= 10; c++) for (const i of await ts.interactions.listForCustomer(c, 5000)) stored.add(i.text);
    expect(acknowledged.filter((t) => !stored.has(t))).toEqual([]);
    await store.close();
  }, 60_000);

  /**
   * 200 web chat clients send `text(client, n)` until `killAt` requests were acknowledged (200 answered, 202
   * queued; a 503 promised nothing), then the process is killed -9 and a second one starts on the same data,
   * replaying what the first acknowledged. `settled` reads the store until it holds every acknowledged request.
   */
  async function burstThenKill<T>(name: string, webRole: string, text: (c: number, i: number) => string, settled: (store: Store, acknowledged: string[]) => Promise<{ done: boolean; result: T }>): Promise<{ acknowledged: string[]; result: T }> {
    const dataDir = mkdtempSync(join(tmpdir(), `crm-kill-${name}-`));
    const configFile = join(dataDir, 'config.json');
    writeFileSync(configFile, JSON.stringify({ roles: { defaults: { web: webRole } }, rateLimit: { commandsPerMinute: 100_000, sourcePerMinute: 1_000_000 } }));
    const env = { CRM_DATA_DIR: dataDir, CRM_CONFIG: configFile };
    const first = await startProcess(env);
    const acknowledged: string[] = [];
    let killed = false;
    const clients = Array.from({ length: 200 }, async (_, c) => {
      for (let i = 0; !killed && i < 50; i++) {
        const line = text(c, i);
        try {
          const res = await fetch(`${first.url}/web/api/message`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ user: `b${c}`, text: line }) });
          await res.arrayBuffer();
          if (res.status === 200 || res.status === 202) acknowledged.push(line);
        } catch {
          // the process is gone: this one was never acknowledged
        }
        if (acknowledged.length >= 600 && !killed) {
          killed = true;
          first.child.kill('SIGKILL');
        }
      }
    });
    await Promise.all(clients);
    await first.exited;
    expect(acknowledged.length).toBeGreaterThanOrEqual(600);

    // The next process replays what the dead one acknowledged once their leases run out.
    const second = await startProcess(env);
    const read = async () => {
      const store = openSqliteStore(join(dataDir, 'crm.sqlite'));
      try {
        return await settled(store, acknowledged);
      } finally {
        await store.close();
      }
    };
    let state = await read();
    for (let n = 0; n < 60 && !state.done; n++) {
      await new Promise((r) => setTimeout(r, 1000));
      state = await read();
    }
    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);
    const store = openSqliteStore(join(dataDir, 'crm.sqlite'));
    expect(await store.verify()).toEqual([]);
    await store.close();
    return { acknowledged, result: state.result };
  }

  it('kill -9 during a 200-client burst: every acknowledged message (answered or queued) is stored exactly once after the restart', async () => {
    const { acknowledged, result: counts } = await burstThenKill('burst', 'customer', (c, i) => `burst ${c}-${i}`, async (store, acked) => {
      const counts = new Map<string, number>();
      const ts = store.tenant('default');
      for (let c = 1; c <= 400; c++) for (const i of await ts.interactions.listForCustomer(c, 5000)) counts.set(i.text, (counts.get(i.text) ?? 0) + 1);
      return { done: acked.every((t) => counts.has(t)), result: counts };
    });
    expect(acknowledged.filter((t) => !counts.has(t))).toEqual([]);
    expect([...counts].filter(([, n]) => n > 1)).toEqual([]);
  }, 120_000);

  it('kill -9 during a 200-client burst of commands: every acknowledged /deal add made its customer and its deal exactly once', async () => {
    const name = (line: string) => /^\/deal add (\S+)/.exec(line)![1]!;
    const { acknowledged, result: book } = await burstThenKill('commands', 'rep', (c, i) => `/deal add k${c}x${i} 100 new:yes`, async (store, acked) => {
      const ts = store.tenant('default');
      // Deals first: the restarted process is still replaying, and a deal read before its customer's row could be
      // missed would look like a deal without a customer (the two reads are not one snapshot).
      const deals = await ts.bulk.page('deals', 0, 100_000);
      const customers = await ts.bulk.page('customers', 0, 100_000);
      const named = new Map(customers.map((c) => [c.id, c.name]));
      const count = (names: string[]) => names.reduce((m, n) => m.set(n, (m.get(n) ?? 0) + 1), new Map<string, number>());
      const book = {
        customers: count(customers.map((c) => c.name)), deals: count(deals.flatMap((d) => named.get(d.customerId) ?? [])),
        withoutCustomer: deals.filter((d) => !named.has(d.customerId)).map((d) => d.id),
      };
      return { done: acked.every((line) => book.deals.has(name(line))), result: book };
    });
    expect(acknowledged.map(name).filter((n) => book.customers.get(n) !== 1 || book.deals.get(n) !== 1)).toEqual([]);
    expect([...book.customers, ...book.deals].filter(([, n]) => n > 1)).toEqual([]);
    expect(book.withoutCustomer).toEqual([]);
  }, 120_000);

  it('kill -9 during a survey fan-out: after restart everyone has exactly one survey', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'crm-kill-survey-'));
    const configFile = join(dataDir, 'config.json');
    writeFileSync(configFile, JSON.stringify({
      roles: { defaults: { web: 'customer' }, assign: { 'web:mona': 'manager' } },
      // 1,500 people who would each come from their own address arrive here from one loopback address.
      rateLimit: { sourcePerMinute: 100_000 },
      plugins: { surveys: { enabled: true, config: { pageSize: 50, maxRecipientsPerTick: 100_000, quietHours: { start: '00:00', end: '00:00' } } } },
    }));
    const env = { CRM_DATA_DIR: dataDir, CRM_CONFIG: configFile };
    const people = Array.from({ length: 1500 }, (_, i) => `p${i}`);
    const first = await startProcess(env);
    const post = (url: string, user: string, text: string) => fetch(`${url}/web/api/message`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ user, text }) });
    for (let i = 0; i < people.length; i += 50) await Promise.all(people.slice(i, i + 50).map((u) => post(first.url, u, 'hi')));
    await post(first.url, 'mona', 'hello');

    // The campaign command runs the fan-out; kill the process once some surveys went out, long before all did.
    const sending = post(first.url, 'mona', '/survey send nps to everyone').catch(() => null);
    const sentSoFar = async () => Number(/^crm_outbox_sent_total\{platform="web"\} (\d+)$/m.exec(await (await fetch(`${first.url}/metrics`)).text())?.[1] ?? 0);
    for (let n = 0; n < 2000 && (await sentSoFar()) < 100; n++) await new Promise((r) => setTimeout(r, 10));
    first.child.kill('SIGKILL');
    await first.exited;
    await sending;

    // The next process resumes the campaign on its minute tick; wait until everyone has it.
    const second = await startProcess(env);
    const delivered = async () => {
      let total = 0;
      for (let i = 0; i < people.length; i += 100) {
        const counts = await Promise.all(people.slice(i, i + 100).map(async (u) => (await (await fetch(`${second.url}/web/api/inbox?user=${u}`)).json()).messages.length as number));
        total += counts.reduce((a, b) => a + b, 0);
        expect(Math.max(...counts)).toBeLessThanOrEqual(1);
      }
      return total;
    };
    const until = Date.now() + 150_000;
    let total = await delivered();
    while (total < people.length && Date.now() < until) {
      await new Promise((r) => setTimeout(r, 2000));
      total = await delivered();
    }
    expect(total).toBe(people.length);
    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);
  }, 240_000);
});
