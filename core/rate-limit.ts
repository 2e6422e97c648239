import { TokenBucket } from './outbox/token-bucket.js';

const WINDOW_MS = 60_000;
const EVICT_SCAN = 16;

interface Entry {
  bucket: TokenBucket;
  /** Until when this key has been told to slow down (the polite message goes out once per window). */
  toldUntil: number;
}

/**
 * Token buckets per key in bounded memory. Keys are kept least-recently-used first; a new key may
 * evict only the oldest key, and only when that key's bucket is full again (forgetting it changes
 * nothing). When every tracked key is still spending, a new key is refused rather than freeing a
 * throttled one early: made-up keys can fill the table, never lift anyone's limit.
 */
export class KeyedLimiter {
  private readonly entries = new Map<string, Entry>();

  constructor(readonly perMinute: number, readonly maxKeys: number, private readonly clock: () => number) {}

  get size(): number {
    return this.entries.size;
  }

  /** Milliseconds until `key` may spend (0 now); null when the key is new and there is no room for it. */
  wait(key: string): number | null {
    const e = this.entries.get(key);
    if (e) return e.bucket.available() >= 1 ? 0 : this.untilOne(e.bucket);
    return this.entries.size < this.maxKeys || this.evictOldestIfIdle() ? 0 : null;
  }

  /** Spends one token (call after `wait` answered 0). */
  spend(key: string): void {
    let e = this.entries.get(key);
    if (e) this.entries.delete(key);
    else e = { bucket: new TokenBucket(this.perMinute / 60, this.perMinute, this.clock), toldUntil: 0 };
    e.bucket.take();
    this.entries.set(key, e);
  }

  /** True once per window for a throttled key: whether to send the polite message now. */
  tell(key: string): boolean {
    const e = this.entries.get(key);
    const now = this.clock();
    if (!e) return false;
    if (now < e.toldUntil) return false;
    e.toldUntil = now + WINDOW_MS;
    return true;
  }

  private untilOne(b: TokenBucket): number {
    return Math.max(1, Math.ceil(((1 - b.available()) / (this.perMinute / 60)) * 1000));
  }

  /** Looks at a few of the oldest keys: the first whose bucket is full again goes; busy ones move to the back. */
  private evictOldestIfIdle(): boolean {
    for (let i = 0; i < EVICT_SCAN; i++) {
      const oldest = this.entries.entries().next().value;
      if (!oldest) return false;
      const [key, e] = oldest;
      this.entries.delete(key);
      if (e.bucket.available() >= this.perMinute) return true;
      this.entries.set(key, e);
    }
    return false;
  }
}

export interface RateLimitSettings {
  /** Per identity: commands and plain messages together. */
  commandsPerMinute: number;
  /** Per source: a Slack team, Discord guild, Telegram chat or a web client address. */
  sourcePerMinute: number;
  /** Keys tracked per kind before new ones are refused (bounded memory). */
  trackedKeys: number;
}

export type Admission = { ok: true } | { ok: false; retryMs: number; tell: boolean; by: 'identity' | 'source' };

/** The inbound budget: an event spends one token of its identity and one of its source, or neither. */
export class RateLimiter {
  readonly identities: KeyedLimiter;
  readonly sources: KeyedLimiter;

  constructor(readonly settings: RateLimitSettings, clock: () => number) {
    this.identities = new KeyedLimiter(settings.commandsPerMinute, settings.trackedKeys, clock);
    this.sources = new KeyedLimiter(settings.sourcePerMinute, settings.trackedKeys, clock);
  }

  /** Keys tracked right now (both kinds): what the memory bound applies to. */
  get size(): number {
    return this.identities.size + this.sources.size;
  }

  admit(identity: string, source: string | null): Admission {
    // The source is checked first, so a flood of made-up identities from one place never creates their buckets.
    if (source !== null) {
      const w = this.sources.wait(source);
      if (w !== 0) return { ok: false, retryMs: w ?? WINDOW_MS, tell: this.identities.tell(identity), by: 'source' };
    }
    const w = this.identities.wait(identity);
    if (w !== 0) return { ok: false, retryMs: w ?? WINDOW_MS, tell: this.identities.tell(identity), by: 'identity' };
    if (source !== null) this.sources.spend(source);
    this.identities.spend(identity);
    return { ok: true };
  }
}
