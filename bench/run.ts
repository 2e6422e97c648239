import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { bench as core } from './suites/core.js';
import { bench as kpiDigest } from './suites/kpi-digest.js';
import { bench as loyalty } from './suites/loyalty.js';
import { bench as sentiment } from './suites/sentiment.js';
import { bench as socialListening } from './suites/social-listening.js';
import { bench as surveys } from './suites/surveys.js';
import { bench as rateLimit } from './suites/rate-limit.js';
import { bench as bursts } from './suites/bursts.js';
import type { BenchOptions, BenchRow } from './types.js';

/**
 * `npm run bench [-- --scale 0.1] [--only name]`: every benchmark of the project, one table, each figure
 * with a baseline measured in the same run, also written to bench/results.json.
 */
const { values } = parseArgs({ options: { scale: { type: 'string', default: '1' }, only: { type: 'string' } } });
const scale = Number(values.scale);
if (!(scale > 0)) throw new Error('--scale must be a positive number');
const opts: BenchOptions = { scale, log: (line) => process.stderr.write(`${line}\n`) };

/** One suite an area, each in bench/suites/<area>.ts; a new suite is one line here. */
const suites: { name: string; run: (o: BenchOptions) => Promise<BenchRow[]> }[] = [
  { name: 'core', run: core },
  { name: 'kpi-digest', run: kpiDigest },
  { name: 'loyalty', run: loyalty },
  { name: 'social-listening', run: socialListening },
  { name: 'surveys', run: surveys },
  { name: 'sentiment', run: sentiment },
  { name: 'rate-limit', run: rateLimit },
  { name: 'bursts', run: bursts },
];

const rows: (BenchRow & { suite: string })[] = [];
for (const s of suites) {
  if (values.only && s.name !== values.only) continue;
  opts.log(`== ${s.name}`);
  for (const r of await s.run(opts)) rows.push({ suite: s.name, ...r });
}

const fmt = (x: number) => (Math.abs(x) >= 100 ? x.toFixed(0) : Math.abs(x) >= 1 ? x.toFixed(2) : x.toPrecision(3));
const table = [
  ['suite', 'figure', 'engine', 'value', 'baseline', 'ratio', 'baseline is', 'target'],
  ...rows.map((r) => [r.suite, r.name, r.engine, `${fmt(r.figure)} ${r.unit}`, `${fmt(r.baseline)} ${r.unit}`, `${fmt(r.ratio)}x`, r.baselineName,
    r.target ? `${r.target.pass ? 'PASS' : 'FAIL'} ${r.target.text}` : '-']),
];
const widths = table[0]!.map((_, c) => Math.max(...table.map((row) => row[c]!.length)));
for (const row of table) console.log(row.map((cell, c) => cell.padEnd(widths[c]!)).join(' | '));
const resultsFile = new URL('./results.json', import.meta.url);
// With --only, the other suites' rows of the last full run stay in the file.
const kept = values.only && existsSync(resultsFile) ? (JSON.parse(readFileSync(resultsFile, 'utf8')).rows as typeof rows).filter((r) => r.suite !== values.only) : [];
writeFileSync(resultsFile, `${JSON.stringify({ scale, node: process.version, at: new Date().toISOString(), rows: [...kept, ...rows] }, null, 2)}\n`);
