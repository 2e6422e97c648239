import type { Reply } from '../chat/reply.js';
import type { Platform } from '../domain/types.js';
import type { OutboxItem, Store } from '../store/port.js';
import { storedParts, type Parts } from './parts.js';
import { TokenBucket } from './token-bucket.js';

/** What an adapter answers for one send. */
/**
 * What an adapter answers for one send. A retry pauses the whole platform (a 429 is usually wider than one
 * chat) unless `onlyThisTarget` says the wait is the adapter's own per-chat pacing, which is not a failure.
 */
export type SendResult =
  | { ok: true }
  | { ok: false; retryAfterMs: number; reason: string; onlyThisTarget?: boolean }
  | { ok: false; permanent: string };
/** `parts` says which parts of a multi-call send were delivered on an earlier attempt; the outbox always passes it. */
export type Sender = (item: OutboxItem, parts?: Parts) => Promise<SendResult>;

export interface OutboxOptions {
  holder: string;
  leaseMs?: number;
  maxAttempts?: number;
  /** Messages per second and burst per platform. */
  rates?: Partial<Record<Platform, { perSecond: number; burst: number }>>;
  clock?: () => number;
  onEvent?: (e: { type: 'sent' | 'retry' | 'dead' | 'rate_limited'; item: OutboxItem; detail?: string }) => void;
  onError?: (e: unknown) => void;
}

const DEFAULT_RATES: Record<Platform, { perSecond: number; burst: number }> = {
  slack: { perSecond: 1, burst: 3 },
  discord: { perSecond: 40, burst: 50 },
  telegram: { perSecond: 25, burst: 30 },
  web: { perSecond: 1000, burst: 1000 },
};

/** Exponential backoff with a cap: 2 s, 4 s, 8 s, ... up to 10 minutes. */
export function backoffMs(attempts: number): number {
  return Math.min(2 ** attempts * 1000, 600_000);
}

/**
 * Persistent outbound messages. Enqueue is one idempotent insert; `drain` leases due items, paces them
 * with a token bucket per platform, honours Retry-After and dead-letters after too many failures.
 */
export class Outbox {
  private readonly senders = new Map<Platform, Sender>();
  private readonly buckets = new Map<Platform, TokenBucket>();
  private timer: NodeJS.Timeout | null = null;
  private draining: Promise<number> | null = null;
  private readonly clock: () => number;

  constructor(private readonly store: Store, private readonly opts: OutboxOptions) {
    this.clock = opts.clock ?? Date.now;
  }

  registerSender(platform: Platform, sender: Sender): void {
    this.senders.set(platform, sender);
    const rate = this.opts.rates?.[platform] ?? DEFAULT_RATES[platform];
    this.buckets.set(platform, new TokenBucket(rate.perSecond, rate.burst, this.clock));
  }

  /** Queues one message; `notBefore` (ISO time) holds it back until then, e.g. when the platform said to wait. */
  async send(tenant: string, msg: { platform: Platform; target: string; reply: Reply; idempotencyKey: string; notBefore?: string }): Promise<boolean> {
    return this.store.tenant(tenant).outbox.enqueue(msg, new Date(this.clock()).toISOString());
  }

  /** Queues each of a request's replies to one person or channel, keyed `<key>:<n>` so a retry or replay queues none twice. */
  async sendReplies(tenant: string, msg: { platform: Platform; target: string; replies: Reply[]; key: string }): Promise<void> {
    for (const [n, reply] of msg.replies.entries()) {
      await this.send(tenant, { platform: msg.platform, target: msg.target, reply, idempotencyKey: `${msg.key}:${n}` });
    }
  }

  /** One pass: returns how many items were handled. */
  async drain(limit = 100): Promise<number> {
    if (this.draining) return this.draining;
    this.draining = this.drainOnce(limit).finally(() => (this.draining = null));
    return this.draining;
  }

  /** Claims per platform only as many items as its bucket has tokens, so pacing never burns attempts. */
  private async drainOnce(limit: number): Promise<number> {
    let handled = 0;
    for (const [platform, bucket] of this.buckets) {
      const n = Math.min(limit, Math.floor(bucket.available()));
      if (n < 1) continue;
      const now = new Date(this.clock()).toISOString();
      const items = await this.store.system.outbox.claim(this.opts.holder, now, this.opts.leaseMs ?? 60_000, n, [platform]);
      for (const item of items) await this.deliver(item);
      handled += items.length;
    }
    return handled;
  }

  private async deliver(item: OutboxItem): Promise<void> {
    const q = this.store.system.outbox;
    const holder = this.opts.holder;
    const bucket = this.buckets.get(item.platform)!;
    const wait = bucket.take();
    if (wait > 0) {
      this.opts.onEvent?.({ type: 'rate_limited', item });
      await q.postpone(item.id, holder, new Date(this.clock() + wait).toISOString());
      return;
    }
    let result: SendResult;
    try {
      result = await this.senders.get(item.platform)!(item, storedParts(q, item, holder));
    } catch (e) {
      result = { ok: false, retryAfterMs: backoffMs(item.attempts), reason: (e as Error).message };
    }
    if (!result.ok && 'retryAfterMs' in result && result.onlyThisTarget) {
      await q.postpone(item.id, holder, new Date(this.clock() + result.retryAfterMs).toISOString());
    } else if (result.ok) {
      await q.markSent(item.id, holder, new Date(this.clock()).toISOString());
      this.opts.onEvent?.({ type: 'sent', item });
    } else if ('permanent' in result) {
      await q.markDead(item.id, holder, result.permanent);
      this.opts.onEvent?.({ type: 'dead', item, detail: result.permanent });
    } else if (item.attempts >= (this.opts.maxAttempts ?? 8)) {
      await q.markDead(item.id, holder, `gave up after ${item.attempts} attempts: ${result.reason}`);
      this.opts.onEvent?.({ type: 'dead', item, detail: result.reason });
    } else {
      bucket.pause(result.retryAfterMs);
      await q.retryAt(item.id, holder, new Date(this.clock() + result.retryAfterMs).toISOString(), result.reason);
      this.opts.onEvent?.({ type: 'retry', item, detail: result.reason });
    }
  }

  start(intervalMs = 200): void {
    if (this.timer) return;
    const tick = () => {
      this.drain()
        .catch((e) => this.opts.onError?.(e))
        .finally(() => {
          if (this.timer) this.timer = setTimeout(tick, intervalMs);
        });
    };
    this.timer = setTimeout(tick, intervalMs);
  }

  /** Stops polling, waits for the pass in flight, and hands back any lease still held. */
  async stop(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.draining;
    await this.store.system.outbox.release(this.opts.holder);
  }
}
