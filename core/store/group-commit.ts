/**
 * Group commit: writes that arrive within a few milliseconds of each other go to the store in one call (one
 * transaction on SQLite, one bulk write on MongoDB). Each `add` resolves once its item is written, or
 * rejects with the batch's error, so nothing is acknowledged before it is durable. A writer that returns one
 * outcome per item settles each item on its own, so one failing item does not fail the rest of its batch.
 */
export interface GroupCommitOptions {
  /**
   * How long the first item of a batch waits for company. 0: only until the promise callbacks already queued have
   * run (the writes of callers resumed together), never across a turn of the event loop, so a caller's next step
   * is not held up behind I/O (a kill -9 between two steps of one request then finds them as close as unbatched).
   * 'turn': whatever arrives in the same turn of the event loop (flushed by setImmediate), for writers whose
   * callers start together but reach their write after some reads, and which no later step depends on.
   */
  windowMs: number | 'turn';
  /** A batch this full is written at once. */
  maxItems: number;
}

/** One item's outcome in a batch written item by item. */
export type ItemOutcome<R> = { ok: true; value: R } | { ok: false; error: unknown };

export class GroupCommit<T, R = void> {
  private batch: { item: T; ok: (v: R) => void; fail: (e: unknown) => void }[] = [];
  /** Cancels the scheduled flush of the open batch; null: none scheduled. */
  private cancel: (() => void) | null = null;

  constructor(private readonly opts: GroupCommitOptions, private readonly write: (items: T[]) => Promise<void | ItemOutcome<R>[]>) {}

  add(item: T): Promise<R> {
    return new Promise((ok, fail) => {
      this.batch.push({ item, ok, fail });
      if (this.batch.length >= this.opts.maxItems) this.flush();
      else this.cancel ??= this.schedule();
    });
  }

  private schedule(): () => void {
    const { windowMs } = this.opts;
    if (windowMs === 'turn') {
      const t = setImmediate(() => this.flush());
      return () => clearImmediate(t);
    }
    if (windowMs > 0) {
      const t = setTimeout(() => this.flush(), windowMs);
      return () => clearTimeout(t);
    }
    let live = true;
    // Two hops: callers resumed by the same settlement add their writes first.
    queueMicrotask(() => queueMicrotask(() => { if (live) this.flush(); }));
    return () => { live = false; };
  }

  /** Writes the open batch now instead of at the end of its window. */
  flush(): void {
    this.cancel?.();
    this.cancel = null;
    const batch = this.batch;
    this.batch = [];
    if (!batch.length) return;
    this.write(batch.map((b) => b.item)).then(
      (outcomes) => batch.forEach((b, i) => {
        const o = outcomes?.[i];
        if (o && !o.ok) b.fail(o.error);
        else b.ok(o?.value as R);
      }),
      (e: unknown) => batch.forEach((b) => b.fail(e)),
    );
  }
}
