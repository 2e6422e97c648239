import type { Reply } from '../chat/reply.js';
import type { CommandContext } from '../commands/types.js';
import { unconvertedNote } from '../kpi/fx.js';
import { averageConvertedDeal, averageSalesCycleDays, closedInReporting, pipelineSummary, stageTotalsInReporting, winRate } from '../kpi/pipeline.js';
import { formatMoney } from './amount.js';
import { dealForecast, perCurrency } from './deal-book.js';
import { percent } from './format.js';
import { countOf } from './count.js';
import { chartPng, pngDataUrl, type EChartsOption } from '../chart/render.js';

const DAY = 86_400_000;

/**
 * `/deal pipeline` (CRM-METHOD, sales performance): pipeline by stage, win rate, deal size, cycle and
 * forecast, every amount in the tenant's reporting currency; deals of a currency without a rate are
 * counted in win rate and shown apart, never dropped.
 */
export async function pipelineReply(ctx: CommandContext, chart = false): Promise<Reply> {
  const { currency: cur, fx } = ctx.settings;
  const now = new Date(ctx.now());
  const month = (offset: number) => new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + offset, 1)).toISOString().slice(0, 7);
  const since = new Date(now.getTime() - 90 * DAY).toISOString();
  const [open, closed, forecast] = await Promise.all([
    perCurrency(ctx.store, cur, (c) => ctx.store.analytics.pipeline(c)),
    perCurrency(ctx.store, cur, (c) => ctx.store.analytics.closedSince(since, c)),
    dealForecast(ctx.store, ctx.settings, [month(0), month(1)], ctx.now(), null),
  ]);
  const stages = stageTotalsInReporting(open.map((o) => ({ currency: o.currency, rows: o.value })), cur, fx);
  const p = pipelineSummary(stages.rows, ctx.settings.stages);
  const c = closedInReporting(closed.map((x) => ({ currency: x.currency, stats: x.value })), cur, fx);
  const wonApart = closed.filter((x) => c.unconverted.some((u) => u.currency === x.currency)).reduce((a, x) => a + x.value.won, 0);
  const money = (m: number | null) => (m === null ? 'n/a' : formatMoney(m, cur));
  const note = (u: { currency: string; minor: number }[]) => unconvertedNote(u, cur, fx, formatMoney);
  const apartCount = stages.unconverted.reduce((a, u) => a + u.count, 0);
  const openApart = apartCount ? ` Also ${apartCount} open deal${apartCount === 1 ? '' : 's'}: ${note(stages.unconverted).replace(/^also /, '')}.` : '';
  const cycle = averageSalesCycleDays(c);
  const wonNote = note(c.unconverted);
  const image = chart ? pngDataUrl(chartPng(pipelineChartOption(p.stages, cur, ctx.settings.locale), 720, 400)) : undefined;
  return {
    ...(image ? { image } : {}),
    text: `Pipeline (${cur}): ${countOf(p.openCount, { one: 'open deal', other: 'open deals' }, ctx.settings.locale)}, ${money(p.openTotalMinor)} total, ${money(p.weightedTotalMinor)} weighted by stage probability.${openApart}`,
    fields: [
      ...p.stages.map((s) => ({ label: `${s.stage} (${Math.round(s.probability * 100)}%)`, value: `${countOf(s.count, { one: 'deal', other: 'deals' }, ctx.settings.locale)}, ${money(s.totalMinor)}, weighted ${money(s.weightedMinor)}` })),
      { label: 'Win rate (90 days)', value: `${percent(winRate(c))} (${c.won} won, ${c.lost} lost)` },
      { label: 'Average deal size (won, 90 days)', value: `${money(averageConvertedDeal(c.wonTotalMinor, c.won, wonApart))}${wonNote ? `; ${wonNote}` : ''}` },
      { label: 'Average sales cycle (90 days)', value: cycle === null ? 'n/a' : `${cycle} days from creation to won` },
      ...forecast.months.map((f) => {
        const extra = [f.estimatedCount ? `${f.estimatedCount} with an estimated close date` : '', note(f.unconverted)].filter(Boolean).join('; ');
        return { label: `Forecast ${f.month}`, value: `${money(f.weightedMinor)} (open deals closing that month x stage probability${extra ? `; ${extra}` : ''})` };
      }),
      {
        label: 'Estimated close dates',
        value: forecast.estimated
          ? `${forecast.estimated} open deal${forecast.estimated === 1 ? ' has' : 's have'} no close date: forecast at creation + the stage's average cycle (measured on won deals; ${ctx.settings.kpi.defaultStageCycleDays} days before any)`
          : 'none: every open deal has a close date',
      },
    ],
  };
}

/** `/deal pipeline chart`: open pipeline per stage, unweighted and weighted by stage probability, in the reporting currency. */
export function pipelineChartOption(stages: { stage: string; totalMinor: number; weightedMinor: number }[], currency: string, locale: 'en' | 'zh'): EChartsOption {
  const zh = locale === 'zh';
  const money = (m: number) => formatMoney(m, currency);
  return {
    title: { text: zh ? `在途商机（${currency}）` : `Open pipeline (${currency})`, left: 'center', top: 6, textStyle: { fontSize: 16, color: '#333333' } },
    grid: { left: 110, right: 40, top: 50, bottom: 70 },
    legend: { bottom: 4, data: zh ? ['总额', '按概率加权'] : ['Total', 'Weighted by probability'] },
    xAxis: { type: 'value', axisLabel: { formatter: (v: number) => money(v), rotate: 30 } },
    yAxis: { type: 'category', inverse: true, data: stages.map((s) => s.stage) },
    series: [
      { name: zh ? '总额' : 'Total', type: 'bar', data: stages.map((s) => s.totalMinor), color: '#e67e22' },
      { name: zh ? '按概率加权' : 'Weighted by probability', type: 'bar', data: stages.map((s) => s.weightedMinor), color: '#8e44ad' },
    ],
  };
}
