import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import { ConfigError, type CoreConfig } from './config.js';
import type { Adapter } from './adapter.js';
import { crmCommand } from './commands/crm.js';
import { salesCommands } from './sales/commands.js';
import { Engine, type EngineOptions } from './engine.js';
import { HttpServer, json } from './http/server.js';
import { createLogger, type Logger } from './logger.js';
import { PluginHost } from './plugins/host.js';
import { openStore } from './store/index.js';
import type { Store } from './store/port.js';
import { checkDataDir } from './store/data-dir.js';
import { writeFailure } from './store/write-failure.js';
import { pruneJob } from './prune.js';
import { metricsAllowed } from './http/metrics-access.js';
import { IN_FLIGHT, ProcessingThread } from './ingress/thread.js';

export type Role = 'web' | 'worker' | 'all';

export interface AppOptions {
  config: CoreConfig;
  role: Role;
  adapters: Adapter[];
  pluginsDir: string;
  logger?: Logger;
  store?: Store;
  clock?: () => number;
  outboxRates?: EngineOptions['outboxRates'];
  /** Outbox, scheduler, event subscriptions and the adapters' workers run here; by default in every role but `web`. */
  background?: boolean;
  /**
   * With an HTTP server: a thread (its module, and what it is handed besides `background`) that handles the
   * requests this one records (and the background work when `background`), so acknowledgements never wait
   * behind work. Handled here when absent.
   */
  processingThread?: { entry: URL; data: object };
  /** The adapters' start-up calls (`prepare`) were made by the thread that started this one: not made twice. */
  prepared?: boolean;
}

export interface RunningApp {
  engine: Engine;
  port: number | null;
  /** The web role's HTTP server (null in a worker): `inject` answers a request without a socket. */
  http: HttpServer | null;
  plugins: string[];
  stop(): Promise<void>;
}

/** Wires store, engine, plugins and adapters for one process role. */
export async function startApp(opts: AppOptions): Promise<RunningApp> {
  const log = opts.logger ?? createLogger();
  const { config } = opts;
  const store = opts.store ?? (await openConfiguredStore(config));
  const web = opts.role !== 'worker';
  const background = opts.background ?? opts.role !== 'web';
  let thread: ProcessingThread | null = null;
  const elsewhere = web && opts.processingThread !== undefined;
  const engine = new Engine({
    config, store, logger: log, holder: `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`, clock: opts.clock, outboxRates: opts.outboxRates,
    // Two of the thread's chunks side by side: it works on one while the answers of the other travel back and the
    // next questions come (see `IN_FLIGHT`).
    ...(elsewhere ? { processing: { processor: (ev, replay) => thread!.process(ev, replay), concurrency: IN_FLIGHT } } : {}),
  });
  engine.useAdapters(opts.adapters);
  engine.commands.register(crmCommand);
  for (const c of salesCommands) engine.commands.register(c);
  engine.scheduler.add(pruneJob(engine));
  const host = new PluginHost(engine, opts.pluginsDir);
  try {
    await host.loadAll(config.file.plugins);
  } catch (e) {
    // A plugin that cannot start stops start-up; nothing stays open behind it.
    await host.stopAll();
    if (!opts.store) await store.close();
    throw e;
  }
  const plugins = host.loaded.map((p) => p.manifest.id);
  await engine.applyConfiguredRoles();
  if (!opts.prepared) for (const a of opts.adapters) await a.prepare?.(engine);

  if (elsewhere) {
    thread = await ProcessingThread.start({
      entry: opts.processingThread!.entry, data: { ...opts.processingThread!.data, background },
      onDeath: (why) => {
        // What the thread held is recorded in the inbox with a lease: exiting lets the next process replay it.
        log.fatal({ why }, 'the processing thread died; exiting');
        process.exit(1);
      },
    }).catch(async (e: unknown) => {
      await host.stopAll();
      if (!opts.store) await store.close();
      throw e;
    });
  }
  const worker = background && !elsewhere;
  let http: HttpServer | null = null;
  let port: number | null = null;
  if (web) {
    http = new HttpServer(log, (route, status) => engine.metrics.requests.inc({ route, status: String(status) }));
    http.route('GET', '/healthz', async () => {
      if (!(await engine.health.writable())) {
        return { status: 503, headers: { 'retry-after': '5' }, body: { status: 'degraded', reason: engine.health.degraded!.reason, store: store.kind, since: engine.health.degraded!.since } };
      }
      return json(200, { status: 'ok', store: store.kind, adapters: opts.adapters.map((a) => a.platform), plugins });
    });
    http.route('GET', '/metrics', async (req) => {
      const refused = metricsAllowed(req, config.env.METRICS_TOKEN);
      if (refused) return refused;
      return { status: 200, headers: { 'content-type': 'text/plain; version=0.0.4' }, body: await engine.metrics.render(thread ? [await thread.metrics()] : []) };
    });
    for (const a of opts.adapters) await a.mount?.(http, engine);
    // A port already taken stops start-up: the processing thread must not outlive it.
    port = await http.listen(config.env.PORT, config.env.HOST).catch(async (e: unknown) => {
      await thread?.stop();
      throw e;
    });
  }
  if (worker) {
    for (const a of opts.adapters) if (a.sender) engine.outbox.registerSender(a.platform, a.sender(engine));
    for (const a of opts.adapters) {
      // A platform that cannot be reached must not take the rest of the worker down.
      await a.startWorker?.(engine).catch((e) => log.error({ platform: a.platform, err: String(e) }, 'adapter worker failed to start'));
    }
    engine.outbox.start();
    engine.scheduler.start();
    engine.bus.start();
  }
  engine.health.start();
  engine.ingress.start();
  log.info({ role: opts.role, port, store: store.kind, adapters: opts.adapters.map((a) => a.platform), plugins }, 'started');

  let stopping: Promise<void> | null = null;
  return {
    engine,
    port,
    http,
    plugins,
    stop: () =>
      (stopping ??= (async () => {
        engine.health.stop();
        await http?.close();
        await engine.ingress.stop();
        await thread?.stop();
        await engine.answersDelivered();
        await engine.scheduler.stop();
        await engine.bus.stop();
        await engine.outbox.stop();
        for (const a of opts.adapters) await a.stop?.();
        await host.stopAll();
        await store.close();
      })()),
  };
}

/** Opens the configured store; an unwritable or full data directory stops start-up with one line naming it. */
async function openConfiguredStore(config: CoreConfig): Promise<Store> {
  if (config.env.MONGODB_URI) return openStore({ mongoUri: config.env.MONGODB_URI, dataDir: config.env.CRM_DATA_DIR });
  checkDataDir(config.env.CRM_DATA_DIR);
  try {
    return await openStore({ dataDir: config.env.CRM_DATA_DIR });
  } catch (e) {
    const why = writeFailure(e);
    if (why) throw new ConfigError([`CRM_DATA_DIR ${config.env.CRM_DATA_DIR}: the database cannot be written: ${why}`]);
    throw e;
  }
}
