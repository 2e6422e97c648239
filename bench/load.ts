import { parseArgs } from 'node:util';
import { runLoad } from './suites/bursts.js';

/**
 * Load test: `npm run load [-- --seconds 10 --concurrency 200]`. Clients send `/log note` commands for a fixed
 * time, as signed Slack slash commands to POST /slack/events and as web chat messages, to a server in its own
 * process; prints per surface the ack p50/p99, how many were answered, queued or refused as busy, and checks
 * every acknowledged command was stored exactly once.
 */
const { values } = parseArgs({ options: { seconds: { type: 'string', default: '15' }, concurrency: { type: 'string', default: '32' } } });
const report = await runLoad(Number(values.seconds), Number(values.concurrency));
for (const r of report) console.log(JSON.stringify(r));
if (report.some((r) => r.lost || r.duplicated || r.errors)) process.exitCode = 1;
