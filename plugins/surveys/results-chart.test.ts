import { describe, expect, it } from 'vitest';
import { renderChart } from '../../core/plugin-api.js';
import { scoresChartOption } from './results-chart.js';
import type { Campaign } from './store.js';

const campaign = { id: 'S-2', kind: 'nps' } as Campaign;
const inked = (r: { width: number; pixels: Buffer }, y0: number, y1: number) => {
  let n = 0;
  for (let y = y0; y < y1; y++) for (let x = 0; x < r.width; x++) if (r.pixels[(y * r.width + x) * 4]! < 200) n++;
  return n;
};

describe('survey results chart', () => {
  it.each(['en', 'zh'] as const)('draws the %s title and one bar per score, deterministically', (locale) => {
    const scores = [10, 10, 9, 7, 3, 0, 8, 9, 10, 6];
    const option = scoresChartOption(campaign, scores, locale, 30);
    const series = option.series as { data: number[] }[];
    expect(series[0]!.data).toEqual([1, 0, 0, 1, 0, 0, 1, 1, 1, 2, 3]);
    expect((option.title as { text: string }).text).toContain('(n = 10');
    const r = renderChart(option, 720, 400);
    expect([r.width, r.height]).toEqual([720, 400]);
    expect(inked(r, 6, 30)).toBeGreaterThan(100);
    expect(r.png.equals(renderChart(option, 720, 400).png)).toBe(true);
  });
});
