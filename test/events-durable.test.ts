import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../core/index.js';
import { say, startTestApp, type TestApp } from './helpers/app.js';
import { startProcess, startWorkerProcess } from './helpers/process.js';

/** Issue #23 items 1, 2, 3 and 6: a plugin's reaction to a stored fact happens exactly once, whatever process dies. */

/** Waits for a condition with a bound, then returns its last value (the assertion after it says what was expected). */
async function until<T>(read: () => Promise<T>, ok: (v: T) => boolean, ms = 60_000): Promise<T> {
  const end = Date.now() + ms;
  let v = await read();
  while (!ok(v) && Date.now() < end) {
    await new Promise((r) => setTimeout(r, 200));
    v = await read();
  }
  return v;
}

const post = async (url: string, user: string, text: string) => {
  const res = await fetch(`${url}/web/api/message`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ user, text }) });
  return ((await res.json()) as { replies: { text: string }[] }).replies;
};

function dataDirWith(config: object): { dataDir: string; env: Record<string, string> } {
  const dataDir = mkdtempSync(join(tmpdir(), 'crm-events-'));
  writeFileSync(join(dataDir, 'config.json'), JSON.stringify(config));
  return { dataDir, env: { CRM_DATA_DIR: dataDir, CRM_CONFIG: join(dataDir, 'config.json') } };
}

describe('the fault switch: the process dies right after the fact commits, the reaction comes after a restart', () => {
  it('loyalty points for a purchase and a won deal, a mention and its digest count, a won deal\'s survey: each exactly once', async () => {
    const { dataDir, env } = dataDirWith({
      currency: 'USD',
      roles: { assign: { 'web:boss': 'admin' } },
      plugins: { loyalty: { enabled: true }, 'social-listening': { enabled: true }, surveys: { enabled: true, config: { afterDealWonDays: 0 } } },
    });
    const first = await startProcess(env);
    await post(first.url, 'alice', '/customer add Acme');
    await post(first.url, 'boss', '/listen add brand acme');
    expect((await post(first.url, 'alice', '/deal add Acme 1,000 USD stage:proposal'))[0]!.text).toMatch(/D-1/);
    first.child.kill('SIGTERM');
    await first.exited;

    // Each fact in its own process armed with the switch: the reply never comes, the process is gone.
    for (const [user, text] of [['alice', '/log purchase Acme 250'], ['alice', '/deal won D-1'], ['carol', 'I really like acme these days']]) {
      const armed = await startProcess({ ...env, CRM_FAULT_CRASH_AFTER_COMMIT: '1', NODE_ENV: 'test' });
      await expect(post(armed.url, user!, text!)).rejects.toThrow();
      expect(await armed.exited).not.toBe(0);
    }

    const store: Store = await openStore({ dataDir });
    try {
      const ts = store.tenant('default');
      const ledger = ts.ledger('loyalty', 'points');
      const purchase = (await ts.interactions.listForCustomer(1, 100)).find((i) => i.type === 'purchase' && i.amountMinor === 250_00)!;
      // The facts are stored; the last one's reaction has not happened (each earlier one's came with the next restart).
      expect(purchase).toBeDefined();
      expect((await ts.deals.get(1))?.stage).toBe('won');
      expect(await ts.docs('social-listening', 'mentions').find({}, { limit: 10 })).toEqual([]);

      const again = await startProcess(env);
      try {
        const keysOf = async () => [...(await ledger.entries('pending:1')), ...(await ledger.entries('avail:1'))].map((e) => e.key).filter((k) => /^(purchase|dealWon):/.test(k)).sort();
        expect(await until(keysOf, (k) => k.length >= 2)).toEqual(['dealWon:1', `purchase:${purchase.id}`]);
        const mentions = ts.docs<{ id: string }>('social-listening', 'mentions');
        expect(await until(() => mentions.find({}, { limit: 10 }), (m) => m.length >= 1)).toHaveLength(1);
        const triggers = ts.docs<{ id: string; campaignId: string }>('surveys', 'triggers');
        expect(await until(async () => (await triggers.get('deal:1'))?.campaignId ?? '', (c) => c !== '')).toMatch(/^S-\d+$/);
        const bounds = ['2000-01-01T00:00:00.000Z', '2100-01-01T00:00:00.000Z'];
        const mood = (await ts.analytics.mentionDigest(bounds, null)).perBucket[0]!;
        expect(mood.negative + mood.neutral + mood.positive).toBe(1);

        // Nothing failed on the way, and nothing came twice.
        const subs = (await store.system.subscriptions.list({})).filter((s) => s.tenant === 'default');
        expect(subs.filter((s) => s.parkedAt !== null || s.lastError !== null)).toEqual([]);
        expect(subs.map((s) => s.name)).toEqual(expect.arrayContaining(['loyalty:interaction.recorded', 'loyalty:deal.won', 'surveys:deal.won', 'social-listening:message.received']));
        expect(await keysOf()).toEqual(['dealWon:1', `purchase:${purchase.id}`]);
        expect(await mentions.find({}, { limit: 10 })).toHaveLength(1);
        expect((await triggers.find({}, { limit: 10 }))).toHaveLength(1);
        const digest = (await ts.analytics.mentionDigest(bounds, null)).perBucket[0]!;
        expect(digest.negative + digest.neutral + digest.positive).toBe(1);
      } finally {
        again.child.kill('SIGTERM');
        await again.exited;
      }
    } finally {
      await store.close();
    }
  }, 180_000);
});

