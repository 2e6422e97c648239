import { createHmac } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer as createNetServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { Agent, request } from 'undici';
import { loadConfig } from '../../config/index.js';
import { processingThread } from '../../adapters/compose.js';
import { openStore, startApp, type ChatEvent, type Interaction } from '../../core/index.js';
import type { BenchOptions, BenchRow } from '../types.js';
import { percentile, timed } from '../stats.js';

const tmp = (what: string) => mkdtempSync(join(tmpdir(), `crm-${what}-`));
const SECRET = 'load-test-signing-secret';
const MAIN = fileURLToPath(new URL('../../adapters/main.ts', import.meta.url));
const BOLT_ACK_ONLY = fileURLToPath(new URL('../baselines/bolt-ack-only.mjs', import.meta.url));
const QUEUED = /Queued, answering in a moment/;
const BUSY = /Too many requests at once/;

/** One surface's figures: ack latency, what was answered, queued, refused as busy, and whether every acknowledged command was stored once. */
export interface SurfaceReport {
  target: string;
  shape: LoadShape;
  seconds: number;
  concurrency: number;
  requests: number;
  ratePerSecond: number;
  p50Ms: number;
  p99Ms: number;
  /** GET /healthz p99 measured by one more client during the same run. */
  healthP99Ms: number;
  /**
   * The server's CPU per measured request (µs; null where `/proc` is not there): its HTTP thread, and all its other
   * threads together (the processing thread, V8's compiler and GC helpers). A burst's p99 is about the HTTP thread's
   * figure times the burst; CPU time is also steadier than latency on a shared machine.
   */
  httpCpuUs: number | null;
  otherCpuUs: number | null;
  answered: number;
  queued: number;
  busy: number;
  errors: number;
  lost: number;
  duplicated: number;
}

/**
 * How the clients pace their requests. `back-to-back`: each sends its next as soon as the last is answered, a
 * saturation test whose latency is, by Little's law, clients / throughput whatever the server does with it.
 * `bursts`: every client sends at the same instant, once a second, as when a channel of people all answer at once.
 */
export type LoadShape = 'back-to-back' | 'bursts';

const BURST_EVERY_MS = 1000;

/**
 * Unmeasured load before the measured seconds, for the empty server and ours alike: a server that has just started
 * runs its code unoptimised (V8 compiles the hot paths over the first seconds of load, on the same 2 cores), and a
 * server in use has long been warm. The first request of each client also opens its keep-alive connection.
 */
export const WARMUP_MS = 3000;

/**
 * Runs `send(client, measured)` for every client for `WARMUP_MS` and then `seconds`, paced by `shape`; only the
 * requests sent after the warm-up are `measured`. 200 connections opened at the same instant would otherwise be most of
 * a burst test's p99, and the first seconds measure V8's compiler more than the server.
 */
async function drive(concurrency: number, seconds: number, shape: LoadShape, send: (client: number, measured: boolean) => Promise<void>, onMeasuring?: () => void): Promise<void> {
  await Promise.all(Array.from({ length: concurrency }, (_, c) => send(c, false)));
  const start = Date.now();
  const measuredFrom = start + WARMUP_MS;
  const until = measuredFrom + seconds * 1000;
  if (onMeasuring) setTimeout(onMeasuring, WARMUP_MS);
  await Promise.all(Array.from({ length: concurrency }, async (_, c) => {
    for (let tick = 0; ; tick++) {
      if (shape === 'bursts') {
        const at = start + tick * BURST_EVERY_MS;
        if (at >= until) return;
        await new Promise((r) => setTimeout(r, Math.max(0, at - Date.now())));
      } else if (Date.now() >= until) return;
      await send(c, Date.now() >= measuredFrom);
    }
  }));
}

/** A baseline server's figures under the load test's clients. */
export interface BaselineReport {
  p50Ms: number;
  p99Ms: number;
  ratePerSecond: number;
  httpCpuUs: number | null;
}

/**
 * The same clients against a server that does the least: `node`, Node's own HTTP server answering 200 at once (the
 * least any server on this machine can do under this generator); `bolt`, a Bolt app that verifies each signed slash
 * command and acks it (`bench/baselines/bolt-ack-only.mjs`: what any Slack app built on the SDK pays). Each in its own
 * process, measured in the same run as ours.
 */
