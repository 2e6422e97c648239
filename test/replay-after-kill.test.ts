import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../config/index.js';
import { crmCommand } from '../core/commands/crm.js';
import { Engine } from '../core/engine.js';
import { PluginHost } from '../core/plugins/host.js';
import { salesCommands } from '../core/sales/commands.js';
import { openSqliteStore } from '../core/store/sqlite/engine.js';
import type { Case, ChatEvent, Customer, Deal, Interaction, OutboxItem, Store } from '../core/index.js';

/**
 * A process killed (kill -9) at a chosen point of handling an acknowledged request, then another process on
 * the same SQLite file replaying the inbox once the lease ran out. The kill is a promise that never settles:
 * nothing after that point runs in the first process, with no timer involved.
 */
const T0 = Date.parse('2026-06-30T12:00:00.000Z');
const LEASE_MS = 10_000;
const never = new Promise<never>(() => {});

type Kill = (store: Store, stopped: () => void) => Store;

/** Dies right after the dedupe mark committed, before the event's effects. */
const afterFirstSeen: Kill = (store, stopped) => ({
  ...store,
  system: Object.assign(Object.create(store.system) as Store['system'], {
    firstSeen: async (key: string, now: string) => {
      await store.system.firstSeen(key, now);
      stopped();
      return never;
    },
  }),
});

/** Dies after the event was handled in full, before the inbox heard it was done. */
const beforeDoneMark: Kill = (store, stopped) => ({
  ...store,
  system: Object.assign(Object.create(store.system) as Store['system'], {
    inbox: { ...store.system.inbox, done: async () => (stopped(), never) },
  }),
});

type Writes = 'customers' | 'deals' | 'cases' | 'interactions';

/** Dies inside a command, right after one of its writes (`repo.method`) committed and before the command finished. */
const afterWrite = (repo: Writes, method: string): Kill => (store, stopped) => ({
  ...store,
  tenant: (id) => {
    const t = store.tenant(id);
    const r = t[repo] as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>;
    const dying = async (...args: unknown[]) => {
      await r[method]!(...args);
      stopped();
      return never;
    };
    return { ...t, [repo]: { ...r, [method]: dying } };
  },
});
const afterInteraction = afterWrite('interactions', 'add');

/** Dies inside a plugin's command, right after its append to the plugin's ledger committed. */
const afterLedgerAppend: Kill = (store, stopped) => ({
  ...store,
  tenant: (id) => {
    const t = store.tenant(id);
    return {
      ...t,
      ledger: (plugin: string, name: string) => {
        const l = t.ledger(plugin, name);
        return { ...l, append: async (...args: Parameters<typeof l.append>) => (await l.append(...args), stopped(), never) };
      },
    };
  },
});

/** Dies inside a plugin's command, right after it wrote (`insertIfAbsent` or `put`) a document of `collection`. */
const afterDocWrite = (collection: string, method: 'insertIfAbsent' | 'put' = 'insertIfAbsent'): Kill => (store, stopped) => ({
  ...store,
  tenant: (id) => {
    const t = store.tenant(id);
    const docs = <T extends { id: string }>(plugin: string, name: string) => {
      const c = t.docs<T>(plugin, name);
      if (name !== collection) return c;
      return { ...c, [method]: async (doc: T) => (await c[method](doc), stopped(), never) };
    };
    return { ...t, docs };
  },
});

const opened: Store[] = [];
afterEach(async () => {
  for (const s of opened.splice(0)) await s.close();
});

const PLUGINS = { loyalty: { enabled: true, config: {} }, surveys: { enabled: true, config: {} }, 'social-listening': { enabled: true, config: {} }, 'kpi-digest': { enabled: true, config: {} } };