describe('a failing handler', () => {
  let app: TestApp;
  let broken = true;
  const delivered: number[] = [];
  beforeAll(async () => {
    app = await startTestApp({ CRM_ADMINS: 'web:boss' }, { events: { maxAttempts: 3, backoffMs: 10, maxBackoffMs: 20, pollMs: 20 } });
    app.engine.bus.subscribe('test:flaky', 'customer.created', ({ customer }) => {
      if (broken) throw new Error('flaky store is down');
      delivered.push(customer.id);
    });
  });
  afterAll(() => app.stop());
  const subs = () => app.engine.store.system.subscriptions.list({});

  it('is retried with backoff, then parked with an alert, while the other subscriptions move on', async () => {
    await say(app, 'alice', '/customer add First');
    const parked = await until(() => app.engine.bus.parked('default'), (p) => p.length > 0);
    expect(parked.map((p) => [p.name, p.attempts, p.lastError])).toEqual([['test:flaky', 3, 'flaky store is down']]);
    await say(app, 'alice', '/customer add Second');
    const loyalty = (await subs()).find((s) => s.name === 'loyalty:customer.created')!;
    expect(loyalty).toMatchObject({ position: 2, parkedAt: null });
    expect((await subs()).find((s) => s.name === 'test:flaky')).toMatchObject({ position: 0 });
    expect(await app.engine.metrics.render()).toMatch(/crm_events_parked 1/);
  });

  it('shows in /crm events for admins only; retry delivers in order once fixed', async () => {
    expect((await say(app, 'alice', '/crm events'))[0].text).toMatch(/admin/i);
    const [list] = await say(app, 'boss', '/crm events');
    expect(list.text).toMatch(/1 subscription is parked/);
    expect(list.fields).toEqual([{ label: 'test:flaky', value: expect.stringMatching(/event 1, 3 attempts, parked .*: flaky store is down/) }]);
    expect((await say(app, 'boss', '/crm events retry nope'))[0].text).toMatch(/nope is not parked/);
    expect((await say(app, 'boss', '/crm events again test:flaky'))[0].text).toMatch(/retry <subscription>/);
    broken = false;
    expect((await say(app, 'boss', '/crm events retry test:flaky'))[0].text).toMatch(/tries its failed event again/);
    expect(await until(async () => [...delivered], (d) => d.length >= 2)).toEqual([1, 2]);
    expect((await say(app, 'boss', '/crm events'))[0].text).toMatch(/No plugin reaction is parked/);
  });

  it('skip steps over the failed event and the subscription goes on with the next', async () => {
    broken = true;
    await say(app, 'alice', '/customer add Third');
    await until(() => app.engine.bus.parked('default'), (p) => p.length > 0);
    expect((await say(app, 'boss', '/crm events skip test:flaky'))[0].text).toMatch(/skipped its failed event/);
    broken = false;
    await say(app, 'alice', '/customer add Fourth');
    expect(await until(async () => [...delivered], (d) => d.length >= 3)).toEqual([1, 2, 4]);
  });
});

describe('processes sharing one SQLite file', () => {
  it('facts stored by a web process killed with -9 are delivered by two workers, every event exactly once', async () => {
    const { dataDir, env } = dataDirWith({
      rateLimit: { sourcePerMinute: 100_000, commandsPerMinute: 100_000 },
      plugins: { tally: { path: fileURLToPath(new URL('./fixtures/plugins/tally/', import.meta.url)) }, 'social-listening': { enabled: true } },
    });
    const web = await startProcess(env, ['--role', 'web']);
    const people = Array.from({ length: 40 }, (_, i) => `p${i}`);
    for (let i = 0; i < 3; i++) await Promise.all(people.map((u) => post(web.url, u, `message ${i} from ${u}`)));
    web.child.kill('SIGKILL');
    await web.exited;

    const store = await openStore({ dataDir });
    const deliveries = store.tenant('default').docs<{ id: string; n: number }>('tally', 'deliveries');
    // The web role runs no dispatcher: nothing was delivered before it died.
    expect(await deliveries.find({}, { limit: 1 })).toEqual([]);
    const workers = [await startWorkerProcess(env), await startWorkerProcess(env)];
    try {
      const all = await until(() => deliveries.find({}, { limit: 1000 }), (d) => d.length >= people.length * 3);
      expect(all).toHaveLength(people.length * 3);
      // Give a second delivery every chance to show: both workers keep polling while the cursors are re-read.
      const sub = await until(async () => (await store.system.subscriptions.list({})).find((s) => s.name === 'tally:message.received'),
        (s) => s?.position === people.length * 3);
      expect(sub?.position).toBe(people.length * 3);
      expect((await deliveries.find({}, { limit: 1000 })).filter((d) => d.n !== 1)).toEqual([]);
    } finally {
      for (const w of workers) w.child.kill('SIGTERM');
      await Promise.all(workers.map((w) => w.exited));
      await store.close();
    }
  }, 180_000);
});
