import { describe, expect, it } from 'vitest';
import { loadEvalSet } from './evaluate.js';
import { accuracy, sentiment } from './score.js';

describe('sentiment', () => {
  it.each([
    ['good', 'positive'],
    ['not good', 'negative'],
    ['not bad', 'positive'],
    ['very bad', 'negative'],
    ['好', 'positive'],
    ['不好', 'negative'],
    ['不错', 'positive'],
    ['没有问题', 'positive'],
    ['有问题', 'negative'],
    ['太贵了', 'negative'],
    ['the sky is blue', 'neutral'],
    ['今天星期三', 'neutral'],
  ] as const)('%s -> %s', (text, label) => {
    expect(sentiment(text).label).toBe(label);
  });

  it('weighs intensifiers: "very bad" is more negative than "bad", 非常好 more positive than 好', () => {
    expect(sentiment('very bad').score).toBeLessThan(sentiment('bad').score);
    expect(sentiment('非常好').score).toBeGreaterThan(sentiment('好').score);
    expect(sentiment('really great').score).toBeGreaterThan(sentiment('great').score);
  });

  it('lets the clause after "but" / 但是 decide', () => {
    expect(sentiment('nice design but terribly slow and buggy').label).toBe('negative');
    expect(sentiment('有点贵，但是质量很好').label).toBe('positive');
  });

  it('keeps the score within (-1, 1)', () => {
    const s = sentiment('terrible awful horrible worst garbage scam '.repeat(20)).score;
    expect(s).toBeGreaterThan(-1);
    expect(s).toBeLessThan(-0.9);
  });

  it('reaches at least 75% accuracy on the labelled English and Chinese set', () => {
    const set = loadEvalSet();
    expect(set.length).toBeGreaterThanOrEqual(60);
    expect(new Set(set.map((s) => s.lang))).toEqual(new Set(['en', 'zh']));
    expect(accuracy(set).accuracy).toBeGreaterThanOrEqual(0.75);
  });
});
