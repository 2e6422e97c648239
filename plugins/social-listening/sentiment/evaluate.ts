/** Prints the lexicon scorer's accuracy on the labelled set: `npx tsx plugins/social-listening/sentiment/evaluate.ts`. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { accuracy, type Labelled } from './score.js';

export const EVAL_SET = fileURLToPath(new URL('../../../test/fixtures/social-listening/sentiment-eval.json', import.meta.url));

export function loadEvalSet(): (Labelled & { lang: string })[] {
  return JSON.parse(readFileSync(EVAL_SET, 'utf8'));
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const set = loadEvalSet();
  const all = accuracy(set);
  for (const lang of ['en', 'zh']) {
    const part = set.filter((s) => s.lang === lang);
    console.log(`${lang}: ${(accuracy(part).accuracy * 100).toFixed(1)}% of ${part.length}`);
  }
  console.log(`accuracy: ${(all.accuracy * 100).toFixed(1)}% of ${set.length} sentences`);
  for (const m of all.misses) console.log(`  miss: "${m.text}" expected ${m.label}, got ${m.got} (${m.score})`);
}
