// @ts-check
// One of the store's read threads (read-threads.ts): a read-only connection running the statements it is sent, answering
// with their rows as arrays. Plain JavaScript on purpose: a TypeScript entry would first boot tsx's loader in the
// thread, about half a second of CPU on every start (measured), more than the statement it is there to move.
// Typechecked all the same (`// @ts-check`, tsconfig `allowJs`), against the messages read-threads.ts sends.
import Database from 'better-sqlite3';
import { parentPort, workerData } from 'node:worker_threads';

/** @typedef {import('./read-threads.js').ReadQuestion} ReadQuestion */
/** @typedef {import('./read-threads.js').ReadAnswer} ReadAnswer */

if (!parentPort) throw new Error('read-thread-entry.mjs runs as a worker thread (read-threads.ts starts it)');
const port = parentPort;
const db = new Database(/** @type {{ file: string }} */ (workerData).file, { readonly: true, fileMustExist: true });
db.pragma('busy_timeout = 10000');
// The main connection's page cache (engine.ts): a statement here walks a whole index.
db.pragma('cache_size = -65536');
// Pages read through a mapping of the file, not copied into each connection's cache by a read call each: the read
// threads and the main connection walk the same indexes, and the OS keeps one copy for all of them.
db.pragma('mmap_size = 1073741824');

/** @param {ReadAnswer} a */
const answer = (a) => port.postMessage(a);

port.on('message', (/** @type {ReadQuestion} */ q) => {
  if (q.kind === 'close') {
    db.close();
    port.close();
    return;
  }
  try {
    answer({ n: q.n, ok: true, rows: /** @type {unknown[][]} */ (db.prepare(q.sql).raw(true).all(q.params)) });
  } catch (e) {
    answer({ n: q.n, ok: false, error: e instanceof Error ? e.message : String(e) });
  }
});
