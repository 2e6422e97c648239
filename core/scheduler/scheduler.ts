import cron from 'node-cron';
import type { Store } from '../store/port.js';

export interface JobSpec {
  name: string;
  cron: string;
  timezone: string;
  run(tick: string): Promise<void>;
}

/**
 * node-cron in each process; before running, a process claims the (job, tick) row in the store, so
 * however many processes fire the same tick, exactly one runs it.
 */
export class Scheduler {
  private readonly tasks = new Map<string, { spec: JobSpec; task: ReturnType<typeof cron.schedule> | null }>();
  private running = false;

  constructor(
    private readonly store: Store,
    private readonly holder: string,
    private readonly onError: (job: string, e: unknown) => void,
    private readonly onRun: (job: string) => void = () => {},
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

  /** Runs the job for this tick unless another process already claimed it; true when this one ran it. */
  async fire(name: string, at: Date): Promise<boolean> {
    const e = this.tasks.get(name);
    if (!e) return false;
    const tick = new Date(Math.floor(at.getTime() / 60_000) * 60_000).toISOString();
    if (!(await this.store.system.claimTick(name, tick, this.holder, new Date().toISOString()))) return false;
    this.onRun(name);
    try {
      await e.spec.run(tick);
    } catch (err) {
      this.onError(name, err);
    }
    return true;
  }

  private startTask(spec: JobSpec) {
    return cron.schedule(spec.cron, (ctx) => void this.fire(spec.name, ctx.date ?? new Date()), { timezone: spec.timezone, name: spec.name });
  }

  start(): void {
    this.running = true;
    for (const e of this.tasks.values()) e.task ??= this.startTask(e.spec);
  }

  async stop(): Promise<void> {
    this.running = false;
    for (const e of this.tasks.values()) {
      await e.task?.stop();
      e.task = null;
    }
  }
}
