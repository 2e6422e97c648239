import type { LoggedEvent, Store, SubscriptionState } from '../store/port.js';

/** What a durable handler gets beside the payload: a stable id to key its effect on (at-least-once delivery). */
export interface Delivery {
  id: string;
  position: number;
}

export interface DispatcherOptions {
  holder: string;
  /** Wall clock for leases and retry waits (not the engine's business clock, which tests may freeze). */
  clock: () => number;
  maxAttempts: number;
  backoffMs: number;
  maxBackoffMs: number;
  leaseMs: number;
  batch: number;
  /** A subscription gave up on an event after `maxAttempts`: it waits for an admin (`/crm events`). */
  onPark: (sub: { name: string; tenant: string; position: number; error: string }) => void;
  /** A failed attempt that will be retried, or a pass that could not reach the store. */
  onError: (where: string, error: unknown) => void;
}

interface Subscriber {
  name: string;
  event: string;
  handler: (payload: any, delivery: Delivery) => Promise<void> | void;
}

/** The wait before attempt `attempts + 1`: doubling from `base`, capped. */
export function backoffAfter(attempts: number, base: number, cap: number): number {
  return Math.min(cap, base * 2 ** Math.max(0, attempts - 1));
}

/**
 * Delivers the event log to durable subscriptions: per subscription and tenant, in log order, at least
 * once, from the cursor kept in the store under a lease, so one process advances a cursor at a time.
 * A failing handler stops only its own subscription (retried with backoff, then parked).
 */
export class Dispatcher {
  private readonly subs: Subscriber[] = [];
  private current: Promise<void> = Promise.resolve();
  private queued: Promise<void> | null = null;
  private readonly seen = new Map<string, { head: number; at: number; subs: number }>();
  /** Each subscription's cursor in each tenant as this process last read or stored it; cursors only move forward. */
  private readonly known = new Map<string, number>();
  private nextRetry = Infinity;

  constructor(private readonly store: Store, private readonly opts: DispatcherOptions) {}

  subscribe(name: string, event: string, handler: Subscriber['handler']): void {
    if (this.subs.some((s) => s.name === name)) throw new Error(`a durable subscription named ${name} exists already`);
    this.subs.push({ name, event, handler });
  }

  get names(): string[] {
    return this.subs.map((s) => s.name);
  }

  /**
   * One pass over every tenant's log. Passes run one after another in a process; a caller arriving while
   * one waits to start shares it, since it reads the log when it starts and so covers that caller's events.
   */
  run(): Promise<void> {
    if (this.queued) return this.queued;
    const next = this.current
      .then(() => {
        this.queued = null;
        return this.pass();
      })
      .catch((e) => this.opts.onError('dispatch', e));
    this.queued = next;
    this.current = next;
    return next;
  }

  /** Resolves when the pass under way (if any) is over. */
  idle(): Promise<void> {
    return this.current;
  }

  /** Forgets what the last passes saw, so the next one looks at every cursor (an admin unparked one). */
  rescan(): void {
    this.seen.clear();
    this.known.clear();
  }

  /**
   * A tenant whose log did not grow since a recent pass, with no retry due, is skipped without touching
   * its cursors; every `leaseMs / 6` a pass looks anyway, for work another process left (its lease ran out).
   */
  private async pass(): Promise<void> {
    if (!this.subs.length) return;
    const now = this.opts.clock();
    const retry = now >= this.nextRetry;
    if (retry) this.nextRetry = Infinity;
    for (const tenant of await this.store.system.subscriptions.tenants()) {
      const head = await this.store.tenant(tenant).events.head();
      const last = this.seen.get(tenant);
      if (!retry && last && last.head === head && last.subs === this.subs.length && now - last.at < this.opts.leaseMs / 6) continue;
      for (const sub of this.subs) await this.advance(sub, tenant);
      this.seen.set(tenant, { head, at: now, subs: this.subs.length });
    }
  }

  private now(): string {
    return new Date(this.opts.clock()).toISOString();
  }

  private async advance(sub: Subscriber, tenant: string): Promise<void> {
    const cursors = this.store.system.subscriptions;
    const log = this.store.tenant(tenant).events;
    const { holder, leaseMs, batch } = this.opts;
    const key = `${sub.name}\0${tenant}`;
    const known = this.known.get(key);
    // Nothing of its event past the cursor as last seen, so nothing past the cursor now: no lease to take and give back
    // (two commits) for each subscription whenever another one's events arrive.
    if (known !== undefined && !(await log.after(known, [sub.event], 1)).length) return;
    let state: SubscriptionState | null = await cursors.claim(sub.name, tenant, holder, this.now(), leaseMs);
    if (!state) return;
    this.known.set(key, state.position);
    const start = state;
    let position = state.position;
    // The cursor is stored once per batch read (and whenever a third of the lease has passed since, so a slow handler
    // never delivers past a lease another process may have taken): delivery is at least once, so a process that dies
    // mid-batch leaves at most that batch to be handed out again, and each event no longer costs a commit of its own.
    let saved = { position, at: this.opts.clock() };
    const save = async () => {
      if (position === saved.position) return true;
      if (!(await cursors.advance(sub.name, tenant, holder, position))) return false;
      saved = { position, at: this.opts.clock() };
      this.known.set(key, position);
      return true;
    };
    try {
      for (;;) {
        const events = await log.after(position, [sub.event], batch);
        if (!events.length) return;
        for (const e of events) {
          const failed = await this.deliver(sub, e);
          if (failed !== null) {
            // What was handled before it stays handled; `advance` also clears a failure recorded at an earlier event.
            const attemptsBefore = position === start.position ? start.attempts : 0;
            if (!(await save())) return;
            return void (await this.failed(sub, tenant, e, attemptsBefore, failed));
          }
          position = e.position;
          if (this.opts.clock() - saved.at >= leaseMs / 3 && !(await save())) return;
        }
        // A batch short of full was the end of the log when read; what came since wakes another pass.
        if (!(await save()) || events.length < batch) return;
        // Renew the lease between batches of a long catch-up.
        state = await cursors.claim(sub.name, tenant, holder, this.now(), leaseMs);
        if (!state) return;
      }
    } finally {
      await cursors.release(sub.name, tenant, holder);
    }
  }

  private async deliver(sub: Subscriber, e: LoggedEvent): Promise<string | null> {
    try {
      await sub.handler(e.payload, { id: `${e.tenant}:${e.position}`, position: e.position });
      return null;
    } catch (err) {
      return err instanceof Error ? err.message : String(err);
    }
  }

  private async failed(sub: Subscriber, tenant: string, e: LoggedEvent, attemptsBefore: number, error: string): Promise<void> {
    const attempts = attemptsBefore + 1;
    const park = attempts >= this.opts.maxAttempts;
    const retryMs = this.opts.clock() + backoffAfter(attempts, this.opts.backoffMs, this.opts.maxBackoffMs);
    const retryAt = new Date(retryMs).toISOString();
    if (!park) this.nextRetry = Math.min(this.nextRetry, retryMs);
    await this.store.system.subscriptions.fail(sub.name, tenant, this.opts.holder, { position: e.position, error, retryAt, park, now: this.now() });
    if (park) this.opts.onPark({ name: sub.name, tenant, position: e.position, error });
    else this.opts.onError(`${sub.name} at ${tenant}:${e.position} (attempt ${attempts})`, new Error(error));
  }
}
