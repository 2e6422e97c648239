import type { Database as Db } from 'better-sqlite3';
import { withBatchCounters } from './counters.js';
import { GroupCommit, type GroupCommitOptions, type ItemOutcome } from '../group-commit.js';

/** Runs one write (several statements that belong together) and returns what it stored. */
export type Write<R> = () => R;

/** A queued write; `atomic`: SQLite undoes it alone if it fails (see `runAtomic`), so it needs no savepoint of its own. */
interface Queued {
  write: Write<unknown>;
  atomic: boolean;
}

/**
 * Group commit of the engine's own writes (dedupe rows, identity touches, interactions with their events):
 * the writes issued together (by callers resumed at the same moment), up to `maxItems`, commit in one transaction instead of
 * one each. Each write runs in its own savepoint, so one that throws is undone alone and rejects alone; a
 * promise resolves only after the transaction holding its write committed. If the commit itself fails, each
 * write is retried in a transaction of its own, so only the writes that fail again are refused.
 */
export class SqliteWriteBatch {
  private readonly group: GroupCommit<Queued, unknown>;
  /** Inside the batch's transaction a nested transaction is a savepoint; built once, as building one per call costs more than the write. */
  private readonly savepoint: (w: Write<unknown>) => unknown;
  private readonly together: (writes: Queued[]) => ItemOutcome<unknown>[];

  constructor(db: Db, opts: GroupCommitOptions = { windowMs: 0, maxItems: 256 }) {
    this.savepoint = db.transaction((w: Write<unknown>) => w());
    this.together = db.transaction((writes: Queued[]) =>
      withBatchCounters(db, () => writes.map((w) => attempt(() => (w.atomic ? w.write() : this.savepoint(w.write)))))).immediate;
    this.group = new GroupCommit(opts, async (writes) => this.commit(writes));
  }

  run<R>(write: Write<R>): Promise<R> {
    return this.group.add({ write, atomic: false }) as Promise<R>;
  }

  /**
   * For a write that is one statement, or statements of which at most one changes anything, or one that takes back
   * what it stored when a later step fails: SQLite undoes a failing statement by itself, so the write needs no
   * savepoint (two statements more, and a copy of every page the write touches, most of a small write's cost).
   */
  runAtomic<R>(write: Write<R>): Promise<R> {
    return this.group.add({ write, atomic: true }) as Promise<R>;
  }

  private commit(writes: Queued[]): ItemOutcome<unknown>[] {
    try {
      return this.together(writes);
    } catch {
      // The commit failed (the disk, a lock held too long): each write gets its own transaction and its own answer.
      return writes.map((w) => attempt(() => this.together([w])[0]!)).map((o) => (o.ok ? (o.value as ItemOutcome<unknown>) : o));
    }
  }
}

const batches = new WeakMap<Db, SqliteWriteBatch>();

/** Makes a connection's write batch with its own window, before any repository writes through it. */
export function openWriteBatch(db: Db, opts: GroupCommitOptions): SqliteWriteBatch {
  if (batches.has(db)) throw new Error('this connection already has its write batch');
  const b = new SqliteWriteBatch(db, opts);
  batches.set(db, b);
  return b;
}

/** The one write batch of a database connection, so every repository on it commits in the same groups. */
export function writeBatchOf(db: Db): SqliteWriteBatch {
  let b = batches.get(db);
  if (!b) batches.set(db, (b = new SqliteWriteBatch(db)));
  return b;
}

function attempt<R>(fn: () => R): ItemOutcome<R> {
  try {
    return { ok: true, value: fn() };
  } catch (error) {
    return { ok: false, error };
  }
}
