import { describe, expect, it } from 'vitest';
import { cronText } from './schedule.js';

describe('cronText', () => {
  it.each([
    ['*/15 * * * *', 'every 15 minutes'],
    ['*/5 * * * *', 'every 5 minutes'],
    ['* * * * *', 'every minute'],
    ['0 * * * *', 'every hour'],
    ['30 */2 * * *', 'every 2 hours'],
    ['5 7 * * *', 'every day at 07:05 UTC'],
    ['0 9 * * 1', 'on the schedule "0 9 * * 1" (UTC)'],
    ['0,30 * * * *', 'on the schedule "0,30 * * * *" (UTC)'],
  ])('%s -> %s', (cron, text) => {
    expect(cronText(cron)).toBe(text);
  });
});
