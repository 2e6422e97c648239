import { fileURLToPath } from 'node:url';
import { loadConfig, ConfigError, type AppConfig } from '../config/index.js';
import { createLogger, loadDemo, startApp, type DemoSummary, type ProcessRole } from '../core/index.js';
import { adaptersFor, PLUGINS_DIR, processingThread } from './compose.js';
import { demoDoneMessage, portTakenMessage, startBanner } from './banner.js';

function parseArgs(argv: string[]): { role: ProcessRole; demo: boolean; demoOnly: boolean } {
  const i = argv.indexOf('--role');
  const role = (i >= 0 ? argv[i + 1] : 'all') as ProcessRole;
  if (!['web', 'worker', 'all'].includes(role)) throw new ConfigError([`--role must be web, worker or all (got "${role}")`]);
  return { role, demo: argv.includes('--demo'), demoOnly: argv.includes('--demo-only') };
}

async function main(): Promise<void> {
  const log = createLogger();
  let config: AppConfig;
  let args: ReturnType<typeof parseArgs>;
  try {
    config = loadConfig(process.env);
    args = parseArgs(process.argv.slice(2));
  } catch (e) {
    if (e instanceof ConfigError) {
      process.stderr.write(`${e.message}\n`);
      process.exit(2);
    }
    throw e;
  }
  if (!config.adapters.web) log.warn({ host: config.env.HOST }, 'web chat is off: HOST is not loopback and WEB_CHAT_TOKEN is not set');
  if (args.demoOnly) {
    const app = await startApp({ config, role: 'worker', adapters: [], pluginsDir: PLUGINS_DIR, logger: log });
    try {
      const summary = await loadDemo(app.engine);
      log.info(summary, 'demo data loaded');
      process.stdout.write(demoDoneMessage(config, summary));
    } catch (e) {
      process.stderr.write(`${(e as Error).message}\n`);
      process.exitCode = 1;
    } finally {
      await app.stop();
    }
    return;
  }
  const adapters = await adaptersFor(config);
  // Acknowledging requests and doing the work they ask for run on two threads; a worker has no requests to acknowledge.
  const thread = args.role === 'worker' ? undefined : processingThread(config);
  const app = await startApp({ config, role: args.role, adapters, pluginsDir: PLUGINS_DIR, logger: log, processingThread: thread }).catch((e: NodeJS.ErrnoException) => {
    if (e.code !== 'EADDRINUSE') throw e;
    process.stderr.write(portTakenMessage(config.env.PORT));
    process.exit(1);
  });
  let demo: DemoSummary | null = null;
  if (args.demo) {
    await loadDemo(app.engine).then((s) => { demo = s; log.info(s, 'demo data loaded'); }, (e: Error) => log.warn(e.message));
  }
  if (app.port !== null) {
    const url = `http://${config.env.HOST}:${app.port}/`;
    // A person at a terminal gets the banner; a log collector gets one JSON line.
    if (process.stdout.isTTY) process.stdout.write(startBanner(config, { url, store: config.env.MONGODB_URI ? 'mongo' : 'sqlite', adapters: adapters.map((a) => a.platform), plugins: app.plugins, demo }));
    else log.info({ url }, 'Chat CRM is running');
  }
  const shutdown = (signal: string) => {
    log.info({ signal }, 'shutting down');
    app.stop().then(() => process.exit(0), (e) => {
      log.error({ err: String(e) }, 'shutdown failed');
      process.exit(1);
    });
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  main().catch((e) => {
    // A start-up problem the operator can fix (an unwritable data directory) is one line, like a config error.
    if (e instanceof ConfigError) {
      process.stderr.write(`${e.message}\n`);
      process.exit(2);
    }
    process.stderr.write(`${(e as Error).stack ?? e}\n`);
    process.exit(1);
  });
}
