import pino from 'pino';
import { loadConfig } from '../../config/index.js';
import { crmCommand } from '../../core/commands/crm.js';
import { Engine } from '../../core/engine.js';
import { PluginHost, type LoadedPlugin } from '../../core/plugins/host.js';
import { parseManifest, type PluginManifest } from '../../core/plugins/manifest.js';
import { salesCommands } from '../../core/sales/commands.js';
import { openSqliteStore } from '../../core/store/sqlite/engine.js';
import { PLATFORMS, type CoreEvents, type EventName, type OutboxItem, type Platform, type Reply } from '../../core/index.js';

/** A clock the test moves by hand: no timer, no wall time. */
export interface FakeClock {
  (): number;
  set(iso: string): void;
  advance(ms: number): void;
}

export function fakeClock(startIso = '2026-01-05T09:00:00.000Z'): FakeClock {
  let now = Date.parse(startIso);
  const clock = (() => now) as FakeClock;
  clock.set = (iso) => (now = Date.parse(iso));
  clock.advance = (ms) => (now += ms);
  return clock;
}

export interface TestPlugin {
  engine: Engine;
  tenant: string;
  clock: FakeClock;
  /** Types a line (a command or a plain message) as `web:<user>`; roles come from the file's `roles.assign`. */
  say(user: string, text: string): Promise<Reply[]>;
  /** Publishes a core event as the engine would. */
  emit<E extends EventName>(event: E, payload: CoreEvents[E]): Promise<void>;
  /** Runs one tick of a job the plugin scheduled (its name without the plugin prefix) at the clock's time. */
  tick(job: string): Promise<boolean>;
  /** Everything the plugin's messages delivered so far, oldest first (the outbox is drained into it). */
  sent(): Promise<OutboxItem[]>;
  stop(): Promise<void>;
}

/**
 * Starts one plugin alone on an in-memory SQLite store with a fake clock (as Backstage's startTestBackend):
 * the core commands are there, no adapter, no socket. Roles come from the config's `roles.assign`.
 */
export async function startTestPlugin(
  plugin: LoadedPlugin['definition'] & { manifest: PluginManifest }, opts: { config?: unknown; clock?: FakeClock; file?: Record<string, unknown> } = {},
): Promise<TestPlugin> {
  const clock = opts.clock ?? fakeClock();
  const config = loadConfig({ PORT: '0', CRM_CONFIG: 'test.json' }, () => JSON.stringify({ plugins: {}, ...opts.file }));
  const store = openSqliteStore(':memory:');
  const engine = new Engine({ config, store, logger: pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' }), holder: 'test', clock });
  engine.commands.register(crmCommand);
  for (const c of salesCommands) engine.commands.register(c);
  const host = new PluginHost(engine, '');
  await host.start({ manifest: parseManifest(plugin.manifest, plugin.manifest.id), definition: plugin }, opts.config ?? {});
  // The plugin's reactions are durable subscriptions: this process delivers them, as `npm start` does.
  engine.bus.start();
  const delivered: OutboxItem[] = [];
  for (const p of PLATFORMS as readonly Platform[]) {
    engine.outbox.registerSender(p, async (item) => {
      delivered.push(item);
      return { ok: true };
    });
  }
  const tenant = config.file.defaultTenant;
  let seq = 0;
  return {
    engine,
    tenant,
    clock,
    say: (user, text) =>
      engine.handle({ platform: 'web', scope: null, actor: { identity: `web:${user}`, displayName: user }, channel: `web:${user}`, eventId: `test-${++seq}`, text }),
    emit: (event, payload) => engine.bus.emit(event, payload),
    tick: (job) => engine.scheduler.fire(`${plugin.manifest.id}:${job}`, new Date(clock())),
    async sent() {
      while ((await engine.outbox.drain(500)) > 0);
      return [...delivered];
    },
    async stop() {
      await engine.bus.stop();
      await host.stopAll();
      await store.close();
    },
  };
}
