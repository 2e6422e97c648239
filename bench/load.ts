import { parseArgs } from 'node:util';
import { runLoad, type LoadShape } from './suites/bursts.js';

/**
 * Load test: `npm run load [-- --seconds 10 --concurrency 200 --shape bursts|back-to-back]`. After an unmeasured
 * warm-up (`WARMUP_MS`), clients send
 * `/log note` commands for a fixed time (back to back, or all at once every second), as signed Slack slash commands to POST /slack/events and as web chat messages, to a server in its own
 * process; prints per surface the ack p50/p99, how many were answered, queued or refused as busy, and checks
 * every acknowledged command was stored exactly once.
 */
const { values } = parseArgs({ options: { seconds: { type: 'string', default: '15' }, concurrency: { type: 'string', default: '32' }, shape: { type: 'string', default: 'back-to-back' } } });
if (values.shape !== 'bursts' && values.shape !== 'back-to-back') throw new Error('--shape is bursts or back-to-back');
const report = await runLoad(Number(values.seconds), Number(values.concurrency), values.shape as LoadShape);
for (const r of report) console.log(JSON.stringify(r));
if (report.some((r) => r.lost || r.duplicated || r.errors)) process.exitCode = 1;
