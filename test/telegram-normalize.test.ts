import { describe, expect, it } from 'vitest';
import type { CommandRegistry, CommandSpec } from '../core/index.js';
import { botCommands } from '../adapters/telegram/commands.js';
import { commandLine, normalize } from '../adapters/telegram/normalize.js';
import { ChatPacer } from '../adapters/telegram/pacer.js';
import { parseUpdate } from '../adapters/telegram/payloads.js';
import { ChatQueue } from '../adapters/telegram/queue.js';
import { fixture } from './fixtures/telegram/harness.js';

const update = (name: string) => {
  const p = parseUpdate(fixture(name));
  if (!p.ok) throw new Error(p.error);
  return p.update;
};

describe('Telegram normalize', () => {
  it.each<[string, string | null, ReturnType<typeof commandLine>]>([
    ['/crm whoami', 'CrmTestBot', { name: 'crm', args: 'whoami' }],
    ['/deal@CrmTestBot add Acme 1200', 'CrmTestBot', { name: 'deal', args: 'add Acme 1200' }],
    ['/deal@crmtestbot list', 'CrmTestBot', { name: 'deal', args: 'list' }],
    ['/crm whoami@CrmTestBot', 'CrmTestBot', { name: 'crm', args: 'whoami' }],
    ['/crm@CrmTestBot', 'CrmTestBot', { name: 'crm', args: '' }],
    ['/deal@OtherBot add Acme 1', 'CrmTestBot', 'elsewhere'],
    ['/crm whoami@OtherBot', 'CrmTestBot', 'elsewhere'],
    ['/deal@OtherBot list', null, { name: 'deal', args: 'list' }],
    ['/deal add a@b.test 5', 'CrmTestBot', { name: 'deal', args: 'add a@b.test 5' }],
    ['hello /crm', 'CrmTestBot', null],
  ])('reads %j (bot %s)', (text, username, out) => {
    expect(commandLine(text, username)).toEqual(out);
  });

  it('makes a private command a ChatEvent of the sender', () => {
    expect(normalize(update('private-command-whoami.json'), 'CrmTestBot')).toEqual({
      kind: 'event', chatId: '5100000001',
      event: {
        platform: 'telegram', scope: '5100000001', channel: '5100000001', eventId: '850000001', text: '/crm whoami',
        actor: { identity: 'telegram:5100000001', displayName: 'Tanja Rep', locale: 'de' },
        command: { name: 'crm', args: 'whoami' }, permalink: null, occurredAt: '2026-01-01T00:00:00.000Z',
      },
    });
  });

  it('makes a plain supergroup message an event scoped to the chat, with a permalink', () => {
    const n = normalize(update('group-message.json'), 'CrmTestBot');
    expect(n).toMatchObject({ kind: 'event', chatId: '-1001900000001', event: { scope: '-1001900000001', eventId: '850000004', permalink: 'https://t.me/c/1900000001/206' } });
    expect(n.kind === 'event' && 'command' in n.event).toBe(false);
  });

  it('ignores a command for another bot, and reports membership changes', () => {
    expect(normalize(update('group-command-other-bot.json'), 'CrmTestBot')).toEqual({ kind: 'ignored', why: 'command for another bot' });
    expect(normalize(update('my-chat-member.json'), 'CrmTestBot')).toEqual({ kind: 'membership', chatId: '-1001900000001', chatType: 'supergroup', from: 'left', to: 'member' });
  });

  it('makes a callback query a click with its own event id', () => {
    expect(normalize(update('callback-query.json'), 'CrmTestBot')).toMatchObject({
      kind: 'click', chatId: '5100000001', queryId: '4382bfdwdsb323b2d9', data: 'probe.hit|D-12',
      event: { eventId: 'cb:4382bfdwdsb323b2d9', scope: '5100000001', actor: { identity: 'telegram:5100000001' } },
    });
  });

  it('uses the caption when there is no text, and skips messages with neither', () => {
    const u = update('group-message.json');
    const captioned = { ...u, message: { ...u.message!, text: undefined, caption: 'photo of the booth' } };
    expect(normalize(captioned, null)).toMatchObject({ kind: 'event', event: { text: 'photo of the booth' } });
    expect(normalize({ ...u, message: { ...u.message!, text: undefined } }, null)).toEqual({ kind: 'ignored', why: 'message without text' });
  });
});

describe('Telegram command menu', () => {
  const spec = (name: string, summary: string, subs: string[] = []): CommandSpec =>
    ({ name, summary, subcommands: subs.map((s) => ({ name: s })) }) as unknown as CommandSpec;
  const registry = (...c: CommandSpec[]): CommandRegistry => ({ list: () => c, get: () => undefined });

  it.each<[string, CommandSpec, { command: string; description: string } | null]>([
    ['summary naming its subcommands', spec('crm', 'The CRM itself: help, whoami', ['help', 'whoami']), { command: 'crm', description: 'The CRM itself: help, whoami' }],
    ['subcommands appended', spec('deal', 'Deals', ['add', 'list']), { command: 'deal', description: 'Deals (add, list)' }],
    ['too short', spec('x', 'X'), { command: 'x', description: '/x command' }],
    ['empty summary', spec('log', ''), { command: 'log', description: 'The /log command' }],
    ['too long', spec('long', 'w'.repeat(300)), { command: 'long', description: `${'w'.repeat(255)}…` }],
    ['a name Telegram refuses', spec('my-cmd', 'Dashes are not allowed'), null],
  ])('%s', (_n, c, out) => {
    const list = botCommands(registry(c));
    expect(list).toEqual(out ? [out] : []);
    for (const b of list) expect(b.description.length).toBeGreaterThanOrEqual(3);
    for (const b of list) expect(b.description.length).toBeLessThanOrEqual(256);
  });
});

describe('Telegram chat pacer', () => {
  it('keeps a second between messages to one chat, and other chats free', () => {
    let now = 1_000_000;
    const p = new ChatPacer(() => now);
    expect(p.waitMs('42')).toBe(0);
    p.note('42');
    now += 300;
    expect(p.waitMs('42')).toBe(700);
    expect(p.waitMs('43')).toBe(0);
    now += 700;
    expect(p.waitMs('42')).toBe(0);
  });

  it('allows a group 20 messages a minute', () => {
    let now = 0;
    const p = new ChatPacer(() => now);
    for (let i = 0; i < 20; i++) {
      expect(p.waitMs('-100')).toBe(0);
      p.note('-100');
      now += 1000;
    }
    // The first of the 20 was at 0: the 21st may go at 60 000.
    expect(p.waitMs('-100')).toBe(60_000 - now);
    now = 60_001;
    expect(p.waitMs('-100')).toBe(0);
  });
});

describe('Telegram chat queue', () => {
  it('runs one chat in order and others alongside; a failure does not block the chat', async () => {
    const log: string[] = [];
    const errors: unknown[] = [];
    const q = new ChatQueue((e) => errors.push(e));
    const step = (label: string, ms: number, fail = false) => async () => {
      await new Promise((r) => setTimeout(r, ms));
      if (fail) throw new Error(label);
      log.push(label);
    };
    void q.push('a', step('a1', 60));
    void q.push('a', step('a2', 0, true));
    void q.push('a', step('a3', 0));
    void q.push('b', step('b1', 10));
    await q.idle();
    expect(log).toEqual(['b1', 'a1', 'a3']);
    expect(errors).toHaveLength(1);
  });
});
