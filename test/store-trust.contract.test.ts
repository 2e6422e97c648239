import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../core/store/port.js';
import { ENGINES } from './store/engines.js';

const T0 = '2026-05-01T00:00:00.000Z';
const at = (hours: number) => new Date(Date.parse(T0) + hours * 3_600_000).toISOString();

/** The same cases on every engine: sign-in codes and sessions, idempotency records, event-key expiry, the write probe. */
for (const engine of ENGINES) {
  describe.runIf(engine.available)(`trust contract [${engine.name}]`, () => {
    let store: Store;
    beforeAll(async () => {
      store = await engine.open();
    });
    afterAll(() => store.close());

    engine.it('uses an invite code once, refuses it expired or unknown, and keeps it per tenant', async () => {
      const wa = store.tenant('t-web').webAccess;
      await wa.addInvite({ hash: 'h1', identity: 'web:alice', expiresAt: at(24) }, T0);
      await wa.addInvite({ hash: 'h2', identity: 'web:alice', expiresAt: at(24) }, T0);
      expect(await store.tenant('other').webAccess.useInvite('h1', at(1))).toEqual({ status: 'unknown' });
      const both = await Promise.all([wa.useInvite('h1', at(1)), wa.useInvite('h1', at(1))]);
      expect(both.map((r) => r.status).sort()).toEqual(['ok', 'used']);
      expect(both.find((r) => r.status === 'ok')).toEqual({ status: 'ok', identity: 'web:alice' });
      expect(await wa.useInvite('h2', at(24))).toEqual({ status: 'expired' });
      expect(await wa.useInvite('nope', at(1))).toEqual({ status: 'unknown' });
    });

    engine.it('finds live sessions only, ends one or all, erases an identity, prunes what expired', async () => {
      const wa = store.tenant('t-sess').webAccess;
      await wa.addSession({ hash: 's1', identity: 'web:bob', expiresAt: at(48) }, T0);
      await wa.addSession({ hash: 's2', identity: 'web:bob', expiresAt: at(48) }, T0);
      await wa.addSession({ hash: 's3', identity: 'web:eve', expiresAt: at(2) }, T0);
      expect(await wa.session('s1', at(1))).toEqual({ identity: 'web:bob', expiresAt: at(48) });
      expect(await store.tenant('other').webAccess.session('s1', at(1))).toBeNull();
      expect(await wa.session('s3', at(3))).toBeNull();
      expect(await wa.endSession('s1')).toBe(true);
      expect(await wa.endSession('s1')).toBe(false);
      expect(await wa.endSessions('web:bob')).toBe(1);
      await wa.addInvite({ hash: 'i1', identity: 'web:eve', expiresAt: at(24) }, T0);
      await wa.addSession({ hash: 's4', identity: 'web:eve', expiresAt: at(48) }, T0);
      expect(await wa.eraseIdentity('web:eve')).toBe(3); // s3 (expired, not yet pruned), s4 and i1
      await wa.addSession({ hash: 's5', identity: 'web:fay', expiresAt: at(2) }, T0);
      await wa.addInvite({ hash: 'i2', identity: 'web:fay', expiresAt: at(24) }, T0);
      await wa.useInvite('i2', at(1));
      expect(await wa.prune(at(3), at(0))).toBe(1); // the expired session; the code was used after `before`
      expect(await wa.prune(at(3), at(2))).toBe(1); // now the used code too
    });

    engine.it('lets one caller run a keyed request, replays its answer, and expires it after a day', async () => {
      const idem = store.tenant('t-idem').idempotency;
      const begins = await Promise.all(Array.from({ length: 4 }, () => idem.begin('web:a', 'k1', 'f1', T0, at(-24))));
      expect(begins.map((b) => b.state).sort()).toEqual(['new', 'running', 'running', 'running']);
      await idem.finish('web:a', 'k1', 200, { replies: [{ text: 'done' }] });
      expect(await idem.begin('web:a', 'k1', 'f1', at(1), at(-23))).toEqual({ state: 'done', status: 200, body: { replies: [{ text: 'done' }] } });
      expect(await idem.begin('web:a', 'k1', 'f2', at(1), at(-23))).toEqual({ state: 'mismatch' });
      expect(await idem.begin('web:b', 'k1', 'f2', at(1), at(-23))).toEqual({ state: 'new' });
      expect(await store.tenant('other').idempotency.begin('web:a', 'k1', 'f1', at(1), at(-23))).toEqual({ state: 'new' });
      await idem.abandon('web:b', 'k1');
      expect(await idem.begin('web:b', 'k1', 'f2', at(1), at(-23))).toEqual({ state: 'new' });
      expect(await idem.begin('web:a', 'k1', 'f1', at(25), at(1))).toEqual({ state: 'new' });
      expect(await idem.prune(at(2))).toBe(1); // web:b's record from hour 1
    });

    engine.it('forgets event keys older than a cutoff, and probes a write', async () => {
      expect(await store.system.firstSeen('p:old', T0)).toBe(true);
      expect(await store.system.firstSeen('p:new', at(20))).toBe(true);
      expect(await store.system.pruneSeen(at(10))).toBeGreaterThanOrEqual(1);
      expect(await store.system.firstSeen('p:old', at(30))).toBe(true);
      expect(await store.system.firstSeen('p:new', at(30))).toBe(false);
      await expect(store.probeWrite(at(30))).resolves.toBeUndefined();
    });
  });
}