export async function baselineLoad(server: 'node' | 'bolt', seconds: number, concurrency: number, shape: LoadShape): Promise<BaselineReport> {
  const child = server === 'node'
    ? await serveInChild(`(q, s) => { q.resume(); q.on('end', () => s.end('{}')); }`)
    : await startInChild([BOLT_ACK_ONLY], { SLACK_SIGNING_SECRET: SECRET });
  const agent = new Agent({ connections: concurrency });
  const latencies: number[] = [];
  const pid = child.child.pid!;
  let cpuFrom: Map<number, number> | null = null;
  await drive(concurrency, seconds, shape, async (c, measured) => {
    const t = performance.now();
    if (server === 'node') await (await request(`${child.url}/`, { method: 'POST', body: 'x', dispatcher: agent })).body.arrayBuffer();
    else if ((await slashCommand(child.url, agent, c, `baseline-${c}`, `${child.url}/respond`)).status !== 200) throw new Error('load test: the Bolt baseline refused a signed command');
    if (measured) latencies.push(performance.now() - t);
  }, () => (cpuFrom = threadCpuMs(pid)));
  const cpu = cpuPerRequest(pid, cpuFrom, threadCpuMs(pid), latencies.length);
  child.child.kill();
  await agent.close();
  latencies.sort((a, b) => a - b);
  return { p50Ms: Math.round(percentile(latencies, 50)), p99Ms: Math.round(percentile(latencies, 99)), ratePerSecond: Math.round(latencies.length / seconds), httpCpuUs: cpu.http };
}

/** A Node HTTP server with `handler` (source of a `(req, res) => ...`) in a process of its own. */
function serveInChild(handler: string): Promise<{ child: ChildProcess; url: string }> {
  return startInChild(['-e', `require('node:http').createServer(${handler}).listen(Number(process.env.PORT), '127.0.0.1', () => console.log('up'))`]);
}

/** Node with `args` in a process of its own, listening on a free loopback port (`PORT`) once it prints a line. */
async function startInChild(args: string[], env: Record<string, string> = {}): Promise<{ child: ChildProcess; url: string }> {
  const port = await freePort();
  const child = spawn(process.execPath, args, { env: { ...process.env, ...env, PORT: String(port) }, stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise((ok, fail) => {
    child.stdout!.once('data', ok);
    child.once('exit', (code) => fail(new Error(`load test: ${args[0]} exited (code ${code}) before it listened`)));
  });
  return { child, url: `http://127.0.0.1:${port}` };
}

/** Slack gives each command a trigger id of its own; our server keys a command's single handling on it. */
let trigger = 0;

/**
 * A `/log note` slash command as Slack sends it (form-encoded, signed with the signing secret, `v0` scheme), from
 * client `client`; `marker` makes its note findable in the store afterwards.
 */
async function slashCommand(url: string, agent: Agent, client: number, marker: string, responseUrl: string): Promise<{ status: number; text: string }> {
  const body = new URLSearchParams({
    token: 'x', team_id: 'T0LOAD', team_domain: 'load', channel_id: 'C0LOAD', channel_name: 'load', user_id: `U0${client}`, user_name: `rep${client}`,
    command: '/log', text: `note LoadCo ${marker}`, api_app_id: 'A0LOAD', response_url: responseUrl, trigger_id: `${Date.now()}.${++trigger}.load`,
  }).toString();
  const ts = String(Math.floor(Date.now() / 1000));
  const sig = `v0=${createHmac('sha256', SECRET).update(`v0:${ts}:${body}`).digest('hex')}`;
  const res = await request(`${url}/slack/events`, {
    method: 'POST', body, dispatcher: agent, headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-slack-request-timestamp': ts, 'x-slack-signature': sig },
  });
  return { status: res.statusCode, text: await res.body.text() };
}

/** CPU time (ms) each thread of process `pid` has used, by thread id (Linux `/proc`); null elsewhere. */
function threadCpuMs(pid: number): Map<number, number> | null {
  const dir = `/proc/${pid}/task`;
  if (!existsSync(dir)) return null;
  const out = new Map<number, number>();
  for (const tid of readdirSync(dir)) {
    try {
      const stat = readFileSync(`${dir}/${tid}/stat`, 'utf8');
      // After the command name in parentheses: fields 14 and 15 of stat(5), user and system time in clock ticks (100 a second).
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      out.set(Number(tid), (Number(f[11]) + Number(f[12])) * 10);
    } catch {
      // A thread that ended between the listing and the read.
    }
  }
  return out;
}

/** The server's CPU per request between two readings: its main (HTTP) thread, and its other threads summed. */
function cpuPerRequest(pid: number, before: Map<number, number> | null, after: Map<number, number> | null, requests: number): { http: number | null; other: number | null } {
  if (!before || !after || requests === 0) return { http: null, other: null };
  let http = 0;
  let other = 0;
  for (const [tid, ms] of after) {
    const used = ms - (before.get(tid) ?? 0);
    if (tid === pid) http += used;
    else other += used;
  }
  return { http: Math.round((http * 1000) / requests), other: Math.round((other * 1000) / requests) };
}

/** A free loopback port for the server process. */
function freePort(): Promise<number> {
  return new Promise((ok) => {
    const s = createNetServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => ok(port));
    });
  });
}

