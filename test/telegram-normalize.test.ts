import { describe, expect, it } from 'vitest';
import type { CommandRegistry, CommandSpec } from '../core/index.js';
import { botCommands } from '../adapters/telegram/commands.js';
import { commandLine, fromCallback, fromMembership, fromMessage, messageOf } from '../adapters/telegram/normalize.js';
import { parseUpdate, type Update } from '../adapters/telegram/payloads.js';
import { fixture } from './fixtures/telegram/harness.js';

const update = (name: string) => {
  const p = parseUpdate(fixture(name));
  if (!p.ok) throw new Error(p.error);
  return p.update;
};
/** What a message-like update becomes, as the adapter's router sees it. */
const normalize = (u: Update, username: string | null) => {
  const m = messageOf(u)!;
  return fromMessage(u.update_id, m.message, m.edited, username);
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
      kind: 'events', replyTo: null, greet: null,
      events: [{
        platform: 'telegram', scope: '5100000001', channel: '5100000001', eventId: '850000001', text: '/crm whoami',
        actor: { identity: 'telegram:5100000001', displayName: 'Tanja Rep', locale: 'de' },
        command: { name: 'crm', args: 'whoami' }, permalink: null, messageId: '5100000001:11', occurredAt: '2026-01-01T00:00:00.000Z',
      }],
    });
  });

  it('makes a plain supergroup message an event scoped to the chat, with a permalink', () => {
    const n = normalize(update('group-message.json'), 'CrmTestBot');
    expect(n).toMatchObject({ kind: 'events', replyTo: null, events: [{ scope: '-1001900000001', eventId: '850000004', permalink: 'https://t.me/c/1900000001/206', messageId: '-1001900000001:206' }] });
    expect(n.kind === 'events' && 'command' in n.events[0]!).toBe(false);
  });

  it('ignores a command for another bot, and reports membership changes', () => {
    expect(normalize(update('group-command-other-bot.json'), 'CrmTestBot')).toEqual({ kind: 'ignored', why: 'command for another bot' });
    expect(fromMembership(update('my-chat-member.json').my_chat_member!)).toEqual({ kind: 'added', chatId: '-1001900000001' });
  });

  it('makes a callback query a click with its own event id', () => {
    expect(fromCallback(update('callback-query.json').callback_query!)).toMatchObject({
      kind: 'click', queryId: '4382bfdwdsb323b2d9', data: 'probe.hit|D-12', editable: true,
      event: { eventId: 'cb:4382bfdwdsb323b2d9', scope: '5100000001', actor: { identity: 'telegram:5100000001' } },
    });
  });

  it('uses the caption when there is no text, and skips messages with neither', () => {
    const u = update('group-message.json');
    const captioned = { ...u, message: { ...u.message!, text: undefined, caption: 'photo of the booth' } };
    expect(normalize(captioned, null)).toMatchObject({ kind: 'events', events: [{ text: 'photo of the booth' }] });
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
