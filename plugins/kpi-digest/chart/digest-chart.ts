import { pngDataUrl, renderChart, type EChartsOption, type RenderedChart } from '../../../core/plugin-api.js';

/**
 * The digest picture, drawn by Apache ECharts on the server and rasterised by resvg with the bundled
 * Noto Sans SC (Latin and CJK): NPS per period with its n and 95% interval as a band (points under the
 * minimum n hollow), revenue won per period on a value axis, and the open pipeline by stage, weighted
 * and unweighted. Periods are labelled by their end date; amounts use the tenant's money format.
 */
export interface ChartInput {
  locale: 'en' | 'zh';
  title: string;
  /** One label per period, oldest first: the period's last day. */
  labels: string[];
  nps: (number | null)[];
  npsN: number[];
  npsLow: (number | null)[];
  npsHigh: (number | null)[];
  minAnswers: number;
  revenueMinor: number[];
  stages: { stage: string; totalMinor: number; weightedMinor: number }[];
  /** Formats a minor-unit amount in the tenant's currency. */
  money(minor: number): string;
}

export const WIDTH = 960;
export const HEIGHT = 540;
/** Where the title is drawn (x, y, w, h): the tests check it holds text. */
export const TITLE_AREA = { x: 0, y: 4, w: WIDTH, h: 30 };

const WORDS = {
  en: {
    nps: 'NPS (95% interval; hollow: under {min} answers)', band: 'interval', revenue: 'Revenue won', pipeline: 'Open pipeline by stage',
    unweighted: 'Total', weighted: 'Weighted by probability', answers: 'answers',
  },
  zh: {
    nps: '净推荐值 NPS（95% 区间；空心点：少于 {min} 份答卷）', band: '区间', revenue: '赢单收入', pipeline: '按阶段的在途商机',
    unweighted: '总额', weighted: '按概率加权', answers: '份答卷',
  },
} as const;

const INK = '#333333';
const NPS = '#2166ac';
const REVENUE = '#4d9221';
const STAGE = '#e67e22';
const WEIGHTED = '#8e44ad';

export function digestChartOption(c: ChartInput): EChartsOption {
  const w = WORDS[c.locale];
  const low = c.npsLow.map((v) => v ?? '-');
  const width = c.npsHigh.map((h, i) => (h === null || c.npsLow[i] === null ? '-' : h - c.npsLow[i]!));
  const points = c.nps.map((v, i) => (v === null ? '-' : { value: v, symbol: c.npsN[i]! < c.minAnswers ? 'emptyCircle' : 'circle' }));
  const axisLabel = { color: INK, fontSize: 11 };
  return {
    title: { text: c.title, left: 'center', top: TITLE_AREA.y, textStyle: { fontSize: 18, color: INK } },
    grid: [
      { left: 60, top: 70, width: 520, height: 170 },
      { left: 60, top: 320, width: 520, height: 160 },
      { left: 720, top: 70, width: 200, height: 410 },
    ],
    xAxis: [
      { type: 'category', gridIndex: 0, data: c.labels, axisLabel: { ...axisLabel, interval: 1 } },
      { type: 'category', gridIndex: 1, data: c.labels, axisLabel: { ...axisLabel, interval: 1 } },
      { type: 'value', gridIndex: 2, axisLabel: { ...axisLabel, formatter: (v: number) => c.money(v), rotate: 45 } },
    ],
    yAxis: [
      { type: 'value', gridIndex: 0, min: -100, max: 100, interval: 50, name: w.nps.replace('{min}', String(c.minAnswers)), nameTextStyle: { color: NPS, align: 'left' }, axisLabel },
      { type: 'value', gridIndex: 1, name: w.revenue, nameTextStyle: { color: REVENUE, align: 'left' }, axisLabel: { ...axisLabel, formatter: (v: number) => c.money(v) } },
      { type: 'category', gridIndex: 2, inverse: true, data: c.stages.map((s) => s.stage), name: w.pipeline, nameTextStyle: { color: STAGE, align: 'left' }, axisLabel },
    ],
    legend: { bottom: 4, textStyle: { color: INK }, data: [w.unweighted, w.weighted] },
    series: [
      // The band: an invisible base at the interval's low end with the interval's width stacked on it.
      { type: 'line', xAxisIndex: 0, yAxisIndex: 0, data: low, stack: 'band', symbol: 'none', lineStyle: { opacity: 0 }, silent: true },
      { name: w.band, type: 'line', xAxisIndex: 0, yAxisIndex: 0, data: width, stack: 'band', symbol: 'none', lineStyle: { opacity: 0 }, areaStyle: { color: NPS, opacity: 0.18 }, silent: true },
      {
        type: 'line', xAxisIndex: 0, yAxisIndex: 0, data: points, symbolSize: 8, color: NPS, lineStyle: { color: NPS, width: 2 },
        label: { show: true, position: 'top', fontSize: 10, color: INK, formatter: (p: { dataIndex: number; value: unknown }) => `${p.value} (n=${c.npsN[p.dataIndex]})` },
      },
      { type: 'bar', xAxisIndex: 1, yAxisIndex: 1, data: c.revenueMinor, color: REVENUE, barWidth: '60%' },
      { name: w.unweighted, type: 'bar', xAxisIndex: 2, yAxisIndex: 2, data: c.stages.map((s) => s.totalMinor), color: STAGE },
      { name: w.weighted, type: 'bar', xAxisIndex: 2, yAxisIndex: 2, data: c.stages.map((s) => s.weightedMinor), color: WEIGHTED },
    ],
  };
}

export function drawDigestChart(c: ChartInput): RenderedChart {
  return renderChart(digestChartOption(c), WIDTH, HEIGHT);
}

export function digestChartUrl(c: ChartInput): string {
  return pngDataUrl(drawDigestChart(c).png);
}
