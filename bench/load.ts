import { createHmac } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import pino from 'pino';
import { loadConfig } from '../config/index.js';
import { adaptersFor } from '../adapters/main.js';
import { startApp } from '../core/index.js';
import { percentile } from './stats.js';

/**
 * Load test: `npm run load [-- --seconds 15 --concurrency 32]`. Clients send `/log note` commands for a fixed
 * time, as signed Slack slash commands to POST /slack/events and as web chat messages; prints p50/p99 ack
 * latency and errors, and checks every acknowledged command was stored exactly once.
 */
const { values } = parseArgs({ options: { seconds: { type: 'string', default: '15' }, concurrency: { type: 'string', default: '32' } } });
const seconds = Number(values.seconds);
const concurrency = Number(values.concurrency);
const SECRET = 'load-test-signing-secret';

// A stand-in for slack.com: every Web API call and response_url post answers ok.
const fake = createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ ok: true, channel: { id: 'D1' }, user: { id: 'U1', name: 'load', profile: {} } }));
  });
});
await new Promise<void>((ok) => fake.listen(0, '127.0.0.1', ok));
const fakeUrl = `http://127.0.0.1:${(fake.address() as { port: number }).port}`;

// The per-identity rate limit would (rightly) refuse most of this traffic; the load test measures the pipeline.
const config = loadConfig({
  CRM_DATA_DIR: mkdtempSync(join(tmpdir(), 'crm-load-')), PORT: '0', CRM_CONFIG: 'load.json',
  SLACK_SIGNING_SECRET: SECRET, SLACK_BOT_TOKEN: 'xoxb-load', SLACK_API_URL: `${fakeUrl}/api/`,
}, () => JSON.stringify({ rateLimit: { commandsPerMinute: 1_000_000 }, plugins: {} }));
const app = await startApp({ config, role: 'all', adapters: await adaptersFor(config), pluginsDir: mkdtempSync(join(tmpdir(), 'crm-load-plugins-')), logger: pino({ level: 'silent' }) });
const url = `http://127.0.0.1:${app.port}`;
await fetch(`${url}/web/api/message`, { method: 'POST', body: JSON.stringify({ user: 'loader', text: '/customer add LoadCo' }) });

type Target = { name: string; send(client: number, marker: string): Promise<boolean> };
let trigger = 0;
const targets: Target[] = [
  {
    name: 'POST /slack/events (signed slash commands)',
    async send(client, marker) {
      const body = new URLSearchParams({
        token: 'x', team_id: 'T0LOAD', team_domain: 'load', channel_id: 'C0LOAD', channel_name: 'load', user_id: `U0${client}`, user_name: `rep${client}`,
        command: '/log', text: `note LoadCo ${marker}`, api_app_id: 'A0LOAD', response_url: `${fakeUrl}/respond/${marker}`, trigger_id: `${Date.now()}.${++trigger}.load`,
      }).toString();
      const ts = String(Math.floor(Date.now() / 1000));
      const sig = `v0=${createHmac('sha256', SECRET).update(`v0:${ts}:${body}`).digest('hex')}`;
      const res = await fetch(`${url}/slack/events`, {
        method: 'POST', body, headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-slack-request-timestamp': ts, 'x-slack-signature': sig },
      });
      await res.arrayBuffer();
      return res.status === 200;
    },
  },
  {
    name: 'POST /web/api/message',
    async send(client, marker) {
      const res = await fetch(`${url}/web/api/message`, { method: 'POST', body: JSON.stringify({ user: `rep${client}`, text: `/log note LoadCo ${marker}` }) });
      const body = (await res.json()) as { replies?: { text: string }[] };
      return res.status === 200 && Boolean(body.replies?.[0]?.text.startsWith('Logged a note'));
    },
  },
];

const storedTexts = async () => (await app.engine.store.tenant('default').interactions.listForCustomer(1, 10_000_000)).map((i) => i.text);
const report = [];
let seq = 0;
for (const target of targets) {
  const latencies: number[] = [];
  const acked: string[] = [];
  let errors = 0;
  const until = Date.now() + seconds * 1000;
  await Promise.all(Array.from({ length: concurrency }, async (_, c) => {
    while (Date.now() < until) {
      const marker = `load-${seq++}`;
      const t = performance.now();
      try {
        if (await target.send(c, marker)) acked.push(marker);
        else errors++;
      } catch {
        errors++;
      }
      latencies.push(performance.now() - t);
    }
  }));
  // Slack commands are processed after the ack: wait until the store stops growing.
  let last = -1;
  for (let n = (await storedTexts()).length; n !== last; n = (await storedTexts()).length) {
    last = n;
    await new Promise((r) => setTimeout(r, 1000));
  }
  latencies.sort((a, b) => a - b);
  const counts = new Map<string, number>();
  for (const text of await storedTexts()) counts.set(text, (counts.get(text) ?? 0) + 1);
  report.push({
    target: target.name, seconds, concurrency, requests: latencies.length, ratePerSecond: Math.round(latencies.length / seconds),
    p50Ms: Math.round(percentile(latencies, 50)), p99Ms: Math.round(percentile(latencies, 99)), errors, acknowledged: acked.length,
    lost: acked.filter((m) => !counts.has(m)).length, duplicated: acked.filter((m) => (counts.get(m) ?? 0) > 1).length,
  });
}
await app.stop();
fake.close();
for (const r of report) console.log(JSON.stringify(r));
if (report.some((r) => r.lost || r.duplicated || r.errors)) process.exitCode = 1;
