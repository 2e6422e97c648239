// The store's read thread (read-thread.ts): a read-only connection running the statements it is sent, answering
// with their rows as arrays. Plain JavaScript on purpose: a TypeScript entry would first boot tsx's loader in the
// thread, about half a second of CPU on every start (measured), more than the statement it is there to move.
import Database from 'better-sqlite3';
import { parentPort, workerData } from 'node:worker_threads';

const db = new Database(workerData.file, { readonly: true, fileMustExist: true });
db.pragma('busy_timeout = 10000');
// The main connection's page cache (engine.ts): a statement here walks a whole index.
db.pragma('cache_size = -65536');

parentPort.on('message', (q) => {
  if (q.kind === 'close') {
    db.close();
    parentPort.close();
    return;
  }
  try {
    parentPort.postMessage({ n: q.n, ok: true, rows: db.prepare(q.sql).raw(true).all(q.params) });
  } catch (e) {
    parentPort.postMessage({ n: q.n, ok: false, error: e instanceof Error ? e.message : String(e) });
  }
});
