import { TokenBucket } from './outbox/token-bucket.js';

/** Per-identity command budget so one person cannot flood the bot. In memory: per process by design. */
export class RateLimiter {
  private readonly buckets = new Map<string, TokenBucket>();

  constructor(private readonly perMinute: number, private readonly clock: () => number) {}

  allow(identity: string): boolean {
    let b = this.buckets.get(identity);
    if (!b) {
      if (this.buckets.size > 50_000) this.buckets.clear();
      this.buckets.set(identity, (b = new TokenBucket(this.perMinute / 60, this.perMinute, this.clock)));
    }
    return b.take() === 0;
  }
}
