import { parentPort, workerData } from 'node:worker_threads';
import { createLogger, processingFailed, serveProcessing, startApp } from '../core/index.js';
import { adaptersFor, PLUGINS_DIR, type ProcessingThreadData } from './compose.js';

/**
 * A processing thread: the same configuration, adapters and plugins as the process that started it, without
 * an HTTP server; it handles the requests that process records, and the background work when asked to.
 */
const port = parentPort!;
// The configuration its process loaded and checked, so both threads run the same one.
const { config, background } = workerData as ProcessingThreadData & { background: boolean };
try {
  const app = await startApp({ config, role: 'worker', background, prepared: true, adapters: await adaptersFor(config), pluginsDir: PLUGINS_DIR, logger: createLogger() });
  serveProcessing(port, app);
} catch (e) {
  processingFailed(port, e);
}
