import { chartPng, npsEstimate, csatEstimate, cesEstimate, pngDataUrl, type EChartsOption, type SurveyKind } from '../../core/plugin-api.js';
import { SCALES } from './scales.js';
import type { Campaign } from './store.js';

const WIDTH = 720;
const HEIGHT = 400;

/**
 * `/survey results <id> chart`: how many answered each score, with the headline figure, its n and 95%
 * margin in the title (CRM-METHOD: every survey figure shows n; "too few answers" under the minimum).
 */
export function scoresChartOption(c: Campaign, scores: number[], locale: 'en' | 'zh', minAnswers: number): EChartsOption {
  const { min, max, label } = SCALES[c.kind];
  const e = ({ nps: npsEstimate, csat: csatEstimate, ces: cesEstimate } as const)[c.kind as SurveyKind](scores, minAnswers);
  const counts = Array.from({ length: max - min + 1 }, (_, i) => scores.filter((s) => s === min + i).length);
  const zh = locale === 'zh';
  const figure = e.value === null ? (zh ? '尚无答卷' : 'no answers yet')
    : `${e.value}${c.kind === 'csat' ? '%' : ''} ±${e.margin} (n = ${e.n}${e.tooFew ? (zh ? `，答卷不足 ${minAnswers} 份` : `; too few answers, under ${minAnswers}`) : ''})`;
  return {
    title: { text: `${zh ? '调查' : 'Survey'} ${c.id} ${label}: ${figure}`, left: 'center', top: 6, textStyle: { fontSize: 16, color: '#333333' } },
    grid: { left: 60, right: 30, top: 60, bottom: 50 },
    xAxis: { type: 'category', data: counts.map((_, i) => String(min + i)), name: zh ? '分数' : 'score', nameLocation: 'middle', nameGap: 28 },
    yAxis: { type: 'value', name: zh ? '答卷数' : 'answers', minInterval: 1 },
    series: [{ type: 'bar', data: counts, color: '#2166ac', label: { show: true, position: 'top' } }],
  };
}

export function scoresChartUrl(c: Campaign, scores: number[], locale: 'en' | 'zh', minAnswers: number): string {
  return pngDataUrl(chartPng(scoresChartOption(c, scores, locale, minAnswers), WIDTH, HEIGHT));
}
