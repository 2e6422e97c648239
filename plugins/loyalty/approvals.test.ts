import { describe, expect, it } from 'vitest';
import { validatePluginConfig } from '../../core/plugins/manifest.js';
import { openSqliteStore } from '../../core/store/sqlite/engine.js';
import { decide, heldId, type HeldPoints } from './approvals.js';
import type { LoyaltyConfig } from './config.js';
import { manifest } from './manifest.js';

const NOW = '2026-06-30T12:00:00.000Z';

describe('deciding held points', () => {
  it('of an approval and a refusal made at once, exactly one wins, and points are given only if it is the approval', async () => {
    const cfg = validatePluginConfig(manifest, {}) as LoyaltyConfig;
    for (let round = 0; round < 4; round++) {
      const ts = openSqliteStore(':memory:').tenant('acme');
      const docs = ts.docs<HeldPoints>('loyalty', 'held');
      const ledger = ts.ledger('loyalty', 'points');
      const held: HeldPoints = {
        id: heldId(`dealWon:${round}`), key: `dealWon:${round}`, customerId: 7, rule: 'dealWon', source: String(round), points: 400,
        by: 'web:rex', at: NOW, status: 'pending', decidedBy: null, decidedAt: null,
      };
      await docs.put(held);
      // Which one reaches the store first changes with the round; the outcome must agree with the stored status either way.
      const calls = [() => decide(docs, ledger, cfg, held.id, true, 'web:mona', NOW), () => decide(docs, ledger, cfg, held.id, false, 'web:boss', NOW)];
      const [a, b] = await Promise.all(round % 2 ? [calls[1]!(), calls[0]!()] : [calls[0]!(), calls[1]!()]);
      expect([a, b].filter((r) => r.ok)).toHaveLength(1);
      const stored = (await docs.get(held.id))!;
      const credited = (await ledger.balance('avail:7')) + (await ledger.balance('pending:7'));
      expect(credited).toBe(stored.status === 'approved' ? 400 : 0);
      expect(stored.decidedBy).toBe(stored.status === 'approved' ? 'web:mona' : 'web:boss');
      expect([a, b].find((r) => !r.ok)).toMatchObject({ why: `${held.id} was already ${stored.status} by ${stored.decidedBy}.` });
    }
  });

  it('the same event deciding again (its process died between the decision and the points) gives the points once; another event is told it was decided', async () => {
    const cfg = validatePluginConfig(manifest, {}) as LoyaltyConfig;
    const ts = openSqliteStore(':memory:').tenant('acme');
    const docs = ts.docs<HeldPoints>('loyalty', 'held');
    const ledger = ts.ledger('loyalty', 'points');
    const held: HeldPoints = {
      id: heldId('dealWon:9'), key: 'dealWon:9', customerId: 7, rule: 'dealWon', source: '9', points: 400, by: 'web:rex', at: NOW, status: 'pending', decidedBy: null, decidedAt: null,
    };
    await docs.put(held);
    const dying = { ...ledger, append: async () => Promise.reject(new Error('killed')) };
    await expect(decide(docs, dying, cfg, held.id, true, 'web:mona', NOW, 'slack:Ev1')).rejects.toThrow('killed');
    expect(await ledger.balance('avail:7') + await ledger.balance('pending:7')).toBe(0);

    expect(await decide(docs, ledger, cfg, held.id, true, 'web:mona', NOW, 'slack:Ev1')).toMatchObject({ ok: true, held: { status: 'approved', decidedFor: 'slack:Ev1' } });
    expect(await decide(docs, ledger, cfg, held.id, true, 'web:mona', NOW, 'slack:Ev1')).toMatchObject({ ok: true });
    expect(await ledger.balance('avail:7') + await ledger.balance('pending:7')).toBe(400);
    expect(await decide(docs, ledger, cfg, held.id, true, 'web:boss', NOW, 'slack:Ev2')).toEqual({ ok: false, why: `${held.id} was already approved by web:mona.` });
  });
});
