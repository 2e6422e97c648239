import { describe, expect, it } from 'vitest';
import { localeOf, surveyReply } from './questions.js';
import { inRange, needsFollowUp } from './scales.js';

describe('questions', () => {
  it.each([
    ['zh-CN', 'en', 'zh'], ['zh_TW', 'en', 'zh'], ['en-US', 'zh', 'en'], ['fr-FR', 'zh', 'zh'], [null, 'en', 'en'], ['', 'zh', 'zh'],
  ] as const)('locale %s with default %s -> %s', (given, fallback, expected) => {
    expect(localeOf(given, fallback)).toBe(expected);
  });

  it.each([
    ['nps', 12], ['csat', 6], ['ces', 8],
  ] as const)('%s has one button per score plus Stop (%i)', (kind, count) => {
    const r = surveyReply('S-4', kind, 'zh', 'invite');
    expect(r.buttons).toHaveLength(count);
    expect(r.buttons!.at(-1)).toEqual({ id: 'survey.stop', label: '不再接收调查', value: 'S-4' });
    expect(r.text).toMatch(/^想请您回答一个小问题（调查 S-4）：/);
  });

  it.each([
    ['nps', 6, true], ['nps', 7, false], ['csat', 2, true], ['csat', 3, false], ['ces', 5, true], ['ces', 4, false],
  ] as const)('%s %i needs a follow-up: %s', (kind, score, expected) => {
    expect(needsFollowUp(kind, score)).toBe(expected);
  });

  it.each([
    ['nps', 0, true], ['nps', 10, true], ['nps', 11, false], ['csat', 0, false], ['csat', 5, true], ['ces', 7, true], ['ces', 1.5, false],
  ] as const)('%s %d in range: %s', (kind, score, expected) => {
    expect(inRange(kind, score)).toBe(expected);
  });
});
