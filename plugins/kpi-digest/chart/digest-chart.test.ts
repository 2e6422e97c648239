import { describe, expect, it } from 'vitest';
import { HEIGHT, TITLE_AREA, WIDTH, digestChartUrl, drawDigestChart, type ChartInput } from './digest-chart.js';

/** Width and height straight from the PNG's IHDR chunk (bytes 16-23), independent of the renderer. */
function pngSize(png: Buffer): [number, number] {
  expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  expect(png.toString('ascii', 12, 16)).toBe('IHDR');
  return [png.readUInt32BE(16), png.readUInt32BE(20)];
}

/** Pixels in an area that differ from the white background. */
function inked(r: { width: number; pixels: Buffer }, area: { x: number; y: number; w: number; h: number }): number {
  let n = 0;
  for (let y = area.y; y < area.y + area.h; y++) {
    for (let x = area.x; x < area.x + area.w; x++) {
      const i = (y * r.width + x) * 4;
      if (r.pixels[i]! < 200 || r.pixels[i + 1]! < 200 || r.pixels[i + 2]! < 200) n++;
    }
  }
  return n;
}

const base: Omit<ChartInput, 'locale' | 'title'> = {
  labels: Array.from({ length: 12 }, (_, i) => `03-${String(i + 1).padStart(2, '0')}`),
  nps: [null, 10, 20, 35, 30, null, 40, 45, 50, 42, 38, 44],
  npsN: [0, 4, 12, 31, 40, 0, 35, 60, 80, 29, 50, 120],
  npsLow: [null, -60, -20, 10, 8, null, 20, 28, 35, 12, 20, 33],
  npsHigh: [null, 70, 55, 58, 51, null, 58, 60, 63, 66, 55, 54],
  minAnswers: 30,
  revenueMinor: [0, 1_200_00, 0, 5_000_00, 2_500_00, 0, 7_000_00, 300_00, 0, 9_900_00, 4_000_00, 12_000_00],
  stages: [
    { stage: 'lead', totalMinor: 40_000_00, weightedMinor: 4_000_00 },
    { stage: 'proposal', totalMinor: 25_000_00, weightedMinor: 12_500_00 },
    { stage: 'negotiation', totalMinor: 8_000_00, weightedMinor: 6_000_00 },
  ],
  money: (m) => new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD', maximumFractionDigits: 0 }).format(m / 100),
};
const english: ChartInput = { ...base, locale: 'en', title: 'KPI week to 2026-03-12' };
const chinese: ChartInput = {
  ...base, locale: 'zh', title: 'KPI 摘要（截至 2026-03-12）',
  stages: [{ stage: '线索', totalMinor: 40_000_00, weightedMinor: 4_000_00 }, { stage: '方案', totalMinor: 25_000_00, weightedMinor: 12_500_00 }],
  money: (m) => new Intl.NumberFormat('zh-CN', { style: 'currency', currency: 'CNY', maximumFractionDigits: 0 }).format(m / 100),
};

describe('digest chart (ECharts server-side SVG, resvg PNG, bundled Noto Sans SC)', () => {
  it.each([['English', english], ['Chinese', chinese]] as const)('renders the %s chart at its size with text in the title and axis areas', (_, input) => {
    const r = drawDigestChart(input);
    expect([r.width, r.height]).toEqual([WIDTH, HEIGHT]);
    expect(pngSize(r.png)).toEqual([WIDTH, HEIGHT]);
    // The title band holds drawn glyphs (a CJK title would be blank if the font lacked Chinese).
    expect(inked(r, TITLE_AREA)).toBeGreaterThan(200);
    // The category axis labels under the NPS plot and the stage names left of the pipeline bars.
    expect(inked(r, { x: 60, y: 244, w: 520, h: 16 })).toBeGreaterThan(50);
    expect(inked(r, { x: 600, y: 70, w: 115, h: 300 })).toBeGreaterThan(50);
  });

  it('draws a Chinese title with the bundled font: the glyphs differ from the English ones', () => {
    const [en, zh] = [drawDigestChart(english), drawDigestChart({ ...english, locale: 'zh', title: '净推荐值与赢单收入' })];
    expect(inked(zh, TITLE_AREA)).toBeGreaterThan(200);
    expect(en.pixels.subarray(0, WIDTH * 4 * 34).equals(zh.pixels.subarray(0, WIDTH * 4 * 34))).toBe(false);
  });

  it('is deterministic: the same input gives the same PNG bytes', () => {
    expect(drawDigestChart(chinese).png.equals(drawDigestChart(chinese).png)).toBe(true);
    expect(digestChartUrl(english)).toBe(digestChartUrl(english));
  });

  it('renders when every series is empty', () => {
    const empty = { ...english, nps: Array(12).fill(null), npsN: Array(12).fill(0), npsLow: Array(12).fill(null), npsHigh: Array(12).fill(null), revenueMinor: Array(12).fill(0), stages: [] };
    expect(pngSize(drawDigestChart(empty).png)).toEqual([WIDTH, HEIGHT]);
  });
});
