import { command, CommandError, NotFoundError, ConflictError, parseShortId, ROLES, shortId, sub, surveySourcePrefix, words, zoneFor, type CommandContext, type CommandSpec, type Reply, type SurveyKind } from '../../core/plugin-api.js';
import { answer, MAX_WHY, stop, why } from './answer.js';
import { AUDIENCE_FORMS, audienceLabel, parseAudience, type Audience } from './audience.js';
import { formatLocal, zonedToUtc } from './clock.js';
import { advance, audienceHasAnyone, env, type Env } from './fanout.js';
import { followUpOfCase, recordClosed } from './followup.js';
import { headline, resultsReply } from './results.js';
import { scoresChartUrl } from './results-chart.js';
import { KINDS, SCALES } from './scales.js';
import { createCampaign, outcomeCounts, parseCampaignId, surveyKey, type Campaign, type Ctx } from './store.js';

const STAFF = ['admin', 'manager', 'rep'] as const;
const MANAGERS = ['admin', 'manager'] as const;
/** Enough answers for any campaign's figures while keeping one command's memory bounded. */
const MAX_ANSWERS_READ = 200_000;
const DELIVERY_CHECK_LIMIT = 1000;

export interface CommandDeps {
  ctx: Ctx;
  /** Runs the tenant's fan-out work one step at a time in this process. */
  lock<T>(tenant: string, fn: () => Promise<T>): Promise<T>;
}

const campaignIdIssue = (text: string) => `"${text.slice(0, 40)}" is not a survey id (like S-3)`;

const sendArgs = words(3, 6, `Say the kind and the audience, like /survey send nps to everyone`).transform((a, c) => {
  const [kind, to, audienceText, at, date, time, ...extra] = a.words.map((w, i) => (i === 1 || i === 3 ? w.toLowerCase() : w));
  const k = kind!.toLowerCase();
  if (!KINDS.includes(k as SurveyKind)) c.addIssue({ code: 'custom', message: `"${kind}" is not a survey kind (nps, csat or ces)` });
  if (to !== 'to') c.addIssue({ code: 'custom', message: 'Say who gets it after "to"' });
  const audience = parseAudience(audienceText ?? '');
  if (!audience.ok) c.addIssue({ code: 'custom', message: audience.error });
  const timed = at !== undefined;
  if (timed && (at !== 'at' || !/^\d{4}-\d{2}-\d{2}$/.test(date ?? '') || !/^\d{2}:\d{2}$/.test(time ?? '') || extra.length)) {
    c.addIssue({ code: 'custom', message: 'A start time is written at YYYY-MM-DD HH:MM, like at 2026-05-04 09:30' });
  }
  return { kind: k as SurveyKind, audience: audience.ok ? audience.value : ({ type: 'everyone' } as Audience), date: timed ? date! : null, time: timed ? time! : null };
});

const answerArgs = words(2, 2, 'Say the survey and your score, like /survey answer S-3 9', 'Too many words: give the survey id and one score, like /survey answer S-3 9')
  .transform((a, c) => {
    const id = parseCampaignId(a.words[0]!);
    if (!id) c.addIssue({ code: 'custom', message: campaignIdIssue(a.words[0]!) });
    const raw = a.words[1]!;
    if (!/^\d{1,2}$/.test(raw)) c.addIssue({ code: 'custom', message: `"${raw.slice(0, 20)}" is not a score; press one of the buttons` });
    return { id: id ?? '', score: Number(raw) };
  });

const whyArgs = words(2, Number.MAX_SAFE_INTEGER, 'Say the survey and your reason, like /survey why S-3 quick and friendly').transform((a, c) => {
  const m = /^(\S+)\s+([\s\S]+)$/.exec(a.rest.trim());
  const id = parseCampaignId(m?.[1] ?? '');
  if (!id) c.addIssue({ code: 'custom', message: campaignIdIssue(m?.[1] ?? '') });
  const reason = (m?.[2] ?? '').trim();
  if (reason.length > MAX_WHY) c.addIssue({ code: 'custom', message: `Your reason is ${reason.length.toLocaleString('en-US')} characters; please keep it to ${MAX_WHY}` });
  return { id: id ?? '', reason };
});

const stopArgs = words(0, 1, '', 'Too many words: just /survey stop').transform((a, c) => {
  if (a.words[0] !== undefined && !parseCampaignId(a.words[0])) c.addIssue({ code: 'custom', message: campaignIdIssue(a.words[0]) });
  return {};
});

/** `/survey results [id] [chart]`: the chart word asks for a PNG of the score distribution. */
const resultsArgs = words(0, 2, '', 'Give at most a survey id and the word chart').transform((a, c) => {
  const rest = a.words.filter((w) => w.toLowerCase() !== 'chart');
  if (rest.length > 1) c.addIssue({ code: 'custom', message: 'Give at most one survey id, then optionally the word chart' });
  const id = rest[0] === undefined ? null : parseCampaignId(rest[0]);
  if (rest[0] !== undefined && !id) c.addIssue({ code: 'custom', message: campaignIdIssue(rest[0]) });
  return { id, chart: rest.length < a.words.length };
});