/**
 * `concurrency` clients send `/log note` commands for `seconds`, as signed Slack slash commands to POST
 * /slack/events and as web chat messages; each request's latency is its ack. The server runs as `npm start`
 * does, in its own process, so the clients and the stand-in for slack.com (here) do not share its event loop.
 * Afterwards every acknowledged command (answered or queued; a busy answer promised nothing) must be stored
 * exactly once.
 */
export async function runLoad(seconds: number, concurrency: number, shape: LoadShape): Promise<SurfaceReport[]> {
  // A stand-in for slack.com, in its own process so its work (a users.info call and a response_url post per
  // command) does not slow the clients' event loop and so their measurements: every call answers ok.
  const fake = await serveInChild(`(q, s) => { q.resume(); q.on('end', () => { s.writeHead(200, { 'content-type': 'application/json' }); s.end(${JSON.stringify(JSON.stringify({ ok: true, channel: { id: 'D1' }, user: { id: 'U1', name: 'load', profile: {} } }))}); }); }`);
  const fakeUrl = fake.url;
  const dataDir = tmp('load');
  const configFile = join(dataDir, 'load.json');
  // The rate limits would (rightly) refuse most of this traffic; the load test measures the pipeline.
  writeFileSync(configFile, JSON.stringify({ rateLimit: { commandsPerMinute: 1_000_000, sourcePerMinute: 100_000_000 }, plugins: {} }));
  const port = await freePort();
  const server = spawn(process.execPath, ['--import', 'tsx', MAIN], {
    env: {
      ...process.env, LOG_LEVEL: 'warn', CRM_DATA_DIR: dataDir, CRM_CONFIG: configFile, PORT: String(port), HOST: '127.0.0.1',
      SLACK_SIGNING_SECRET: SECRET, SLACK_BOT_TOKEN: 'xoxb-load', SLACK_API_URL: `${fakeUrl}/api/`,
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const exited = new Promise<number | null>((ok) => server.on('exit', (code) => ok(code)));
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    if (server.exitCode !== null || i > 600) throw new Error('load test: the server did not start');
    if (await fetch(`${url}/healthz`).then((r) => r.ok, () => false)) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  await fetch(`${url}/web/api/message`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ user: 'loader', text: '/customer add LoadCo' }) });
  // Keep-alive connections, one per client: \`fetch\` costs the load generator so much CPU that on 2 cores it,
  // not the server, set the pace (an empty Node server answered 1,340 req/s to it, 10,700 to this).
  const agent = new Agent({ connections: concurrency + 1 });
  type Answer = 'answered' | 'queued' | 'busy' | 'error';
  const targets: { name: string; send(client: number, marker: string): Promise<Answer> }[] = [
    {
      name: 'POST /slack/events (signed slash commands)',
      async send(client, marker) {
        const res = await slashCommand(url, agent, client, marker, `${fakeUrl}/respond/${marker}`);
        if (res.status !== 200) return 'error';
        return BUSY.test(res.text) ? 'busy' : QUEUED.test(res.text) ? 'queued' : 'answered';
      },
    },
    {
      name: 'POST /web/api/message',
      async send(client, marker) {
        const res = await request(`${url}/web/api/message`, { method: 'POST', dispatcher: agent, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ user: `rep${client}`, text: `/log note LoadCo ${marker}` }) });
        const body = (await res.body.json()) as { replies?: { text: string }[]; error?: string };
        if (res.statusCode === 202) return 'queued';
        if (res.statusCode === 503 && body.error?.startsWith('busy')) return 'busy';
        return res.statusCode === 200 && body.replies?.[0]?.text.startsWith('Logged a note') ? 'answered' : 'error';
      },
    },
  ];

  const runs: { report: Omit<SurfaceReport, 'lost' | 'duplicated'>; acked: string[] }[] = [];
  let seq = 0;
  for (const target of targets) {
    const latencies: number[] = [];
    const health: number[] = [];
    const acked: string[] = [];
    const tally: Record<Answer, number> = { answered: 0, queued: 0, busy: 0, error: 0 };
    let driving = true;
    let cpuFrom: Map<number, number> | null = null;
    // A monitor's pace (every 20 ms), not back to back: a prober sending thousands a second between bursts spent the CPU it measures.
    const prober = (async () => {
      while (driving) {
        const t = performance.now();
        await (await request(`${url}/healthz`, { dispatcher: agent })).body.arrayBuffer();
        health.push(performance.now() - t);
        await new Promise((r) => setTimeout(r, 20));
      }
    })();
    await drive(concurrency, seconds, shape, async (c, measured) => {
      const marker = `load-${seq++}`;
      const t = performance.now();
      const answer = await target.send(c, marker).catch((): Answer => 'error');
      // Warm-up requests count for nothing lost and for errors; the figures are the measured seconds'.
      if (measured) latencies.push(performance.now() - t);
      if (measured || answer === 'error') tally[answer]++;
      if (answer === 'answered' || answer === 'queued') acked.push(marker);
    }, () => (cpuFrom = threadCpuMs(server.pid!)));
    const cpu = cpuPerRequest(server.pid!, cpuFrom, threadCpuMs(server.pid!), latencies.length);
    driving = false;
    await prober;
    latencies.sort((a, b) => a - b);
    health.sort((a, b) => a - b);
    runs.push({
      acked,
      report: {
        target: target.name, shape, seconds, concurrency, requests: latencies.length, ratePerSecond: Math.round(latencies.length / seconds),
        p50Ms: Math.round(percentile(latencies, 50)), p99Ms: Math.round(percentile(latencies, 99)), healthP99Ms: Math.round(percentile(health, 99)),
        httpCpuUs: cpu.http, otherCpuUs: cpu.other, answered: tally.answered, queued: tally.queued, busy: tally.busy, errors: tally.error,
      },
    });
  }
  // A graceful stop handles everything queued first; then the store says what was kept.
  server.kill('SIGTERM');
  if ((await exited) !== 0) throw new Error('load test: the server did not stop cleanly');
  fake.child.kill();
  const store = await openStore({ dataDir });
  const counts = new Map<string, number>();
  for (const i of await store.tenant('default').interactions.listForCustomer(1, 10_000_000)) counts.set(i.text, (counts.get(i.text) ?? 0) + 1);
  await store.close();
  return runs.map(({ report, acked }) => ({
    ...report, lost: acked.filter((m) => !counts.has(m)).length, duplicated: acked.filter((m) => (counts.get(m) ?? 0) > 1).length,
  }));
}


