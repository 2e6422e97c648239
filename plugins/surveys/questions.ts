import type { Button, Reply, SurveyKind } from '../../core/plugin-api.js';
import { scoresOf } from './scales.js';

export type Locale = 'en' | 'zh';

/** 'zh-CN', 'zh_TW', 'zh' -> zh; 'en-US' -> en; anything else (or nothing) -> the tenant default. */
export function localeOf(identityLocale: string | null | undefined, fallback: Locale): Locale {
  const lang = identityLocale?.trim().toLowerCase().split(/[-_]/)[0];
  return lang === 'zh' || lang === 'en' ? lang : fallback;
}

const QUESTIONS: Record<Locale, Record<SurveyKind, string>> = {
  en: {
    nps: 'How likely are you to recommend us to a friend or colleague? (0 = not at all likely, 10 = extremely likely)',
    csat: 'How satisfied are you with our service? (1 = very dissatisfied, 5 = very satisfied)',
    ces: 'How easy was it to get your issue solved? (1 = very easy, 7 = very difficult)',
  },
  zh: {
    nps: '您有多大可能向朋友或同事推荐我们？（0 = 完全不可能，10 = 非常可能）',
    csat: '您对我们的服务满意吗？（1 = 非常不满意，5 = 非常满意）',
    ces: '解决您的问题有多容易？（1 = 非常容易，7 = 非常困难）',
  },
};

const WORDS = {
  en: {
    intro: (id: string) => `A quick question from us (survey ${id}):`,
    reminder: (id: string) => `A gentle reminder, in case you missed it (survey ${id}):`,
    channel: (id: string) => `A quick question for everyone here (survey ${id}); press a number to answer:`,
    stop: 'Stop surveys',
    recorded: (id: string, score: number) => `Thanks! We recorded ${score} for survey ${id}.`,
    changed: (id: string, score: number, was: number) => `Thanks! Your answer to survey ${id} is now ${score} (was ${was}).`,
    same: (id: string, score: number) => `Your answer to survey ${id} is already ${score}.`,
    askWhy: (id: string) => ` Why? Reply with /survey why ${id} <your reason>`,
    whyThanks: (id: string) => `Thank you, we noted your reason for survey ${id}.`,
    stopped: 'Done: you will get no more surveys from us. This is recorded on your customer record.',
  },
  zh: {
    intro: (id: string) => `想请您回答一个小问题（调查 ${id}）：`,
    reminder: (id: string) => `温馨提醒，以防您错过（调查 ${id}）：`,
    channel: (id: string) => `想请大家回答一个小问题（调查 ${id}），点击数字即可作答：`,
    stop: '不再接收调查',
    recorded: (id: string, score: number) => `谢谢！我们已记录您对调查 ${id} 的评分：${score}。`,
    changed: (id: string, score: number, was: number) => `谢谢！您对调查 ${id} 的评分已改为 ${score}（原为 ${was}）。`,
    same: (id: string, score: number) => `您对调查 ${id} 的评分已经是 ${score}。`,
    askWhy: (id: string) => `原因是什么？请回复 /survey why ${id} <您的理由>`,
    whyThanks: (id: string) => `谢谢，我们已记下您对调查 ${id} 的理由。`,
    stopped: '好的：您将不会再收到我们的调查。此选择已记录在您的客户档案中。',
  },
} as const;

export function words(locale: Locale) {
  return WORDS[locale];
}

export function question(kind: SurveyKind, locale: Locale): string {
  return QUESTIONS[locale][kind];
}

/** One button per score plus Stop; a press runs `/survey answer <id> <score>` as the presser. */
export function surveyButtons(campaignId: string, kind: SurveyKind, locale: Locale): Button[] {
  return [
    ...scoresOf(kind).map((s) => ({ id: 'survey.answer', label: String(s), value: `${campaignId} ${s}` })),
    { id: 'survey.stop', label: WORDS[locale].stop, value: campaignId },
  ];
}

export type SurveyMessage = 'invite' | 'reminder' | 'channel';

export function surveyReply(campaignId: string, kind: SurveyKind, locale: Locale, as: SurveyMessage): Reply {
  const w = WORDS[locale];
  const intro = as === 'invite' ? w.intro(campaignId) : as === 'reminder' ? w.reminder(campaignId) : w.channel(campaignId);
  // The channel version is asked of everyone reading the channel.
  return { text: `${intro}\n${question(kind, locale)}`, buttons: surveyButtons(campaignId, kind, locale), ...(as === 'channel' ? { visibility: 'public' as const } : {}) };
}