const caseArgs = words(1, 1, 'Say which case, like /survey close K-3').transform((a, c) => {
  const id = parseShortId('case', a.words[0]!);
  if (id === null) c.addIssue({ code: 'custom', message: `"${a.words[0]!.slice(0, 40)}" is not a case id (like K-3)` });
  return { caseId: id ?? 0 };
});

const results = (id: string): Reply['buttons'] => [{ id: 'survey.results', label: 'Results', value: id }];

async function sendReply(e: Env, c: Campaign, tz: string): Promise<Reply> {
  const label = `Survey ${c.id} (${SCALES[c.kind].label}) to ${c.audienceLabel}`;
  if (c.status === 'scheduled') return { text: `${label} is scheduled for ${formatLocal(c.at, tz)} (${tz}).`, buttons: results(c.id) };
  const k = await outcomeCounts(e.r, c.id);
  const waiting = k.waiting ? `, ${k.waiting} waiting for quiet hours to end` : '';
  const channel = k.channel ? `, ${k.channel} reached by one Discord channel post` : '';
  const progress = c.status === 'done' ? 'Done.' : 'The rest goes out in the background, page by page; see the results any time.';
  return {
    text: `${label}: ${k.sent} queued${channel}${waiting}; ${k.unreachable} not reachable, ${k.optedOut} opted out, ${k.recent} surveyed in the last ${e.cfg.minDaysBetweenSurveys} days. ${progress}`,
    buttons: results(c.id),
  };
}

/** Delivered = queued DMs whose outbox item is marked sent; checked one by one up to a limit. */
async function deliveredCount(e: Env, c: Campaign, queued: number): Promise<number | null> {
  if (queued > DELIVERY_CHECK_LIMIT) return null;
  const dms = (await e.r.recipients.find({ campaignId: c.id }, { limit: DELIVERY_CHECK_LIMIT * 2 })).filter((r) => r.sentAt && r.status !== 'channel');
  let delivered = 0;
  for (const r of dms) {
    const items = await e.ctx.outbox.delivered(e.tenant, r.identity, 500);
    if (items.some((i) => i.idempotencyKey === surveyKey(c.id, r.customerId))) delivered += 1;
  }
  return delivered;
}

/**
 * A survey's scores from the store's survey aggregate, the one the digest reads: the latest answer per
 * person for this survey, from its start to now (CRM-METHOD: one answer per person per survey).
 */
export async function surveyScoresOf(e: Env, c: Campaign, now: string): Promise<number[]> {
  const from = c.startedAt ?? c.at;
  const to = new Date(Math.max(Date.parse(now), Date.parse(from)) + 1).toISOString();
  const rows = await e.ts.analytics.surveyScores([from, to], null, surveySourcePrefix(c.id));
  return rows.filter((r) => r.kind === c.kind).flatMap((r) => Array<number>(r.count).fill(r.score));
}

async function resultsOf(e: Env, c: Campaign, now: string): Promise<Reply> {
  const [counts, answers, followups, earlier, scores] = await Promise.all([
    outcomeCounts(e.r, c.id),
    e.r.answers.find({ campaignId: c.id }, { limit: MAX_ANSWERS_READ }),
    e.r.followups.find({ campaignId: c.id }, { limit: MAX_ANSWERS_READ }),
    e.r.campaigns.find({ kind: c.kind }, { orderBy: 'seq', desc: true, limit: 100 }),
    surveyScoresOf(e, c, now),
  ]);
  const prev = earlier.find((p) => p.seq < c.seq && p.status !== 'scheduled');
  const previous = prev ? { id: prev.id, value: headline(prev.kind, await surveyScoresOf(e, prev, now)) } : null;
  return resultsReply({
    campaign: c, counts, delivered: await deliveredCount(e, c, counts.sent), scores,
    whys: answers.flatMap((a) => (a.why ? [a.why] : [])), previous, followups, minDaysBetweenSurveys: e.cfg.minDaysBetweenSurveys,
    minAnswers: e.ctx.settings(e.tenant).kpi.minAnswers,
  });
}