/**
 * The issue's target: Slack and web command acks under 50 ms at p99 with 200 clients, in bursts (all 200 at
 * once, every second) and back to back. Beside each, under the same clients: for Slack, a Bolt app that only acks
 * (the SDK's own cost, which any Slack app pays); for the web chat, an empty Node server, whose figure the Slack rows
 * name too: the least this machine's harness allows.
 */
async function ackBench(opts: BenchOptions): Promise<BenchRow[]> {
  const seconds = Math.max(2, Math.round(10 * opts.scale));
  const rows: BenchRow[] = [];
  for (const shape of ['bursts', 'back-to-back'] as const) {
    opts.log(`bursts: load test, 200 clients ${shape}, ${seconds} s per surface`);
    const empty = await baselineLoad('node', seconds, 200, shape);
    opts.log(`bursts: empty server ${shape}: ${JSON.stringify(empty)}`);
    const bolt = await baselineLoad('bolt', seconds, 200, shape);
    opts.log(`bursts: Bolt acking only ${shape}: ${JSON.stringify(bolt)}`);
    for (const r of await runLoad(seconds, 200, shape)) {
      opts.log(`bursts: ${JSON.stringify(r)}`);
      if (r.lost || r.duplicated || r.errors) throw new Error(`load test: ${r.target}: ${r.lost} lost, ${r.duplicated} duplicated, ${r.errors} errors`);
      const slack = r.target.includes('/slack/');
      const base = slack ? bolt : empty;
      rows.push({
        name: `${r.target.split(' (')[0]} ack p99, 200 clients ${shape === 'bursts' ? 'at once every second' : 'back to back'}, after ${WARMUP_MS / 1000} s of warm-up (${r.ratePerSecond} req/s: ${r.answered} answered, ${r.queued} queued, ${r.busy} busy; /healthz p99 ${r.healthP99Ms} ms${cpuText(r.httpCpuUs, r.otherCpuUs)}${slack ? `; empty Node server ${empty.p99Ms} ms` : ''})`,
        engine: 'sqlite', figure: r.p99Ms, baseline: base.p99Ms, unit: 'ms',
        baselineName: `${slack ? 'a Bolt app that only acks' : 'an empty Node HTTP server'}, same clients (${base.ratePerSecond} req/s${cpuText(base.httpCpuUs, null)})`, ratio: base.p99Ms / Math.max(1, r.p99Ms),
        target: { text: 'p99 < 50 ms', pass: r.p99Ms < 50 },
      });
    }
  }
  return rows;
}

