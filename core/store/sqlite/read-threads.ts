import { Worker } from 'node:worker_threads';

/** What a thread is asked: one statement's rows, or to close its connection and end. */
export type ReadQuestion = { kind: 'all'; n: number; sql: string; params: Record<string, unknown> } | { kind: 'close' };
export type ReadAnswer = { n: number; ok: true; rows: unknown[][] } | { n: number; ok: false; error: string };

interface Asked {
  question: Extract<ReadQuestion, { kind: 'all' }>;
  ok: (rows: unknown[][]) => void;
  fail: (e: Error) => void;
}

/** One thread and the question it is working on (a thread is given one at a time). */
interface Reader {
  worker: Worker;
  busy: Asked | null;
}

/**
 * Threads with their own read-only connections to the store's file, for the heavy reads of a report that asks for
 * several at once (the digest walks the purchase index for RFM, activity and purchase facts): the statements run on
 * the other cores while this thread decodes answers and keeps serving requests. A question goes to an idle thread;
 * with none idle it waits for the first to finish, so a long statement never holds a short one behind it while
 * another thread is free. Threads start on demand, up to `size` (an idle store holds none); a thread keeps the process
 * alive only while it is working; `close` ends them.
 */
export class SqliteReadThreads {
  private readonly readers: Reader[] = [];
  private readonly pending: Asked[] = [];
  private n = 0;
  private closed = false;

  constructor(private readonly file: string, private readonly size = 2) {}

  /** The statement's rows as arrays (better-sqlite3's `raw`). */
  all(sql: string, params: Record<string, unknown>): Promise<unknown[][]> {
    return new Promise((ok, fail) => {
      if (this.closed) return fail(new Error("the store's read threads are closed"));
      const asked: Asked = { question: { kind: 'all', n: ++this.n, sql, params }, ok, fail };
      const idle = this.readers.find((r) => r.busy === null) ?? (this.readers.length < this.size ? this.start() : null);
      if (idle) this.give(idle, asked);
      else this.pending.push(asked);
    });
  }

  /** Ends the threads after their connections are closed (so the main connection, closed last, can remove the WAL). */
  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(this.readers.map(({ worker: w }) => {
      const exited = new Promise<void>((ok) => w.once('exit', () => ok()));
      // Held until it has ended: an unreferenced thread would let a process with nothing else to do exit mid-close.
      w.ref();
      w.postMessage({ kind: 'close' } satisfies ReadQuestion);
      return exited;
    }));
  }

  private give(reader: Reader, asked: Asked): void {
    reader.busy = asked;
    reader.worker.ref();
    reader.worker.postMessage(asked.question);
  }

  private start(): Reader {
    // No inherited flags: a thread of a process run by tsx would otherwise boot its loader first, for no use here.
    const worker = new Worker(new URL('./read-thread-entry.mjs', import.meta.url), { workerData: { file: this.file }, execArgv: [] });
    const reader: Reader = { worker, busy: null };
    worker.unref();
    worker.on('message', (m: ReadAnswer) => {
      const asked = reader.busy;
      if (!asked || asked.question.n !== m.n) return;
      reader.busy = null;
      // Once closing, this thread's next message is the close: what waits is failed when it has ended.
      const next = this.closed ? undefined : this.pending.shift();
      if (next) this.give(reader, next);
      else worker.unref();
      if (m.ok) asked.ok(m.rows);
      else asked.fail(new Error(m.error));
    });
    // A thread that dies fails what it was working on; questions waiting go to the others, or to a new one.
    const died = (why: string) => {
      const at = this.readers.indexOf(reader);
      if (at < 0) return;
      this.readers.splice(at, 1);
      reader.busy?.fail(new Error(`the store's read thread stopped: ${why}`));
      reader.busy = null;
      if (this.closed) {
        for (const waiting of this.pending.splice(0)) waiting.fail(new Error("the store's read threads are closed"));
        return;
      }
      const next = this.pending.shift();
      if (next) this.give(this.start(), next);
    };
    worker.on('error', (e) => died(e.message));
    worker.on('exit', (code) => died(`exit code ${code}`));
    this.readers.push(reader);
    return reader;
  }
}
