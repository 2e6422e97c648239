import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker, type MessagePort } from 'node:worker_threads';
import type { ChatEvent } from '../chat/event.js';
import type { Engine, Outcome } from '../engine.js';
import type { MetricsSnapshot } from '../metrics.js';
import { GroupCommit } from '../store/group-commit.js';

/** What the HTTP thread asks of its processing thread; `n` pairs each answer with its question. */
type Ask = { kind: 'process'; ev: ChatEvent; replay: boolean } | { kind: 'metrics' } | { kind: 'stop' };
type Question = Ask & { n: number };

type Answer = { n: number; ok: true; value: unknown } | { n: number; ok: false; error: string };

/**
 * Answers sent in the same turn of the event loop travel in one message: each postMessage copies and wakes the
 * other thread, which cost more than the work of a community message when sent one by one.
 */
const BATCH = { windowMs: 'turn', maxItems: 1024 } as const;

/**
 * Questions go as soon as the callbacks already queued have run (those set off by the same answers or requests
 * travel together), not at the end of the turn: the rest of a turn here (done marks, the next requests' admission)
 * would otherwise keep the processing thread idle, and the two threads would take turns instead of working at once.
 */
const QUESTIONS = { windowMs: 0, maxItems: 1024 } as const;

/**
 * Questions the processing thread starts in one turn of its event loop. Its group commits gather what starts together,
 * so a chunk this size costs about 20% less CPU per message there than one of 32.
 */
const CHUNK = 128;

/**
 * Requests the HTTP thread keeps with its processing thread: two chunks, so that thread works on one while the other's
 * answers travel back and the next questions come. With one chunk in flight, or everything held started at once, the
 * two threads took turns (each idle while the other worked).
 */
export const IN_FLIGHT = 2 * CHUNK;

/** Sent once by the processing thread: its app started, or could not. */
type Start = { kind: 'ready' } | { kind: 'failed'; error: string };

export interface ProcessingThreadOptions {
  /** The module the thread runs: it starts an app and calls `serveProcessing` (the composition root's). */
  entry: URL;
  /** Handed to the entry as `workerData`. */
  data: unknown;
  /** The thread died without being asked to stop: what it held is in the inbox, for the next process to replay. */
  onDeath: (why: string) => void;
}

/**
 * The HTTP thread's end of a processing thread. Requests are verified and recorded on the HTTP thread; the
 * work they ask for runs on this other thread, with its own store connection, so a backlog of work never
 * holds up an acknowledgement (the event loop answering HTTP only parses, verifies and records).
 */
export class ProcessingThread {
  private n = 0;
  private readonly waiting = new Map<number, { ok: (v: unknown) => void; fail: (e: Error) => void }>();
  private readonly questions: GroupCommit<Question>;
  private stopping = false;

  private constructor(private readonly worker: Worker) {
    this.questions = new GroupCommit(QUESTIONS, async (qs) => worker.postMessage(qs));
  }

  static async start(opts: ProcessingThreadOptions): Promise<ProcessingThread> {
    // A TypeScript entry: a thread does not inherit the `tsx` loader on Node 20, so it registers it first.
    const ts = opts.entry.pathname.endsWith('.ts');
    const tsx = tsxRegisterModule();
    const boot = `import(${JSON.stringify(tsx)}).then((m) => { m.register(); return import(${JSON.stringify(opts.entry.href)}); })`;
    const worker = ts ? new Worker(boot, { eval: true, workerData: opts.data }) : new Worker(opts.entry, { workerData: opts.data });
    const thread = new ProcessingThread(worker);
    await new Promise<void>((ok, fail) => {
      const early = (code: number) => fail(new Error(`the processing thread exited (code ${code}) before it started`));
      worker.once('exit', early);
      worker.once('error', fail);
      worker.once('message', (m: Start) => {
        worker.off('exit', early);
        worker.off('error', fail);
        if (m.kind === 'ready') ok();
        else fail(new Error(m.error));
      });
    });
    worker.on('message', (answers: Answer[]) => {
      for (const a of answers) thread.answered(a);
    });
    worker.on('error', (e) => thread.died(String(e), opts.onDeath));
    worker.on('exit', (code) => thread.died(`exit code ${code}`, opts.onDeath));
    return thread;
  }

