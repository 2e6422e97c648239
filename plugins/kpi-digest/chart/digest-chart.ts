import { Raster, pngDataUrl, type Rgb } from './png.js';

/** The digest picture: NPS trend (line), revenue won trend (bars) and the open pipeline by stage. */
export interface ChartInput {
  title: string;
  /** One short label per period, oldest first (e.g. "03-09"). */
  labels: string[];
  nps: (number | null)[];
  revenueMinor: number[];
  stages: { stage: string; totalMinor: number }[];
  /** Formats a minor-unit amount for an axis label. */
  money(minor: number): string;
}

export const WIDTH = 720;
export const HEIGHT = 380;
export const INK: Rgb = [40, 40, 40];
export const GRID: Rgb = [220, 220, 220];
export const NPS_LINE: Rgb = [33, 102, 172];
export const REVENUE_BAR: Rgb = [77, 146, 33];
export const STAGE_BAR: Rgb = [230, 126, 34];

/** Plot areas: x, y (top), width, height. */
export const NPS_AREA = { x: 50, y: 44, w: 400, h: 120 };
export const REVENUE_AREA = { x: 50, y: 210, w: 400, h: 130 };
export const STAGE_AREA = { x: 490, y: 44, w: 210, h: 296 };

/** Horizontal position of period i's centre in a plot of `n` periods. */
export function slotCentre(area: { x: number; w: number }, i: number, n: number): number {
  return area.x + ((i + 0.5) * area.w) / n;
}

export function drawDigestChart(c: ChartInput): Raster {
  const r = new Raster(WIDTH, HEIGHT);
  r.text(10, 10, c.title.slice(0, 100), INK, 2);
  const n = c.labels.length;

  // NPS from -100 to +100, zero line in the middle.
  const a = NPS_AREA;
  r.text(a.x, a.y - 12, 'NPS', NPS_LINE);
  const yOf = (v: number) => a.y + a.h - ((v + 100) / 200) * a.h;
  for (const v of [-100, 0, 100]) {
    r.line(a.x, yOf(v), a.x + a.w, yOf(v), GRID);
    r.text(a.x - 6 - Raster.textWidth(String(v)), yOf(v) - 3, String(v), INK);
  }
  let prev: [number, number] | null = null;
  c.nps.forEach((v, i) => {
    if (v === null) {
      prev = null;
      return;
    }
    const p: [number, number] = [slotCentre(a, i, n), yOf(v)];
    if (prev) r.line(prev[0], prev[1], p[0], p[1], NPS_LINE, 2);
    r.fillRect(p[0] - 2, p[1] - 2, 5, 5, NPS_LINE);
    prev = p;
  });

  // Revenue won per period, bars from zero up to the largest period.
  const b = REVENUE_AREA;
  r.text(b.x, b.y - 12, 'REVENUE WON', REVENUE_BAR);
  const max = Math.max(...c.revenueMinor, 0);
  r.line(b.x, b.y + b.h, b.x + b.w, b.y + b.h, INK);
  if (max > 0) r.text(b.x + b.w - Raster.textWidth(c.money(max)), b.y - 12, c.money(max), INK);
  const slot = b.w / Math.max(n, 1);
  c.revenueMinor.forEach((v, i) => {
    const h = max > 0 ? Math.round((v / max) * b.h) : 0;
    r.fillRect(b.x + i * slot + slot * 0.2, b.y + b.h - h, slot * 0.6, h, REVENUE_BAR);
  });
  c.labels.forEach((label, i) => {
    if (i % 2 === n % 2) return;
    r.text(slotCentre(b, i, n) - Raster.textWidth(label) / 2, b.y + b.h + 6, label, INK);
  });

  // Open pipeline by stage, horizontal bars.
  const s = STAGE_AREA;
  r.text(s.x, s.y - 12, 'PIPELINE BY STAGE', STAGE_BAR);
  const top = Math.max(...c.stages.map((x) => x.totalMinor), 0);
  const row = Math.min(40, s.h / Math.max(c.stages.length, 1));
  c.stages.forEach((x, i) => {
    const y = s.y + i * row;
    r.text(s.x, y, `${x.stage} ${c.money(x.totalMinor)}`.slice(0, 34), INK);
    const w = top > 0 ? Math.round((x.totalMinor / top) * s.w) : 0;
    r.fillRect(s.x, y + 10, w, Math.max(4, row - 18), STAGE_BAR);
  });
  return r;
}

export function digestChartUrl(c: ChartInput): string {
  return pngDataUrl(drawDigestChart(c));
}
