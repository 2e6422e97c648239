import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChatEvent } from '../core/index.js';
import { startTestApp, type TestApp } from './helpers/app.js';

/**
 * A known person's message writes their identity only when it changes something or last-seen is a minute old;
 * everything else is decided on the identity read with that message, so a change made elsewhere (another
 * process, the outbox, a role grant) is seen by the next message at once.
 */
describe("a known person's messages and their identity", () => {
  const t0 = Date.parse('2026-11-27T12:00:00.000Z');
  let now = t0;
  let app: TestApp;
  let n = 0;
  const say = (displayName = 'Ann', extra: Partial<ChatEvent['actor']> = {}) => app.engine.handle({
    platform: 'telegram', scope: null, actor: { identity: 'telegram:501', displayName, ...extra }, channel: 'dm', eventId: `touch-${++n}`, text: `hello ${n}`,
  });
  const ts = () => app.engine.store.tenant('default');
  const link = async () => (await ts().identities.get('telegram:501'))!;

  beforeAll(async () => {
    app = await startTestApp({}, undefined, () => [], () => now);
  });
  afterAll(() => app.stop());

  it('writes last-seen on first contact, then not again within a minute while nothing changes', async () => {
    await say();
    const first = await link();
    expect(first).toMatchObject({ displayName: 'Ann', role: 'customer', reachable: true, lastSeenAt: new Date(t0).toISOString() });
    now = t0 + 30_000;
    await say();
    expect((await link()).lastSeenAt).toBe(new Date(t0).toISOString());
    // The message itself is stored, on the person's customer record.
    const stored = await ts().interactions.listForCustomer(first.customerId!, 10);
    expect(stored.map((i) => i.text)).toEqual(['hello 2', 'hello 1']);
  });

  it('writes at once what a message changes: reachability the outbox took away, a new name, a locale, a zone filling a gap', async () => {
    await ts().identities.setReachable('telegram:501', false);
    now = t0 + 31_000;
    await say();
    expect(await link()).toMatchObject({ reachable: true, lastSeenAt: new Date(now).toISOString() });
    now += 1_000;
    await say('Ann B.');
    expect(await link()).toMatchObject({ displayName: 'Ann B.', lastSeenAt: new Date(now).toISOString() });
    now += 1_000;
    await say('Ann B.', { locale: 'de' });
    expect(await link()).toMatchObject({ locale: 'de', lastSeenAt: new Date(now).toISOString() });
    now += 1_000;
    await say('Ann B.', { locale: 'de', timezone: 'Europe/Berlin' });
    expect(await link()).toMatchObject({ timezone: 'Europe/Berlin', lastSeenAt: new Date(now).toISOString() });
  });

  it('refreshes last-seen once it is a minute old', async () => {
    const written = Date.parse((await link()).lastSeenAt);
    now = written + 59_999;
    await say('Ann B.');
    expect((await link()).lastSeenAt).toBe(new Date(written).toISOString());
    now = written + 60_000;
    await say('Ann B.');
    expect((await link()).lastSeenAt).toBe(new Date(now).toISOString());
  });

  it('applies a role granted elsewhere on the very next message, touch skipped or not', async () => {
    // As another process's /crm role leaves it before applying it: the grant stored, the identity not yet changed.
    await ts().docs<{ id: string; role: string; by: string; at: string }>('core', 'role_grants')
      .put({ id: 'telegram:501', role: 'manager', by: 'telegram:1', at: new Date(now).toISOString() });
    now += 1_000;
    await say('Ann B.');
    expect(await link()).toMatchObject({ role: 'manager' });
  });
});
