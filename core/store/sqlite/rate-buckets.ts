import type { Database as Db, Statement } from 'better-sqlite3';
import type { RateBucketRepo } from '../port.js';
import { writeBatchOf } from './write-batch.js';

/** A bucket is full again a minute after its last use: older rows are forgotten and not counted. */
const MINUTE_MS = 60_000;

// The bucket refilled to @now: capacity @cap, @cap tokens a minute. SET expressions all read the old row.
const REFILLED = 'min(@cap, tokens + max(0, @now - at) * @cap / 60000.0)';

/**
 * Rate-limit buckets in one table shared by every process on the file. An event's spend is one prepared
 * UPDATE per key; a key seen for the first time in a minute also reads the table's bucket count (kept by
 * triggers, `DOOR_SCHEMA`), and only when that is at the bound forgets the idle buckets before deciding.
 */
export function sqliteRateBuckets(db: Db): RateBucketRepo {
  let stmts: Record<'spend' | 'count' | 'insert' | 'forget' | 'refund' | 'tell' | 'prune', Statement> | null = null;
  const s = () => (stmts ??= {
    spend: db.prepare(`UPDATE rate_buckets SET spent = (${REFILLED} >= 1),
        tokens = CASE WHEN ${REFILLED} >= 1 THEN ${REFILLED} - 1 ELSE ${REFILLED} END, at = max(at, @now)
      WHERE kind = @kind AND key = @key RETURNING spent, tokens`),
    count: db.prepare('SELECT count(*) n FROM rate_buckets WHERE kind = ? AND at > ?'),
    insert: db.prepare(`INSERT INTO rate_buckets (kind, key, tokens, at, told_until, spent)
      SELECT @kind, @key, @cap - 1, @now, 0, 1 WHERE coalesce((SELECT n FROM rate_bucket_rows WHERE kind = @kind), 0) < @max
      ON CONFLICT DO NOTHING`),
    forget: db.prepare('DELETE FROM rate_buckets WHERE kind = ? AND at <= ?'),
    refund: db.prepare('UPDATE rate_buckets SET tokens = min(@cap, tokens + 1) WHERE kind = @kind AND key = @key'),
    tell: db.prepare(`UPDATE rate_buckets SET told_until = @now + ${MINUTE_MS} WHERE kind = @kind AND key = @key AND told_until <= @now`),
    prune: db.prepare('DELETE FROM rate_buckets WHERE kind IN (\'identity\', \'source\') AND at < ?'),
  });
  const update = (kind: string, key: string, cap: number, now: number) => {
    const r = s().spend.get({ kind, key, cap, now }) as { spent: number; tokens: number } | undefined;
    return r ? { spent: r.spent === 1, tokens: r.tokens } : null;
  };
  const insert = (kind: string, key: string, cap: number, now: number, max: number) => s().insert.run({ kind, key, cap, now, max }).changes === 1;
  return {
    // Atomic without a savepoint: the first UPDATE found no row, so at most one bucket is written; forgetting idle
    // buckets, full again, changes nothing they would answer.
    spend: async (kind, key, perMinute, maxKeys, now) => writeBatchOf(db).runAtomic(() => {
      const known = update(kind, key, perMinute, now);
      if (known) return known;
      if (insert(kind, key, perMinute, now, maxKeys)) return { spent: true, tokens: perMinute - 1 };
      // Another process created it meanwhile, or there is no room: the bucket answers if it exists now.
      const raced = update(kind, key, perMinute, now);
      if (raced) return raced;
      // The bound counts idle buckets too until the minute's prune: forgetting them first (each is deleted once)
      // leaves only the ones used within the minute (after now - 1 min, as `live` counts), the ones the bound is about.
      if (s().forget.run(kind, now - MINUTE_MS).changes > 0 && insert(kind, key, perMinute, now, maxKeys)) return { spent: true, tokens: perMinute - 1 };
      return null;
    }),
    refund: async (kind, key, perMinute) => {
      s().refund.run({ kind, key, cap: perMinute });
    },
    tell: async (kind, key, now) => s().tell.run({ kind, key, now }).changes === 1,
    live: async (kind, now) => (s().count.get(kind, now - MINUTE_MS) as { n: number }).n,
    prune: async (now) => s().prune.run(now - MINUTE_MS).changes,
  };
}
