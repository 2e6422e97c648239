import { createRequire } from 'node:module';
import wink from 'wink-sentiment';
import type { BenchOptions, BenchRow } from '../types.js';
import type { Sentiment } from '../../core/index.js';
import {
  baselineSentiment as previous, CLASSES, evaluate, LANGS, loadSplit, reportLines, sentiment, SPLITS, THRESHOLD, type Post, type Report,
} from '../../plugins/social-listening/index.js';

/**
 * `npm run bench -- --only sentiment`: accuracy of the listening scorer on the labelled posts (development
 * and held-out halves; overall, per language, per class, confusion matrix) and its messages/s, each
 * against the scorer it replaced; plus the two English packages alone, the measurement that chose wink.
 */

// vader-sentiment is a dev dependency, only for this comparison.
const vader = createRequire(import.meta.url)('vader-sentiment') as { SentimentIntensityAnalyzer: { polarity_scores(t: string): { compound: number } } };

const band = (x: number, t: number): Sentiment => (x >= t ? 'positive' : x <= -t ? 'negative' : 'neutral');
const labellers = {
  current: (t: string) => sentiment(t).label,
  previous: (t: string) => previous(t).label,
  // Each package's own documented neutral band: VADER's compound ±0.05, wink's normalized score sign.
  vader: (t: string) => band(vader.SentimentIntensityAnalyzer.polarity_scores(t).compound, 0.05),
  wink: (t: string) => band(wink(t).normalizedScore, Number.EPSILON),
};

const PREVIOUS = 'previous lexicon scorer';
const pct = (x: number) => Math.round(x * 1000) / 10;

function accuracyRows(split: string, cur: Report, prev: Report): BenchRow[] {
  const row = (what: string, a: number, b: number): BenchRow => ({
    name: `sentiment accuracy, ${split}, ${what}`, engine: 'wink + zh rules', figure: pct(a), baseline: pct(b), unit: '%', baselineName: PREVIOUS, ratio: b ? Math.round((a / b) * 100) / 100 : 0,
  });
  const rows = [row(`overall (${cur.total} posts)`, cur.accuracy, prev.accuracy)];
  for (const l of LANGS) if (cur.byLang[l]) rows.push(row(`${l} (${cur.byLang[l].n})`, cur.byLang[l].accuracy, prev.byLang[l]!.accuracy));
  for (const c of CLASSES) if (cur.byClass[c]) rows.push(row(`class ${c} (${cur.byClass[c].n})`, cur.byClass[c].accuracy, prev.byClass[c]!.accuracy));
  for (const e of CLASSES) {
    for (const g of CLASSES) {
      const a = cur.confusion[e][g];
      const b = prev.confusion[e][g];
      // Hits: more is better; misses: fewer is better. Smoothed by one so empty cells still give a ratio.
      const ratio = e === g ? (a + 1) / (b + 1) : (b + 1) / (a + 1);
      rows.push({ name: `sentiment confusion, ${split}, expected ${e} got ${g}`, engine: 'wink + zh rules', figure: a, baseline: b, unit: 'posts', baselineName: `${PREVIOUS} (ratio smoothed by +1)`, ratio: Math.round(ratio * 100) / 100 });
    }
  }
  return rows;
}

/** Alternates 200-message slices of both scorers until the budget is spent, so background load hits both alike. */
function throughput(texts: string[], budgetMs: number): [number, number] {
  const fns = [(t: string) => sentiment(t).score, (t: string) => previous(t).score];
  const spent = [0, 0];
  let done = 0;
  let sink = 0;
  while (spent[0]! + spent[1]! < budgetMs) {
    const from = done % texts.length;
    const end = Math.min(texts.length, from + 200);
    fns.forEach((fn, side) => {
      const t = performance.now();
      for (let k = from; k < end; k++) sink += fn(texts[k]!);
      spent[side]! += performance.now() - t;
    });
    done += end - from;
  }
  if (Number.isNaN(sink)) throw new Error('a scorer returned NaN');
  return [done / (spent[0]! / 1000), done / (spent[1]! / 1000)];
}

export async function bench(opts: BenchOptions): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  const posts: Post[] = [];
  for (const split of SPLITS) {
    const set = loadSplit(split);
    posts.push(...set);
    const cur = evaluate(set, labellers.current);
    const prev = evaluate(set, labellers.previous);
    for (const line of [...reportLines(`${split}, current scorer (label threshold ±${THRESHOLD})`, cur), ...reportLines(`${split}, ${PREVIOUS}`, prev)]) opts.log(line);
    rows.push(...accuracyRows(split, cur, prev));
  }
  for (const split of SPLITS) {
    const en = loadSplit(split).filter((p) => p.lang === 'en');
    const prev = evaluate(en, labellers.previous).accuracy;
    for (const pkg of ['wink', 'vader'] as const) {
      const a = evaluate(en, labellers[pkg]).accuracy;
      opts.log(`${split}, English posts, ${pkg}-sentiment alone: ${pct(a)}% (${PREVIOUS}: ${pct(prev)}%)`);
      rows.push({ name: `sentiment accuracy, ${split}, English (${en.length}), package alone`, engine: `${pkg}-sentiment`, figure: pct(a), baseline: pct(prev), unit: '%', baselineName: PREVIOUS, ratio: Math.round((a / prev) * 100) / 100 });
    }
  }
  const texts = posts.map((p) => p.text);
  throughput(texts, 500); // warm-up: JIT, OpenCC dictionaries
  const [cur, prev] = throughput(texts, Math.max(2000, 10_000 * opts.scale));
  opts.log(`throughput over the ${texts.length} labelled posts: current ${Math.round(cur)} msgs/s, ${PREVIOUS} ${Math.round(prev)} msgs/s`);
  rows.push({ name: `sentiment scoring, ${texts.length} labelled posts`, engine: 'wink + zh rules', figure: Math.round(cur), baseline: Math.round(prev), unit: 'msgs/s', baselineName: PREVIOUS, ratio: Math.round((cur / prev) * 100) / 100 });
  return rows;
}