export function surveyCommand(d: CommandDeps): CommandSpec {
  const envOf = (ctx: CommandContext) => env(d.ctx, ctx.tenant);
  return command({
    name: 'survey',
    summary: 'NPS, CSAT and CES surveys answered with buttons in the chat',
    subcommands: [
      sub({
        name: 'send',
        usage: '<nps|csat|ces> to <audience> [at <YYYY-MM-DD HH:MM>]',
        summary: `Survey an audience: ${AUDIENCE_FORMS}`,
        roles: MANAGERS,
        args: sendArgs,
        run: async (ctx, a) => {
          const e = envOf(ctx);
          // "at 09:00" and the reply's times are the sender's own wall clock.
          const tz = zoneFor(ctx.actor, ctx.settings.timezone);
          const now = ctx.now();
          let at = now;
          if (a.date && a.time) {
            const when = zonedToUtc(a.date, a.time, tz);
            if (!when) throw new CommandError(`${a.date} ${a.time} is not a date and time. Write at YYYY-MM-DD HH:MM (${tz}).`);
            if (when < now) throw new CommandError(`${a.date} ${a.time} (${tz}) is in the past. Leave out "at" to send now.`);
            at = when;
          }
          const label = audienceLabel(a.audience);
          if (!(await audienceHasAnyone(e, a.audience, now))) {
            throw new NotFoundError(`No customer matches ${label}, so nothing was sent. Try another audience: ${AUDIENCE_FORMS}.`);
          }
          const c = await createCampaign(e.r, {
            kind: a.kind, audience: a.audience, audienceLabel: label, status: 'scheduled', at, createdAt: now, createdBy: ctx.actor.identity,
            startedAt: null, finishedAt: null, lastCustomerId: 0, walked: false, source: ctx.sourceEventId ? `event ${ctx.sourceEventId}` : null,
          });
          const after = at === now ? (await d.lock(ctx.tenant, () => advance(e, c, now, e.cfg.maxRecipientsPerTick))).campaign : c;
          return sendReply(e, after, tz);
        },
      }),
      sub({
        name: 'list',
        usage: '',
        summary: 'The latest surveys with their ids',
        roles: STAFF,
        args: words(0, 0, '', 'This takes no arguments'),
        run: async (ctx) => {
          const e = envOf(ctx);
          const list = await e.r.campaigns.find({}, { orderBy: 'seq', desc: true, limit: 20 });
          if (!list.length) return { text: 'No surveys yet. Start one with /survey send nps to everyone.' };
          const fields = await Promise.all(list.map(async (c) => {
            const [k, scores] = await Promise.all([outcomeCounts(e.r, c.id), surveyScoresOf(e, c, ctx.now())]);
            const when = c.status === 'scheduled' ? `scheduled for ${formatLocal(c.at, zoneFor(ctx.actor, ctx.settings.timezone))}` : c.status;
            return { label: `${c.id} ${SCALES[c.kind].label} to ${c.audienceLabel}`, value: `${when}; ${k.sent + k.channel} reached, ${scores.length} answered; created ${c.createdAt.slice(0, 10)} by ${c.createdBy}` };
          }));
          return { text: `The latest ${list.length} surveys (newest first):`, fields };
        },
      }),
      sub({
        name: 'results',
        usage: '[survey id] [chart]',
        summary: 'Sent, delivered, answered, score with margin of error, themes and trend (latest survey when no id); chart adds a picture',
        roles: STAFF,
        args: resultsArgs,
        run: async (ctx, a) => {
          const e = envOf(ctx);
          const c = a.id ? await e.r.campaigns.get(a.id) : (await e.r.campaigns.find({}, { orderBy: 'seq', desc: true, limit: 1 }))[0];
          if (!c) throw new NotFoundError(a.id ? `There is no survey ${a.id}. See /survey list.` : 'No surveys yet. Start one with /survey send nps to everyone.');
          const reply = await resultsOf(e, c, ctx.now());
          if (!a.chart) return reply;
          const settings = e.ctx.settings(e.tenant);
          return { ...reply, image: scoresChartUrl(c, await surveyScoresOf(e, c, ctx.now()), settings.locale, settings.kpi.minAnswers) };
        },
      }),
      sub({
        name: 'answer',
        usage: '<survey id> <score>',
        summary: 'Answer a survey (what its buttons do)',
        roles: ROLES,
        args: answerArgs,
        run: async (ctx, a) => ({ text: await answer(envOf(ctx), ctx, a.id, a.score) }),
      }),
      sub({
        name: 'why',
        usage: '<survey id> <your reason>',
        summary: `Tell us why you gave that score (up to ${MAX_WHY} characters)`,
        roles: ROLES,
        args: whyArgs,
        run: async (ctx, a) => ({ text: await why(envOf(ctx), ctx, a.id, a.reason) }),
      }),
      sub({
        name: 'stop',
        usage: '[survey id]',
        summary: 'Get no more surveys (recorded as your consent)',
        roles: ROLES,
        args: stopArgs,
        run: async (ctx) => ({ text: await stop(envOf(ctx), ctx) }),
      }),
      sub({
        name: 'close', usage: '<case id like K-3>', roles: STAFF, args: caseArgs,
        summary: 'Close a follow-up case opened by a negative answer, recording the time to follow up',
        run: async (ctx, a) => {
          const e = envOf(ctx);
          const k = shortId('case', a.caseId);
          const f = await followUpOfCase(e, a.caseId);
          if (!f) throw new NotFoundError(`${k} is not a survey follow-up case; /survey close only closes the cases surveys open.`);
          if (f.closedAt) throw new ConflictError(`${k} was already closed on ${f.closedAt.slice(0, 10)}.`);
          const closed = await e.ts.cases.close(a.caseId, ctx.now());
          const done = await recordClosed(e, f, closed?.closedAt ?? ctx.now());
          const timing = done.closedAt! <= done.dueAt ? 'on time' : 'late';
          return { text: `Closed ${k} for ${shortId('customer', f.customerId)} after ${done.hoursToFollowUp} h (${timing}: due within ${e.cfg.followUpHours} h). They may be surveyed again.` };
        },
      }),
    ],
  });
}
