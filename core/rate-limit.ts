import { createHash } from 'node:crypto';
import type { RateBucketRepo, RateKind } from './store/port.js';

const WINDOW_MS = 60_000;

export interface RateLimitSettings {
  /** Per identity: commands and plain messages together. */
  commandsPerMinute: number;
  /** Per source: a Slack team, Discord guild, Telegram chat or a web client address. */
  sourcePerMinute: number;
  /** Keys used within a minute, per kind, before new ones are refused (a bounded table). */
  trackedKeys: number;
}

export type Admission = { ok: true } | { ok: false; retryMs: number; tell: boolean; by: 'identity' | 'source' };

/** Milliseconds until a bucket refilling `perMinute` tokens a minute holds one token again (at least 1). */
export function msUntilToken(tokens: number, perMinute: number): number {
  return Math.max(1, Math.ceil(((1 - tokens) * WINDOW_MS) / perMinute));
}

/**
 * A bucket is named by a digest of its key: the store never holds an identity or a chat id for rate
 * limiting (an unmapped chat stores nothing, a forgotten person leaves no name), only 128 bits to match on.
 */
export function bucketKey(kind: RateKind, key: string): string {
  return createHash('sha256').update(`${kind}\0${key}`).digest('base64url').slice(0, 22);
}

/**
 * The inbound budget: an event spends one token of its identity and one of its source, or neither. The
 * buckets live in the store, so every web process spends from the same ones. A key new within the minute
 * gets a bucket only while the table has room; a throttled key is never forgotten early (only a bucket
 * untouched for a minute, full again, is), so made-up keys can fill the table but never lift a limit.
 */
export class RateLimiter {
  private prunedAt = 0;

  constructor(private readonly buckets: RateBucketRepo, readonly settings: RateLimitSettings, private readonly clock: () => number) {}

  /** Buckets of a kind used in the last minute: what the table bound applies to. */
  tracked(kind: RateKind): Promise<number> {
    return this.buckets.live(kind, this.clock());
  }

  async admit(identity: string, source: string | null): Promise<Admission> {
    const now = this.clock();
    if (now - this.prunedAt >= WINDOW_MS) {
      this.prunedAt = now;
      await this.buckets.prune(now);
    }
    const { commandsPerMinute, sourcePerMinute, trackedKeys } = this.settings;
    const who = bucketKey('identity', identity);
    const from = source === null ? null : bucketKey('source', source);
    // The source is checked first, so a flood of made-up identities from one place never creates their buckets.
    if (from !== null) {
      const s = await this.buckets.spend('source', from, sourcePerMinute, trackedKeys, now);
      if (!s?.spent) return this.refused('source', who, s ? msUntilToken(s.tokens, sourcePerMinute) : WINDOW_MS, now);
    }
    const i = await this.buckets.spend('identity', who, commandsPerMinute, trackedKeys, now);
    if (i?.spent) return { ok: true };
    if (from !== null) await this.buckets.refund('source', from, sourcePerMinute);
    return this.refused('identity', who, i ? msUntilToken(i.tokens, commandsPerMinute) : WINDOW_MS, now);
  }

  private async refused(by: 'identity' | 'source', who: string, retryMs: number, now: number): Promise<Admission> {
    return { ok: false, retryMs, tell: await this.buckets.tell('identity', who, now), by };
  }
}
