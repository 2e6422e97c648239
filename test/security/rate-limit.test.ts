import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { postJson } from './http.js';

describe('rate limits that hold against a spray of made-up identities', () => {
  let app: TestApp;
  let now = Date.parse('2026-03-02T09:00:00.000Z');
  const limits = { commandsPerMinute: 5, sourcePerMinute: 500, trackedKeys: 1000 };
  beforeAll(async () => {
    app = await startTestApp({}, { rateLimit: limits }, undefined, () => now);
  });
  afterAll(() => app.stop());
  const alice = () => postJson(app, '/web/api/message', { user: 'alice', text: '/crm whoami' }, {}, '127.0.0.2');

  it('keeps a throttled identity throttled and memory bounded while 50,000 made-up identities arrive', async () => {
    for (let i = 0; i < 5; i++) expect((await alice()).status).toBe(200);
    const over = await alice();
    expect(over.status).toBe(429);
    expect(Number(over.headers['retry-after'])).toBeGreaterThan(0);

    // 50,000 identities from four client addresses, 64 requests in flight.
    const statuses = new Map<number, number>();
    let next = 0;
    const sources = ['127.0.0.1', '127.0.0.3', '127.0.0.4', '127.0.0.5'];
    await Promise.all(Array.from({ length: 64 }, async () => {
      for (let i = next++; i < 50_000; i = next++) {
        const r = await postJson(app, '/web/api/message', { user: `fake${i}`, text: 'hi' }, {}, sources[i % 4]).catch(() => ({ status: 0 }));
        statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1);
      }
    }));
    expect(statuses.get(0) ?? 0).toBe(0);
    expect((statuses.get(200) ?? 0) + (statuses.get(429) ?? 0)).toBe(50_000);
    // Each source spends at most its budget; the table of identities never grows past its bound.
    expect(statuses.get(200)).toBeLessThanOrEqual(limits.trackedKeys - 1);
    expect(await app.engine.limiter.tracked('identity')).toBeLessThanOrEqual(limits.trackedKeys);
    expect(await app.engine.limiter.tracked('source')).toBeLessThanOrEqual(5);
    expect((await alice()).status).toBe(429);

    // Refused identities were never stored either.
    expect(await app.engine.store.tenant('default').identities.get('web:fake49999')).toBeNull();

    // Time, not eviction, gives alice her budget back.
    now += 60_000;
    expect((await alice()).status).toBe(200);
  }, 240_000);

  it('limits a source however many identities it uses', async () => {
    now += 120_000;
    let ok = 0;
    for (let i = 0; i < 520; i++) if ((await postJson(app, '/web/api/message', { user: `s${i}`, text: 'hi' }, {}, '127.0.0.9')).status === 200) ok++;
    expect(ok).toBe(limits.sourcePerMinute);
    expect((await postJson(app, '/web/api/message', { user: 'bob', text: '/crm whoami' }, {}, '127.0.0.10')).status).toBe(200);
  }, 120_000);

  it('tells a chat user to slow down once per window, for plain messages as for commands', async () => {
    now += 120_000;
    const ev = (i: number, text: string) => app.engine.handle({
      platform: 'telegram', scope: '-100200', actor: { identity: 'telegram:777', displayName: 'T' }, channel: '-100200', eventId: `tg-${now}-${i}`, text,
    });
    for (let i = 0; i < 5; i++) expect(await ev(i, i % 2 ? 'hello' : '/crm whoami')).toBeDefined();
    const logged = vi.spyOn(app.engine.log, 'info');
    const first = await ev(5, 'hello again');
    expect(first).toEqual([{ text: expect.stringMatching(/^Slow down: at most 5 commands and messages a minute/), error: true }]);
    expect(logged).toHaveBeenCalledWith({ code: 'rate', command: null, message: first[0]!.text }, 'command refused');
    logged.mockRestore();
    expect(await ev(6, '/crm whoami')).toEqual([]);
    expect(await ev(7, 'and again')).toEqual([]);
    now += 60_000;
    expect((await ev(8, '/crm whoami'))[0]?.text).toMatch(/You are T/);
  });
});
