import { describe, expect, it } from 'vitest';
import { quoted, usageShape, valueText, type OptionSpec } from '../adapters/discord/usage.js';

const opt = (o: Partial<OptionSpec> & Pick<OptionSpec, 'name' | 'kind'>): OptionSpec => ({ required: true, prefix: '', usage: expect.any(String) as unknown as string, ...o });

describe('usageShape: the core usage grammar as typed options', () => {
  it.each<[string, string, ReturnType<typeof usageShape>]>([
    ['crm', '', { parts: [] }],
    ['crm', '<identity> <admin|manager|rep|customer>', { parts: [
      { option: opt({ name: 'identity', kind: 'user' }) },
      { option: opt({ name: 'admin_manager_rep_customer', kind: 'string', choices: ['admin', 'manager', 'rep', 'customer'] }) },
    ] }],
    ['deal', '<customer> <amount> [currency] [stage:<stage>] [close:<YYYY-MM-DD>]', { parts: [
      { option: opt({ name: 'customer', kind: 'customer' }) },
      { option: opt({ name: 'amount', kind: 'number' }) },
      { option: opt({ name: 'currency', kind: 'string', required: false }) },
      { option: opt({ name: 'stage', kind: 'string', required: false, prefix: 'stage:' }) },
      { option: opt({ name: 'close', kind: 'string', required: false, prefix: 'close:' }) },
    ] }],
    ['deal', '<id> [reason]', { parts: [{ option: opt({ name: 'deal', kind: 'deal' }) }, { option: opt({ name: 'reason', kind: 'string', required: false }) }] }],
    ['rewards', '<id> <cost> <stock> <title>', { parts: [
      { option: opt({ name: 'id', kind: 'string' }) }, { option: opt({ name: 'cost', kind: 'integer' }) },
      { option: opt({ name: 'stock', kind: 'integer' }) }, { option: opt({ name: 'title', kind: 'string' }) },
    ] }],
    ['survey', '<nps|csat|ces> to <audience> [at <YYYY-MM-DD HH:MM>]', { parts: [
      { option: opt({ name: 'nps_csat_ces', kind: 'string', choices: ['nps', 'csat', 'ces'] }) },
      { literal: 'to' },
      { option: opt({ name: 'audience', kind: 'string' }) },
      { option: opt({ name: 'at', kind: 'string', required: false, prefix: 'at ' }) },
    ] }],
    ['survey', '<case id like K-3>', { parts: [{ option: opt({ name: 'case_id', kind: 'string' }) }] }],
    ['points', '<referrer> <referred customer>', { parts: [{ option: opt({ name: 'referrer', kind: 'customer' }) }, { option: opt({ name: 'referred_customer', kind: 'customer' }) }] }],
    ['redeem', '<reward id> [customer (staff only)]', { parts: [{ option: opt({ name: 'reward_id', kind: 'string' }) }, { option: opt({ name: 'customer', kind: 'customer', required: false }) }] }],
    ['x', '<a> <a>', { parts: [{ option: opt({ name: 'a', kind: 'string' }) }, { option: opt({ name: 'a_2', kind: 'string' }) }] }],
    // Not a plain sequence: alternatives of whole forms, or a required option after an optional one.
    ['listen', 'add rss <url> | list | remove <id>', null],
    ['x', '[a] <b>', null],
  ])('/%s %s', (command, usage, want) => expect(usageShape(command, usage)).toEqual(want));
});

describe('valueText and quoted', () => {
  const user = { name: 'identity', kind: 'user', required: true, prefix: '', usage: '' } as const;
  const text = { name: 'text', kind: 'string', required: true, prefix: '', usage: '' } as const;
  it.each<[OptionSpec, string | number, string]>([
    [user, '1600000000000000002', 'discord:1600000000000000002'],
    // A USER value Discord did not resolve stays as typed, and the core says it is not an identity.
    [user, '1600000000000000099', '1600000000000000099'],
    [text, ' <@1600000000000000002> and <@!1600000000000000003> ', 'discord:1600000000000000002 and discord:1600000000000000003'],
    [text, 1200.5, '1200.5'],
    [text, 'Ана <@&1234>', 'Ана <@&1234>'],
  ])('%j %j -> %j', (spec, value, want) => expect(valueText(spec, value, { '1600000000000000002': {} })).toBe(want));

  it.each([
    ['Ana Lopez', false, '"Ana Lopez"'],
    ['Ana Lopez', true, 'Ana Lopez'],
    ['C-3', false, 'C-3'],
    ['segment:"At risk"', false, 'segment:"At risk"'],
  ])('quoted(%j, last %s) -> %j', (v, last, want) => expect(quoted(v, last)).toBe(want));
});
