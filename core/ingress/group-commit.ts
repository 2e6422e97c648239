/**
 * Group commit: writes that arrive within a few milliseconds of each other go to the store in one call (one
 * transaction on SQLite, one bulk write on MongoDB). Each `add` resolves once its item is written, or
 * rejects with the batch's error, so nothing is acknowledged before it is durable.
 */
export interface GroupCommitOptions {
  /**
   * How long the first item of a batch waits for company. 0: only for what arrives in the same turn of the
   * event loop (flushed by setImmediate), so a caller that awaits each write alone is not slowed by a timer.
   */
  windowMs: number;
  /** A batch this full is written at once. */
  maxItems: number;
}

export class GroupCommit<T> {
  private batch: { item: T; ok: () => void; fail: (e: unknown) => void }[] = [];
  /** Cancels the scheduled flush of the open batch; null: none scheduled. */
  private cancel: (() => void) | null = null;

  constructor(private readonly opts: GroupCommitOptions, private readonly write: (items: T[]) => Promise<void>) {}

  add(item: T): Promise<void> {
    return new Promise((ok, fail) => {
      this.batch.push({ item, ok, fail });
      if (this.batch.length >= this.opts.maxItems) this.flush();
      else this.cancel ??= this.schedule();
    });
  }

  private schedule(): () => void {
    if (this.opts.windowMs > 0) {
      const t = setTimeout(() => this.flush(), this.opts.windowMs);
      return () => clearTimeout(t);
    }
    const t = setImmediate(() => this.flush());
    return () => clearImmediate(t);
  }

  private flush(): void {
    this.cancel?.();
    this.cancel = null;
    const batch = this.batch;
    this.batch = [];
    if (!batch.length) return;
    this.write(batch.map((b) => b.item)).then(
      () => batch.forEach((b) => b.ok()),
      (e: unknown) => batch.forEach((b) => b.fail(e)),
    );
  }
}
