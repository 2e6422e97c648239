import { Worker } from 'node:worker_threads';

/** What the thread is asked: one statement's rows, or to close its connection and end. */
export type ReadQuestion = { kind: 'all'; n: number; sql: string; params: Record<string, unknown> } | { kind: 'close' };
export type ReadAnswer = { n: number; ok: true; rows: unknown[][] } | { n: number; ok: false; error: string };

/**
 * A thread with its own read-only connection to the store's file, for the heaviest read of a report that asks
 * for several at once (the digest's RFM walks the whole purchase index): the statement runs on the other core
 * while this thread answers the report's other reads. Started on the first question (an idle store holds no
 * thread); it keeps the process alive only while a question is out; `close` ends it.
 */
export class SqliteReadThread {
  private worker: Worker | null = null;
  private n = 0;
  private readonly waiting = new Map<number, { ok: (rows: unknown[][]) => void; fail: (e: Error) => void }>();

  constructor(private readonly file: string) {}

  /** The statement's rows as arrays (better-sqlite3's `raw`). */
  all(sql: string, params: Record<string, unknown>): Promise<unknown[][]> {
    return new Promise((ok, fail) => {
      const n = ++this.n;
      const w = this.thread();
      this.waiting.set(n, { ok, fail });
      w.ref();
      w.postMessage({ kind: 'all', n, sql, params } satisfies ReadQuestion);
    });
  }

  /** Ends the thread after its connection is closed (so the main connection, closed last, can remove the WAL). */
  async close(): Promise<void> {
    const w = this.worker;
    if (!w) return;
    const exited = new Promise<void>((ok) => w.once('exit', () => ok()));
    // Held until it has ended: an unreferenced thread would let a process with nothing else to do exit mid-close.
    w.ref();
    w.postMessage({ kind: 'close' } satisfies ReadQuestion);
    await exited;
  }

  private thread(): Worker {
    if (this.worker) return this.worker;
    // No inherited flags: a thread of a process run by tsx would otherwise boot its loader first, for no use here.
    const w = new Worker(new URL('./read-thread-entry.mjs', import.meta.url), { workerData: { file: this.file }, execArgv: [] });
    w.unref();
    w.on('message', (m: ReadAnswer) => {
      const asked = this.waiting.get(m.n);
      if (!asked) return;
      this.waiting.delete(m.n);
      if (this.waiting.size === 0) w.unref();
      if (m.ok) asked.ok(m.rows);
      else asked.fail(new Error(m.error));
    });
    // A thread that dies fails what it was asked; the next question starts a new one.
    const died = (why: string) => {
      if (this.worker === w) this.worker = null;
      for (const asked of this.waiting.values()) asked.fail(new Error(`the store's read thread stopped: ${why}`));
      this.waiting.clear();
    };
    w.on('error', (e) => died(e.message));
    w.on('exit', (code) => died(`exit code ${code}`));
    return (this.worker = w);
  }
}
