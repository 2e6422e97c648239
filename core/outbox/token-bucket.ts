/** A token bucket: `take` returns 0 when a token was taken, else the milliseconds until one is free. */
export class TokenBucket {
  private tokens: number;
  private last: number;
  private pausedUntil = 0;

  constructor(private readonly perSecond: number, private readonly burst: number, private readonly clock: () => number) {
    this.tokens = burst;
    this.last = clock();
  }

  private refill(): void {
    const now = this.clock();
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) / 1000) * this.perSecond);
    this.last = now;
  }

  available(): number {
    if (this.clock() < this.pausedUntil) return 0;
    this.refill();
    return this.tokens;
  }

  take(): number {
    const now = this.clock();
    if (now < this.pausedUntil) return this.pausedUntil - now;
    this.refill();
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return 0;
    }
    return Math.ceil(((1 - this.tokens) / this.perSecond) * 1000);
  }

  /** A platform said "slow down" (429 Retry-After): nothing goes out until then. */
  pause(ms: number): void {
    this.pausedUntil = Math.max(this.pausedUntil, this.clock() + ms);
  }
}
