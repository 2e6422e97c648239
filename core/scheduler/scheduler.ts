import cron from 'node-cron';
import type { Store } from '../store/port.js';

export interface JobSpec {
  name: string;
  cron: string;
  timezone: string;
  run(tick: string): Promise<void>;
}

/** How long stop() waits for running jobs: inside the usual 30 s a platform gives between SIGTERM and SIGKILL. */
export const SHUTDOWN_GRACE_MS = 20_000;

/**
 * node-cron in each process; before running, a process claims the (job, tick) row in the store, so
 * however many processes fire the same tick, exactly one runs it. A tick still running when the process
 * stops is released, and the next process to fire that job runs it again (jobs are idempotent per tick).
 */
export class Scheduler {
  private readonly tasks = new Map<string, { spec: JobSpec; task: ReturnType<typeof cron.schedule> | null }>();
  private readonly inFlight = new Map<Promise<void>, { job: string; tick: string }>();
  private running = false;
  private stopping = false;

  constructor(
    private readonly store: Store,
    private readonly holder: string,
    private readonly onError: (job: string, e: unknown) => void,
    private readonly onRun: (job: string) => void = () => {},
    private readonly graceMs: number = SHUTDOWN_GRACE_MS,
  ) {}

  add(spec: JobSpec): void {
    if (!cron.validate(spec.cron)) throw new Error(`job ${spec.name}: invalid cron expression "${spec.cron}"`);
    if (this.tasks.has(spec.name)) throw new Error(`job ${spec.name} is scheduled twice`);
    const entry: { spec: JobSpec; task: ReturnType<typeof cron.schedule> | null } = { spec, task: null };
    this.tasks.set(spec.name, entry);
    if (this.running) entry.task = this.startTask(spec);
  }

  remove(name: string): void {
    const e = this.tasks.get(name);
    void e?.task?.stop();
    this.tasks.delete(name);
  }

  /**
   * Runs the job for this tick unless another process already claimed it, then any ticks of the job that a
   * stopping process gave back; true when this one ran the tick.
   */
  async fire(name: string, at: Date): Promise<boolean> {
    const e = this.tasks.get(name);
    if (!e || this.stopping) return false;
    const tick = new Date(Math.floor(at.getTime() / 60_000) * 60_000).toISOString();
    const mine = await this.store.system.claimTick(name, tick, this.holder, new Date().toISOString());
    // stop() may have begun while the claim was on its way: give the tick back rather than start after it.
    if (mine && this.stopping) await this.store.system.releaseTick(name, tick, this.holder);
    else if (mine) await this.runTick(e.spec, tick);
    for (let left: string | null; !this.stopping && (left = await this.store.system.claimReleasedTick(name, this.holder, new Date().toISOString()));) {
      await this.runTick(e.spec, left);
    }
    return mine;
  }

  private async runTick(spec: JobSpec, tick: string): Promise<void> {
    this.onRun(spec.name);
    const run = (async () => {
      try {
        await spec.run(tick);
      } catch (err) {
        this.onError(spec.name, err);
      }
    })();
    this.inFlight.set(run, { job: spec.name, tick });
    try {
      await run;
    } finally {
      this.inFlight.delete(run);
    }
  }

  private startTask(spec: JobSpec) {
    return cron.schedule(spec.cron, (ctx) => void this.fire(spec.name, ctx.date ?? new Date()), { timezone: spec.timezone, name: spec.name });
  }

  start(): void {
    this.running = true;
    this.stopping = false;
    for (const e of this.tasks.values()) e.task ??= this.startTask(e.spec);
  }

  /**
   * Stops firing, waits up to the grace period for running jobs, and releases the ticks of those still
   * running so another process re-runs them. Returns the ticks released.
   */
  async stop(): Promise<{ job: string; tick: string }[]> {
    this.running = false;
    this.stopping = true;
    for (const e of this.tasks.values()) {
      await e.task?.stop();
      e.task = null;
    }
    if (!this.inFlight.size) {
      this.stopping = false;
      return [];
    }
    let timer: NodeJS.Timeout | undefined;
    const grace = new Promise<void>((ok) => (timer = setTimeout(ok, this.graceMs)));
    await Promise.race([Promise.all([...this.inFlight.keys()]), grace]);
    clearTimeout(timer);
    const unfinished = [...this.inFlight.values()];
    for (const t of unfinished) await this.store.system.releaseTick(t.job, t.tick, this.holder);
    // Stopped is not closed: a caller may still fire a tick by hand (tests drive ticks this way).
    this.stopping = false;
    return unfinished;
  }
}
