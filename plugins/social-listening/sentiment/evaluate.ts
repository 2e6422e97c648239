import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import type { Sentiment } from '../../../core/plugin-api.js';

/** The labelled posts: a development half the scorer was tuned on, and a held-out half it never was. */
export const SPLITS = ['dev', 'heldout'] as const;
export type Split = (typeof SPLITS)[number];
export const LANGS = ['en', 'zh-Hans', 'zh-Hant', 'mixed'] as const;
export const CLASSES = ['negative', 'neutral', 'positive'] as const satisfies readonly Sentiment[];

const Post = z.object({
  id: z.string(),
  text: z.string().min(1),
  label: z.enum(CLASSES),
  lang: z.enum(LANGS),
  tags: z.array(z.string()).min(1),
});
export type Post = z.infer<typeof Post>;
const EvalFile = z.object({ about: z.string().min(1), split: z.enum(SPLITS), posts: z.array(Post).min(1) });

export function loadSplit(split: Split): Post[] {
  const file = fileURLToPath(new URL(`../../../test/fixtures/social-listening/sentiment-${split}.json`, import.meta.url));
  const parsed = EvalFile.parse(JSON.parse(readFileSync(file, 'utf8')));
  if (parsed.split !== split) throw new Error(`${file} says it is the ${parsed.split} split`);
  return parsed.posts;
}

/** confusion[expected][got] = posts. */
export type Confusion = Record<Sentiment, Record<Sentiment, number>>;

export interface Report {
  total: number;
  accuracy: number;
  byLang: Record<string, { n: number; accuracy: number }>;
  /** Recall per expected class. */
  byClass: Record<string, { n: number; accuracy: number }>;
  byTag: Record<string, { n: number; accuracy: number }>;
  confusion: Confusion;
}

/** Accuracy overall, per language, per expected class and per tag, and the confusion matrix, of one labeller on a set. */
export function evaluate(posts: readonly Post[], label: (text: string) => Sentiment): Report {
  const confusion = Object.fromEntries(CLASSES.map((c) => [c, Object.fromEntries(CLASSES.map((g) => [g, 0]))])) as Confusion;
  const right = new Map<object, Record<string, number>>();
  const tally = (m: Record<string, { n: number; accuracy: number }>, key: string, ok: boolean) => {
    const e = (m[key] ??= { n: 0, accuracy: 0 });
    const hits = right.get(m) ?? right.set(m, {}).get(m)!;
    hits[key] = (hits[key] ?? 0) + (ok ? 1 : 0);
    e.n++;
    e.accuracy = hits[key]! / e.n;
  };
  const r: Report = { total: posts.length, accuracy: 0, byLang: {}, byClass: {}, byTag: {}, confusion };
  let hits = 0;
  for (const p of posts) {
    const got = label(p.text);
    const ok = got === p.label;
    if (ok) hits++;
    confusion[p.label][got]++;
    tally(r.byLang, p.lang, ok);
    tally(r.byClass, p.label, ok);
    for (const t of p.tags) tally(r.byTag, t, ok);
  }
  r.accuracy = posts.length ? hits / posts.length : 0;
  return r;
}

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

/** The report as text lines: accuracy table and confusion matrix. */
export function reportLines(name: string, r: Report): string[] {
  const part = (m: Record<string, { n: number; accuracy: number }>) => Object.entries(m).map(([k, v]) => `${k} ${pct(v.accuracy)} (${v.n})`).join(', ');
  return [
    `${name}: ${pct(r.accuracy)} of ${r.total}`,
    `  per language: ${part(r.byLang)}`,
    `  per class:    ${part(r.byClass)}`,
    `  per tag:      ${part(r.byTag)}`,
    `  confusion (rows expected, columns got): ${CLASSES.map((c) => c.padStart(8)).join(' ')}`,
    ...CLASSES.map((e) => `  ${e.padStart(39)} ${CLASSES.map((g) => String(r.confusion[e][g]).padStart(8)).join(' ')}`),
  ];
}
