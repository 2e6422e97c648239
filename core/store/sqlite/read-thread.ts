import type { Worker } from 'node:worker_threads';
import type { Money } from '../../kpi/fx.js';
import { scoreRows, type Reporting, type RfmColumns, type RfmScore } from '../../kpi/rfm.js';
import { startWorker } from '../../ts-worker.js';

/** One as-of date's purchase totals and scores as they cross between threads: typed arrays (moved, not copied). */
export interface PackedRfm {
  ids: Float64Array;
  last: Float64Array;
  frequency: Float64Array;
  monetary: Float64Array;
  /** Only the customers with spend kept apart (nearly none): [index, amounts]. */
  unconverted: [number, Money[]][];
  r: Uint8Array;
  f: Uint8Array;
  m: Uint8Array;
}

/** What the thread is asked: RFM at some dates, or to close its connection and end. */
export type ReadQuestion = { kind: 'rfmAt'; n: number; tenant: string; asOfs: string[]; reporting: Reporting } | { kind: 'close' };

export type RfmAnswer = { n: number; ok: true; value: PackedRfm[] } | { n: number; ok: false; error: string };

/** The rows of one as-of date, unpacked on the asking side. */
export function unpackRfm(p: PackedRfm, asOf: string): RfmScore[] {
  const unconverted: Money[][] = Array.from({ length: p.ids.length }, () => []);
  for (const [i, money] of p.unconverted) unconverted[i] = money;
  const c: RfmColumns = { ids: p.ids, last: p.last, frequency: p.frequency, monetary: p.monetary, unconverted };
  return scoreRows(c, p, asOf);
}

/**
 * A thread with its own read-only connection to the store's file, for RFM at several dates: it walks the whole
 * purchase index, and the digest asks for it beside its other reads, so on the thread it runs on the other core
 * while this one answers those. Started on the first question (an idle store holds no thread); it keeps the
 * process alive only while a question is out; `close` ends it.
 */
export class SqliteReadThread {
  private worker: Worker | null = null;
  private n = 0;
  private readonly waiting = new Map<number, { ok: (v: PackedRfm[]) => void; fail: (e: Error) => void }>();

  constructor(private readonly file: string) {}

  async rfmAt(tenant: string, asOfs: string[], reporting: Reporting): Promise<RfmScore[][]> {
    const packed = await new Promise<PackedRfm[]>((ok, fail) => {
      const n = ++this.n;
      const w = this.thread();
      this.waiting.set(n, { ok, fail });
      // Held while a question is out (the process waits for its answer), let go when none is.
      w.ref();
      w.postMessage({ kind: 'rfmAt', n, tenant, asOfs, reporting } satisfies ReadQuestion);
    });
    return packed.map((p, i) => unpackRfm(p, asOfs[i]!));
  }

  /** Ends the thread after its connection is closed (so the main connection, closed last, can remove the WAL). */
  async close(): Promise<void> {
    const w = this.worker;
    if (!w) return;
    const exited = new Promise<void>((ok) => w.once('exit', () => ok()));
    w.postMessage({ kind: 'close' } satisfies ReadQuestion);
    await exited;
  }

  private thread(): Worker {
    if (this.worker) return this.worker;
    const w = startWorker(new URL(`./read-thread-entry${import.meta.url.endsWith('.ts') ? '.ts' : '.js'}`, import.meta.url), { file: this.file });
    w.unref();
    w.on('message', (m: RfmAnswer) => {
      const asked = this.waiting.get(m.n);
      if (!asked) return;
      this.waiting.delete(m.n);
      if (this.waiting.size === 0) w.unref();
      if (m.ok) asked.ok(m.value);
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