/** One process on the store file: the core's commands and the plugins whose writes a replay must not repeat. */
async function engineOn(file: string, holder: string, clock: () => number, wrap?: (s: Store) => Store): Promise<Engine> {
  const config = loadConfig({ PORT: '0', CRM_CONFIG: 'test.json' }, () => JSON.stringify({ roles: { assign: { 'web:ann': 'admin' } }, plugins: PLUGINS }));
  const raw = openSqliteStore(file);
  opened.push(raw);
  const engine = new Engine({ config, store: wrap ? wrap(raw) : raw, logger: pino({ level: 'silent' }), holder, clock });
  engine.commands.register(crmCommand);
  for (const c of salesCommands) engine.commands.register(c);
  await new PluginHost(engine, fileURLToPath(new URL('../plugins/', import.meta.url))).loadAll(config.file.plugins);
  return engine;
}

const said = (user: string, text: string, eventId: string | null = null): ChatEvent =>
  ({ platform: 'web', scope: null, actor: { identity: `web:${user}`, displayName: user }, channel: `web:${user}`, eventId, text });

interface Book {
  customers: Customer[];
  deals: Deal[];
  cases: Case[];
  interactions: Interaction[];
}

/** Submits `ev` to a first process that dies at `kill`; then a second process replays the inbox. What is stored after, and what the person was sent. */
async function killThenReplay(file: string, ev: ChatEvent, kill: Kill): Promise<Book & { sent: OutboxItem[] }> {
  let stopped!: () => void;
  const dead = new Promise<void>((ok) => (stopped = ok));
  const first = await engineOn(file, 'p1', () => T0, (s) => kill(s, stopped));
  const accepted = await first.ingress.submit(ev);
  expect(accepted.kind === 'accepted' && accepted.id).toBeTruthy();
  await dead;

  const second = await engineOn(file, 'p2', () => T0 + LEASE_MS + 1);
  second.ingress.start();
  await second.ingress.stop();
  const sent: OutboxItem[] = [];
  second.outbox.registerSender('web', async (item) => (sent.push(item), { ok: true }));
  while ((await second.outbox.drain(100)) > 0);
  const { bulk } = second.store.tenant(second.tenantFor('web', null));
  const [customers, deals, cases, interactions] = await Promise.all([
    bulk.page('customers', 0, 100), bulk.page('deals', 0, 100), bulk.page('cases', 0, 100), bulk.page('interactions', 0, 100),
  ]);
  return { customers, deals, cases, interactions, sent };
}

/** A store file with the customer Acme in it, added by an admin through the engine. */
async function withAcme(): Promise<string> {
  const file = join(mkdtempSync(join(tmpdir(), 'crm-replay-')), 'crm.sqlite');
  const setup = await engineOn(file, 'setup', () => T0 - 60_000);
  await setup.handle(said('ann', '/customer add Acme', 'setup-1'));
  return file;
}

describe('an acknowledged request whose process was killed is handled exactly once by the replay', () => {
  it('a chat message: killed after its dedupe mark, before it was stored', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'crm-replay-')), 'crm.sqlite');
    const { interactions } = await killThenReplay(file, said('bob', 'hello from bob', 'slack-like-1'), afterFirstSeen);
    expect(interactions.map((i) => [i.type, i.text, i.sourceEventId])).toEqual([['message', 'hello from bob', 'web:slack-like-1']]);
  });

  it('a command: killed after its dedupe mark, before it ran; the answer reaches the person through the outbox', async () => {
    const file = await withAcme();
    const { interactions, sent } = await killThenReplay(file, said('ann', '/log note Acme called about renewal'), afterFirstSeen);
    expect(interactions.filter((i) => i.type === 'note').map((i) => i.text)).toEqual(['called about renewal']);
    expect(sent.map((s) => [s.target, s.reply.text])).toEqual([['web:ann', expect.stringMatching(/^Logged a note with .* Acme\.$/)]]);
  });

  it('a command: killed after it ran in full, before the inbox done mark; the replay runs nothing again', async () => {
    const file = await withAcme();
    const { interactions, sent } = await killThenReplay(file, said('ann', '/customer add Globex'), beforeDoneMark);
    const replayed = await engineOn(file, 'check', () => T0);
    expect((await replayed.store.tenant('default').customers.findByName('Globex')).length).toBe(1);
    expect(interactions).toEqual([]);
    // Its answer is not kept (answers carry one-time codes and personal data), so the replay has none to send.
    expect(sent).toEqual([]);
  });

  it('a command: killed after its note was stored, before the command finished; the note is stored once', async () => {
    const file = await withAcme();
    const { interactions, sent } = await killThenReplay(file, said('ann', '/log note Acme sent the quote'), afterInteraction);
    expect(interactions.filter((i) => i.type === 'note').map((i) => i.text)).toEqual(['sent the quote']);
    expect(sent.map((s) => s.reply.text)).toEqual([expect.stringMatching(/^Logged a note with .* Acme\.$/)]);
  });
});

