import { describe, expect, it } from 'vitest';
import { answerAddressSchema, RESPONSE_URL_TTL_MS, responseUrlLive } from './answer.js';

describe('answer addresses as recorded with an event', () => {
  it.each([
    [{ via: 'response_url', url: 'https://hooks.slack.com/commands/1234/5678', at: '2026-06-30T12:00:00.000Z' }, true],
    [{ via: 'in_place', channel: 'C2147483705', user: 'U2147483697', threadTs: '1700000100.000200' }, true],
    [{ via: 'in_place', channel: 'C2147483705', user: 'U2147483697' }, true],
    [{ via: 'dm' }, true],
    [{ via: 'response_url', url: 'file:///etc/passwd', at: '2026-06-30T12:00:00.000Z' }, false],
    [{ via: 'response_url', url: 'https://hooks.slack.com/commands/1234/5678' }, false],
    [{ via: 'in_place', channel: 'C2147483705', user: '' }, false],
    [{ via: 'in_place', channel: 'C2147483705', user: 'U2147483697', threadTs: 'yesterday' }, false],
    [{ via: 'carrier pigeon' }, false],
    [{}, false],
  ])('%j -> %s', (address, ok) => expect(answerAddressSchema.safeParse(address).success).toBe(ok));
});

describe('a response_url takes posts for 30 minutes after it was given', () => {
  const at = '2026-06-30T12:00:00.000Z';
  const t = Date.parse(at);
  it.each([
    [0, true],
    [RESPONSE_URL_TTL_MS - 1, true],
    [RESPONSE_URL_TTL_MS, false],
    [2 * RESPONSE_URL_TTL_MS, false],
  ])('%i ms later -> %s', (later, live) => expect(responseUrlLive(at, t + later)).toBe(live));
});