  /** Handles an admitted event there; resolves with its outcome. */
  process(ev: ChatEvent, replay: boolean): Promise<Outcome> {
    return this.ask({ kind: 'process', ev, replay }) as Promise<Outcome>;
  }

  /** Its counters and histograms, summed into this thread's `/metrics`. */
  metrics(): Promise<MetricsSnapshot> {
    return this.ask({ kind: 'metrics' }) as Promise<MetricsSnapshot>;
  }

  /** Stops its app (gracefully: its queues drain) and waits for the thread to end. */
  async stop(): Promise<void> {
    this.stopping = true;
    const exited = new Promise<void>((ok) => this.worker.once('exit', () => ok()));
    await this.ask({ kind: 'stop' });
    await exited;
  }

  private ask(q: Ask): Promise<unknown> {
    const n = ++this.n;
    return new Promise((ok, fail) => {
      this.waiting.set(n, { ok, fail });
      // Its answer (or the thread's death) settles the question; the post itself has nothing to report.
      void this.questions.add({ ...q, n });
    });
  }

  private answered(m: Answer): void {
    const w = this.waiting.get(m.n);
    if (!w) return;
    this.waiting.delete(m.n);
    if (m.ok) w.ok(m.value);
    else w.fail(new Error(m.error));
  }

  private died(why: string, onDeath: (why: string) => void): void {
    if (this.stopping) return;
    this.stopping = true;
    onDeath(why);
  }
}

/**
 * The processing thread's end: answers the HTTP thread's questions with `app`'s engine, and on `stop` stops
 * the app and closes the port so the thread can end. Tells the HTTP thread it is ready.
 */
export function serveProcessing(port: MessagePort, app: { engine: Engine; stop(): Promise<void> }): void {
  const answers = new GroupCommit<Answer>(BATCH, async (batch) => {
    try {
      port.postMessage(batch);
    } catch {
      // An answer that cannot be copied across (a DataCloneError) fails that one question, not the others or the thread.
      for (const a of batch) {
        try {
          port.postMessage([a]);
        } catch (e) {
          port.postMessage([{ n: a.n, ok: false, error: e instanceof Error ? e.message : String(e) } satisfies Answer]);
        }
      }
    }
  });
  /** Answers question `n` with what `work` gives or the error it throws; resolves once the answer is posted. */
  const reply = (n: number, work: () => Promise<unknown>) => work().then(
    (value): Answer => ({ n, ok: true, value }),
    (e: unknown): Answer => ({ n, ok: false, error: e instanceof Error ? e.message : String(e) }),
  ).then((a) => answers.add(a));
  const waiting: Question[] = [];
  let draining = false;
  const start = (q: Question) => {
    if (q.kind === 'process') void reply(q.n, () => app.engine.processAdmitted(q.ev, q.replay));
    else if (q.kind === 'metrics') void reply(q.n, async () => app.engine.metrics.snapshot());
    // Closed once the stop is answered, so the thread can end.
    else void reply(q.n, () => app.stop()).then(() => port.close());
  };
  // One chunk a turn, its answers sent before the next chunk starts (see `IN_FLIGHT`).
  const drain = () => {
    // What the last chunk answered leaves first; otherwise its answers would wait for the next chunk's.
    answers.flush();
    for (const q of waiting.splice(0, CHUNK)) start(q);
    if (waiting.length) setImmediate(drain);
    else draining = false;
  };
  port.on('message', (qs: Question[]) => {
    waiting.push(...qs);
    if (!draining) {
      draining = true;
      drain();
    }
  });
  port.postMessage({ kind: 'ready' } satisfies Start);
}

/** tsx's ESM `register` module, by its published exports map (the `require` condition's twin cannot register ESM hooks). */
function tsxRegisterModule(): string {
  const manifest = createRequire(import.meta.url).resolve('tsx/package.json');
  const api = (JSON.parse(readFileSync(manifest, 'utf8')) as { exports: Record<string, { import: { default: string } }> }).exports['./esm/api']!;
  return pathToFileURL(join(dirname(manifest), api.import.default)).href;
}

/** The processing thread could not start its app: the HTTP thread's start-up fails with this. */
export function processingFailed(port: MessagePort, e: unknown): void {
  port.postMessage({ kind: 'failed', error: e instanceof Error ? e.message : String(e) } satisfies Start);
}
