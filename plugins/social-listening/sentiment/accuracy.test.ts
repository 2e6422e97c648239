import { describe, expect, it } from 'vitest';
import { CLASSES, evaluate, LANGS, loadSplit } from './evaluate.js';
import { sentiment } from './score.js';

/**
 * The published accuracy. The held-out half was written before the scorer was tuned and is never used to
 * tune it; if a change drops it below these floors, fix the rules on the development half, not here.
 */
describe('sentiment accuracy on the labelled posts', () => {
  const dev = loadSplit('dev');
  const heldout = loadSplit('heldout');

  it('has at least 400 posts in two disjoint halves covering every language, class and shape', () => {
    expect(dev.length + heldout.length).toBeGreaterThanOrEqual(400);
    const devTexts = new Set(dev.map((p) => p.text));
    expect(heldout.filter((p) => devTexts.has(p.text))).toEqual([]);
    for (const half of [dev, heldout]) {
      for (const l of LANGS) for (const c of CLASSES) expect(half.some((p) => p.lang === l && p.label === c), `${l} ${c}`).toBe(true);
      for (const t of ['negation', 'contrast', 'emoji', 'sarcasm-marker', 'polite-complaint', 'question']) expect(half.some((p) => p.tags.includes(t)), t).toBe(true);
    }
  });

  it('labels at least 85% of the held-out half right, and at least 80% in every language', () => {
    const r = evaluate(heldout, (t) => sentiment(t).label);
    expect(r.accuracy).toBeGreaterThanOrEqual(0.85);
    for (const l of LANGS) expect(r.byLang[l]!.accuracy, l).toBeGreaterThanOrEqual(0.8);
  });

  it('counts every post once in the confusion matrix', () => {
    const r = evaluate(dev, (t) => sentiment(t).label);
    const cells = CLASSES.flatMap((e) => CLASSES.map((g) => r.confusion[e][g]));
    expect(cells.reduce((a, b) => a + b, 0)).toBe(dev.length);
    expect(CLASSES.reduce((a, c) => a + r.confusion[c][c], 0) / dev.length).toBe(r.accuracy);
  });
});
