import Database from 'better-sqlite3';
import { parentPort, workerData } from 'node:worker_threads';
import { rfmQuintiles } from '../../kpi/rfm.js';
import type { PackedRfm, ReadQuestion, RfmAnswer } from './read-thread.js';
import { rfmColumnsAt } from './rfm.js';

/** The store's read thread (read-thread.ts): a read-only connection answering RFM questions with packed columns. */
const db = new Database((workerData as { file: string }).file, { readonly: true, fileMustExist: true });
db.pragma('busy_timeout = 10000');
// The same page cache as the main connection (engine.ts): the walk re-reads the purchase index for every as-of date asked.
db.pragma('cache_size = -65536');

parentPort!.on('message', (q: ReadQuestion) => {
  if (q.kind === 'close') {
    db.close();
    parentPort!.close();
    return;
  }
  let answer: RfmAnswer;
  let moved: ArrayBuffer[] = [];
  try {
    const value = rfmColumnsAt(db, q.tenant, q.asOfs, q.reporting).map((c): PackedRfm => {
      const { r, f, m } = rfmQuintiles(c);
      const unconverted: [number, (typeof c.unconverted)[number]][] = [];
      c.unconverted.forEach((money, i) => money.length > 0 && unconverted.push([i, money]));
      return {
        ids: Float64Array.from(c.ids), last: c.last.slice(), frequency: c.frequency.slice(), monetary: c.monetary.slice(), unconverted,
        r: Uint8Array.from(r), f: Uint8Array.from(f), m: Uint8Array.from(m),
      };
    });
    moved = value.flatMap((p) => [p.ids, p.last, p.frequency, p.monetary, p.r, p.f, p.m].map((a) => a.buffer as ArrayBuffer));
    answer = { n: q.n, ok: true, value };
  } catch (e) {
    answer = { n: q.n, ok: false, error: e instanceof Error ? e.message : String(e) };
  }
  parentPort!.postMessage(answer, moved);
});