describe('a command killed right after one of its writes: the replay writes nothing twice and answers as the first run would have', () => {
  it('/customer add: killed after the customer was stored; the replay adds no second one and says it was added', async () => {
    const file = await withAcme();
    const { customers, sent } = await killThenReplay(file, said('ann', '/customer add Globex'), afterWrite('customers', 'create'));
    expect(customers.map((c) => c.name)).toEqual(['Acme', 'Globex']);
    expect(sent.map((s) => s.reply.text)).toEqual(['Added C-2 Globex, owned by you.']);
  });

  it('/deal add: killed after the deal was stored; one deal', async () => {
    const file = await withAcme();
    const { deals, sent } = await killThenReplay(file, said('ann', '/deal add Acme 1200'), afterWrite('deals', 'create'));
    expect(deals.map((d) => [d.id, d.customerId, d.amountMinor])).toEqual([[1, 1, 120_000]]);
    expect(sent.map((s) => s.reply.text)).toEqual(['Deal D-1 added.']);
  });

  it('/deal add for a new customer: killed after the customer was created; one customer, one deal, and the answer says it is new', async () => {
    const file = await withAcme();
    const { customers, deals, sent } = await killThenReplay(file, said('ann', '/deal add Initech 300 new:yes'), afterWrite('customers', 'create'));
    expect(customers.map((c) => c.name)).toEqual(['Acme', 'Initech']);
    expect(deals.map((d) => [d.customerId, d.amountMinor])).toEqual([[2, 30_000]]);
    expect(sent.map((s) => s.reply.text)).toEqual(['New customer C-2 Initech created. Deal D-1 added.']);
  });

  /** Acme's deal D-1, added by the admin before the kill, and what the event log says of it. */
  async function withDeal(): Promise<string> {
    const file = await withAcme();
    await (await engineOn(file, 'setup', () => T0 - 30_000)).handle(said('ann', '/deal add Acme 1200', 'setup-deal'));
    return file;
  }
  const dealEvents = async (file: string) => (await (await engineOn(file, 'check', () => T0)).store.tenant('default').events.after(0, ['deal.stage_changed', 'deal.won', 'deal.reopened'], 100)).map((e) => e.name);

  it('/deal stage: killed after the move was stored; one history entry, one stage change, and the answer names the stage it came from', async () => {
    const file = await withDeal();
    const { deals, sent } = await killThenReplay(file, said('ann', '/deal stage D-1 proposal'), afterWrite('deals', 'moveStage'));
    expect(deals[0]!.history.map((h) => h.stage)).toEqual(['lead', 'proposal']);
    expect(await dealEvents(file)).toEqual(['deal.stage_changed']);
    expect(sent.map((s) => s.reply.text)).toEqual(['D-1 moved from lead to proposal.']);
  });

  it('/deal won: killed after the deal was closed, before its purchase was recorded; the replay records it once and answers "moved", not "already won"', async () => {
    const file = await withDeal();
    const { deals, interactions, sent } = await killThenReplay(file, said('ann', '/deal won D-1'), afterWrite('deals', 'moveStage'));
    expect(deals[0]!.history.map((h) => h.stage)).toEqual(['lead', 'won']);
    expect(interactions.filter((i) => i.type === 'purchase').map((i) => [i.amountMinor, i.sourceEventId])).toEqual([[120_000, 'deal-won:1']]);
    expect(await dealEvents(file)).toEqual(['deal.stage_changed', 'deal.won']);
    expect(sent.map((s) => s.reply.text)).toEqual(['D-1 moved from lead to won.']);
  });

  it('/deal reopen: killed after the move was stored, before the won purchase was withdrawn; reopened once, purchase withdrawn', async () => {
    const file = await withDeal();
    await (await engineOn(file, 'setup', () => T0 - 20_000)).handle(said('ann', '/deal won D-1', 'setup-won'));
    const { deals, interactions, sent } = await killThenReplay(file, said('ann', '/deal reopen D-1'), afterWrite('deals', 'moveStage'));
    expect(deals[0]!.history.map((h) => h.stage)).toEqual(['lead', 'won', 'lead']);
    expect(interactions.filter((i) => i.type === 'purchase')).toEqual([]);
    expect(await dealEvents(file)).toEqual(['deal.stage_changed', 'deal.won', 'deal.stage_changed', 'deal.reopened']);
    expect(sent.map((s) => s.reply.text)).toEqual([expect.stringMatching(/^D-1 reopened: won to lead\. Its won purchase of .* is withdrawn/)]);
  });

  it('a second /deal won of the same deal, as a new request, is still refused', async () => {
    const file = await withDeal();
    const e = await engineOn(file, 'p', () => T0);
    await e.handle(said('ann', '/deal won D-1', 'won-1'));
    const again = await e.handle(said('ann', '/deal won D-1', 'won-2'));
    expect(again.map((r) => r.text)).toEqual([expect.stringContaining('D-1 is already won')]);
  });

  it('/log complaint: killed after the case was opened; one complaint, one case', async () => {
    const file = await withAcme();
    const { interactions, cases, sent } = await killThenReplay(file, said('ann', '/log complaint Acme parcel arrived broken'), afterWrite('cases', 'open'));
    expect(interactions.filter((i) => i.type === 'complaint').map((i) => i.text)).toEqual(['parcel arrived broken']);
    expect(cases.map((k) => [k.id, k.kind, k.summary])).toEqual([[1, 'complaint', 'parcel arrived broken']]);
    expect(sent.map((s) => s.reply.text)).toEqual([expect.stringMatching(/^Complaint logged for Acme; case K-1 opened for web:ann, due /)]);
  });
});

