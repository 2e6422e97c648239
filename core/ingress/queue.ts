/**
 * A bounded queue that takes turns: tenants in rotation, and within a tenant its identities in rotation, so
 * one busy workspace or one flooding person cannot starve the others. An identity's items keep their order
 * and run one at a time; different identities run side by side up to `concurrency`.
 */
export interface FairQueueOptions {
  /** Items waiting or running at most; `push` refuses beyond it. */
  capacity: number;
  concurrency: number;
  /**
   * True when the work runs on this thread: the next item waits for a turn of the event loop, so acknowledgements keep
   * flowing under a long backlog. False when the work is handed elsewhere: the next item goes at once, so the other
   * side is not left idle while this thread finishes what the last answers set off.
   */
  yieldBetween: boolean;
  /** Where a failed item's error goes; the queue carries on. */
  onError: (e: unknown) => void;
}

interface Lane<T> {
  key: string;
  items: T[];
  running: boolean;
}

export class FairQueue<T> {
  private readonly tenants = new Map<string, Map<string, Lane<T>>>();
  /** Tenants by how long since their last turn, longest first; the next one to serve is at the front. */
  private readonly tenantTurns: string[] = [];
  private readonly identityTurns = new Map<string, string[]>();
  private waiting = 0;
  private running = 0;
  private idle: (() => void)[] = [];

  constructor(private readonly opts: FairQueueOptions, private readonly work: (item: T) => Promise<void>) {}

  /** Items waiting or running. */
  get size(): number {
    return this.waiting + this.running;
  }

  /** False, and nothing queued, when the queue is full, unless `force` (an item already promised a place). */
  push(tenant: string, identity: string, item: T, force = false): boolean {
    if (!force && this.size >= this.opts.capacity) return false;
    let lanes = this.tenants.get(tenant);
    if (!lanes) {
      this.tenants.set(tenant, (lanes = new Map()));
      // Newcomers have waited longest since their last turn (they had none): they go first.
      this.tenantTurns.unshift(tenant);
      this.identityTurns.set(tenant, []);
    }
    let lane = lanes.get(identity);
    if (!lane) {
      lanes.set(identity, (lane = { key: identity, items: [], running: false }));
      this.identityTurns.get(tenant)!.unshift(identity);
    }
    lane.items.push(item);
    this.waiting++;
    this.pump();
    return true;
  }

  /** Resolves once nothing waits or runs. */
  drained(): Promise<void> {
    return this.size === 0 ? Promise.resolve() : new Promise((ok) => this.idle.push(ok));
  }

  /** The next item by turns: the first tenant with a lane that is not running, then that tenant's first such identity. */
  private take(): { tenant: string; lane: Lane<T>; item: T } | null {
    for (let t = 0; t < this.tenantTurns.length; t++) {
      const tenant = this.tenantTurns[t]!;
      const turns = this.identityTurns.get(tenant)!;
      const lanes = this.tenants.get(tenant)!;
      for (let i = 0; i < turns.length; i++) {
        const lane = lanes.get(turns[i]!)!;
        if (lane.running || !lane.items.length) continue;
        // Served tenants and identities go to the back of their rotation.
        this.tenantTurns.push(...this.tenantTurns.splice(t, 1));
        turns.push(...turns.splice(i, 1));
        return { tenant, lane, item: lane.items.shift()! };
      }
    }
    return null;
  }

  private pump(): void {
    while (this.running < this.opts.concurrency) {
      const next = this.take();
      if (!next) return;
      this.waiting--;
      this.running++;
      next.lane.running = true;
      void this.work(next.item).catch(this.opts.onError).finally(() => {
        next.lane.running = false;
        this.running--;
        this.forget(next.tenant, next.lane);
        if (this.opts.yieldBetween) setImmediate(() => this.pump());
        else this.pump();
        if (this.size === 0) for (const ok of this.idle.splice(0)) ok();
      });
    }
  }

  private forget(tenant: string, lane: Lane<T>): void {
    if (lane.items.length || lane.running) return;
    const lanes = this.tenants.get(tenant)!;
    lanes.delete(lane.key);
    const turns = this.identityTurns.get(tenant)!;
    turns.splice(turns.indexOf(lane.key), 1);
    if (lanes.size) return;
    this.tenants.delete(tenant);
    this.identityTurns.delete(tenant);
    this.tenantTurns.splice(this.tenantTurns.indexOf(tenant), 1);
  }
}
