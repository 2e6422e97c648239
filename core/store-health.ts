import type { Logger } from './logger.js';
import type { Store } from './store/port.js';
import { writeFailure } from './store/write-failure.js';

const PROBE_EVERY_MS = 2_000;

/**
 * Whether the store can write. A write failure anywhere marks it degraded; from then on a small
 * probe write (at most every 2 s, lazily and on a timer) decides when service resumes by itself.
 */
export class StoreHealth {
  private problem: { reason: string; since: string } | null = null;
  private lastProbe = 0;
  private probing: Promise<void> | null = null;
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly store: Store, private readonly clock: () => number, private readonly log: Logger) {}

  get degraded(): { reason: string; since: string } | null {
    return this.problem;
  }

  /** Records `e` when it is a write failure; true when it was one. */
  note(e: unknown): boolean {
    const reason = writeFailure(e);
    if (!reason) return false;
    if (!this.problem) this.log.error({ reason }, 'store cannot write: degraded until a probe write succeeds');
    this.problem ??= { reason: `the store cannot write: ${reason}`, since: new Date(this.clock()).toISOString() };
    this.lastProbe = Date.now();
    return true;
  }

  /** True when writes work; while degraded, tries a probe write first (at most every 2 s). */
  async writable(): Promise<boolean> {
    if (!this.problem) return true;
    if (Date.now() - this.lastProbe >= PROBE_EVERY_MS) await this.probe();
    return this.problem === null;
  }

  private probe(): Promise<void> {
    this.probing ??= (async () => {
      this.lastProbe = Date.now();
      try {
        await this.store.probeWrite(new Date(this.clock()).toISOString());
        this.log.info({ was: this.problem?.reason }, 'store writes again: service resumed');
        this.problem = null;
      } catch (e) {
        if (!this.note(e)) this.log.error({ err: String(e) }, 'store probe failed');
      }
    })().finally(() => (this.probing = null));
    return this.probing;
  }

  /** Probes on a timer while degraded, so recovery shows on /healthz without any traffic. */
  start(): void {
    this.timer ??= setInterval(() => void (this.problem && this.probe()), PROBE_EVERY_MS).unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }
}