describe('a plugin command killed right after its write: the replay writes nothing twice', () => {
  /** Acme with 100 points and a stocked reward, given by the admin before the kill. */
  async function withPoints(): Promise<string> {
    const file = await withAcme();
    const setup = await engineOn(file, 'setup', () => T0 - 30_000);
    await setup.handle(said('ann', '/points give Acme 100 welcome gift', 'setup-2'));
    await setup.handle(said('ann', '/rewards add mug 30 5 Coffee mug', 'setup-3'));
    return file;
  }
  const entries = async (file: string, account: string) => (await (await engineOn(file, 'check', () => T0)).store.tenant('default').ledger('loyalty', 'points').entries(account));

  it('/points give: killed after the points were written; given once, and the answer says so', async () => {
    const file = await withPoints();
    const { sent } = await killThenReplay(file, said('ann', '/points give Acme 40 sorry for the delay'), afterLedgerAppend);
    expect((await entries(file, 'avail:1')).map((e) => [e.kind, e.delta])).toEqual([['adjust', 100], ['adjust', 40]]);
    expect(sent.map((s) => s.reply.text)).toEqual([expect.stringMatching(/^Gave 40 points to C-1 Acme \(sorry for the delay\)\. Balance: 140 points\. Undo with /)]);
  });

  it('/redeem: killed after the points and the stock were taken; taken once', async () => {
    const file = await withPoints();
    const { sent } = await killThenReplay(file, said('ann', '/redeem mug Acme'), afterLedgerAppend);
    expect((await entries(file, 'avail:1')).map((e) => [e.kind, e.delta])).toEqual([['adjust', 100], ['redeem', -30]]);
    expect((await entries(file, 'stock:mug')).map((e) => [e.kind, e.delta])).toEqual([['stock', 5], ['redeem', -1]]);
    expect(sent.map((s) => s.reply.text)).toEqual([expect.stringMatching(/^Redeemed Coffee mug for 30 points for C-1 Acme\. 70 points left\. Reference: redeem:/)]);
  });

  it('/rewards add: killed after the stock was written; stocked once', async () => {
    const file = await withPoints();
    await killThenReplay(file, said('ann', '/rewards add mug 30 5 Coffee mug'), afterLedgerAppend);
    expect((await entries(file, 'stock:mug')).map((e) => [e.kind, e.delta])).toEqual([['stock', 5], ['stock', 5]]);
  });

  it('/survey send: killed after the survey was created; one survey', async () => {
    const file = await withAcme();
    const { sent } = await killThenReplay(file, said('ann', '/survey send nps to everyone at 2026-07-01 09:00'), afterDocWrite('campaigns'));
    const check = await engineOn(file, 'check', () => T0);
    expect((await check.store.tenant('default').docs<{ id: string }>('surveys', 'campaigns').find({})).map((c) => c.id)).toEqual(['S-1']);
    expect(sent.map((s) => s.reply.text)).toEqual([expect.stringContaining('S-1')]);
  });

  it('/listen add: killed after the query was saved; the replay says it is listening, not that the query exists', async () => {
    const file = await withAcme();
    const { sent } = await killThenReplay(file, said('ann', '/listen add brand "acme" OR acmecorp'), afterDocWrite('queries', 'put'));
    const check = await engineOn(file, 'check', () => T0);
    expect((await check.store.tenant('default').docs<{ id: string }>('social-listening', 'queries').find({})).map((q) => q.id)).toEqual(['brand']);
    expect(sent.map((s) => s.reply.text)).toEqual([expect.stringMatching(/^Listening for brand: "acme" OR acmecorp\./)]);
  });

  it('/digest subscribe: killed after the subscription was saved; one subscription, and the replay answers with its id', async () => {
    const file = await withAcme();
    const { sent } = await killThenReplay(file, said('ann', '/digest subscribe daily 09:00 UTC'), afterDocWrite('subscriptions', 'put'));
    const check = await engineOn(file, 'check', () => T0);
    const subs = await check.store.tenant('default').docs<{ id: string }>('kpi-digest', 'subscriptions').find({});
    expect(subs).toHaveLength(1);
    expect(sent.map((s) => s.reply.text)).toEqual([`Subscribed ${subs[0]!.id}: daily at 09:00 UTC to web:ann (by web:ann), showing the company view. Stop it with /digest unsubscribe ${subs[0]!.id}.`]);
  });

  it('a second /listen add or /digest subscribe of the same, as a new request, is still refused', async () => {
    const file = await withAcme();
    const e = await engineOn(file, 'p', () => T0);
    await e.handle(said('ann', '/listen add brand acme', 'l-1'));
    await e.handle(said('ann', '/digest subscribe daily 09:00 UTC', 'd-1'));
    expect((await e.handle(said('ann', '/listen add brand acme', 'l-2'))).map((r) => r.text)).toEqual([expect.stringContaining('There is already a query "brand"')]);
    expect((await e.handle(said('ann', '/digest subscribe daily 09:00 UTC', 'd-2'))).map((r) => r.text)).toEqual([expect.stringContaining('This chat already gets that digest')]);
  });
});