/** The server's CPU per request for a row's text, where `/proc` gave it. */
function cpuText(http: number | null, other: number | null): string {
  if (http === null) return '';
  return other === null ? `, ${http} µs CPU a request` : `; server CPU a request: HTTP thread ${http} µs, other threads ${other} µs`;
}

/** Messages each side of the ingest comparison handles, unmeasured, before its measured ones. */
const WARMUP_MESSAGES = 2000;

/**
 * Community messages through the whole ingress (inbox, queue, engine) vs batched raw inserts of the same rows. As
 * `npm start` and `npm run web` run: this thread admits and records, the processing thread does the work.
 */
export async function ingestBench(opts: BenchOptions): Promise<BenchRow[]> {
  const n = Math.round(20_000 * opts.scale);
  const config = loadConfig({ CRM_DATA_DIR: tmp('ingest'), PORT: '0', CRM_CONFIG: 'bench.json' }, () => JSON.stringify({ rateLimit: { commandsPerMinute: 1_000_000, sourcePerMinute: 100_000_000 }, plugins: {} }));
  const app = await startApp({
    config, role: 'web', adapters: [], pluginsDir: tmp('ingest-plugins'), logger: pino({ level: 'silent' }), processingThread: processingThread(config),
  });
  const event = (i: number, id = `e${i}`): ChatEvent => ({ platform: 'web', scope: null, actor: { identity: `web:u${i % 500}`, displayName: 'u' }, channel: 'general', eventId: id, text: `hello number ${i}` });
  // As a burst arrives: many requests in flight at once, each waiting for its own answer.
  const ingest = async (count: number, id: (i: number) => string) => {
    for (let from = 0; from < count; from += 1000) {
      const accepted = await Promise.all(Array.from({ length: Math.min(1000, count - from) }, (_, k) => app.engine.ingress.submit(event(from + k, id(from + k)))));
      const outcomes = await Promise.all(accepted.map((a) => (a.kind === 'accepted' ? a.outcome : Promise.reject(new Error('ingest bench: queue full')))));
      if (outcomes.some((o) => o.kind !== 'done')) throw new Error('ingest bench: a message was not stored');
    }
  };
  // Unmeasured, as the load test's warm-up: a process in use has long compiled its hot paths (both threads start cold here).
  await ingest(WARMUP_MESSAGES, (i) => `warm${i}`);
  const cpu = process.cpuUsage();
  const full = await timed(() => ingest(n, (i) => `e${i}`));
  // CPU per message is steadier than msg/s on a shared machine: it does not count time spent waiting for a core.
  const used = process.cpuUsage(cpu);
  opts.log(`ingest: ${Math.round((used.user + used.system) / n)} µs CPU per message, both threads (user ${Math.round(used.user / n)}, system ${Math.round(used.system / n)})`);
  const at = new Date().toISOString();
  const rawInserts = async (tenant: string, count: number) => {
    const ts = app.engine.store.tenant(tenant);
    for (let from = 0; from < count; from += 100) {
      const batch: Interaction[] = [];
      for (let i = from; i < Math.min(from + 100, count); i++) {
        batch.push({ tenant, id: i + 1, customerId: null, identity: `web:u${i % 500}`, type: 'message', channel: 'general', direction: 'in', text: `hello number ${i}`, amountMinor: null, currency: null, occurredAt: at, sourceEventId: `raw:${i}` });
      }
      await ts.bulk.import({ interactions: batch });
    }
  };
  await rawInserts('raw-warm-up', WARMUP_MESSAGES);
  const raw = await timed(() => rawInserts('raw', n));
  await app.stop();
  const perSec = (ms: number) => (n / ms) * 1000;
  const figure = perSec(full.ms);
  const ratio = figure / perSec(raw.ms);
  return [{
    name: `ingest ${n} messages through the ingress (inbox, queue, processing thread), after ${WARMUP_MESSAGES} unmeasured`, engine: 'sqlite', figure, baseline: perSec(raw.ms), unit: 'msg/s',
    baselineName: 'raw interaction inserts, 100 per transaction', ratio, target: { text: '>= 10000 msg/s and >= 0.3x', pass: figure >= 10_000 && ratio >= 0.3 },
  }];
}

export async function bench(opts: BenchOptions): Promise<BenchRow[]> {
  return [...(await ingestBench(opts)), ...(await ackBench(opts))];
}
