import { describe, expect, it } from 'vitest';
import type { CommandRegistry, CommandSpec } from '../core/index.js';
import { botCommands, HELP_COMMAND } from '../adapters/telegram/commands.js';
import { ANONYMOUS_NOTICE, commandLine, coreCommands, fromCallback, fromDeletedBusinessMessages, fromMembership, fromMessage, messageOf } from '../adapters/telegram/normalize.js';
import { channelTarget, parseTarget } from '../adapters/telegram/send.js';
import { parseUpdate, type Update } from '../adapters/telegram/payloads.js';
import { fixture } from './fixtures/telegram/harness.js';

const update = (name: string) => {
  const p = parseUpdate(fixture(name));
  if (!p.ok) throw new Error(p.error);
  return p.update;
};
/** What a message-like update becomes, as the adapter's router sees it. */
const normalize = (u: Update, username: string) => {
  const m = messageOf(u)!;
  return fromMessage(u.update_id, m.message, m.edited, username);
};

describe('Telegram normalize', () => {
  it.each<[string, string, ReturnType<typeof commandLine>]>([
    ['/crm whoami', 'CrmTestBot', { name: 'crm', args: 'whoami' }],
    ['/deal@CrmTestBot add Acme 1200', 'CrmTestBot', { name: 'deal', args: 'add Acme 1200' }],
    ['/deal@crmtestbot list', 'CrmTestBot', { name: 'deal', args: 'list' }],
    ['/crm whoami@CrmTestBot', 'CrmTestBot', { name: 'crm', args: 'whoami' }],
    ['/crm@CrmTestBot', 'CrmTestBot', { name: 'crm', args: '' }],
    ['/deal@OtherBot add Acme 1', 'CrmTestBot', 'elsewhere'],
    ['/crm whoami@OtherBot', 'CrmTestBot', 'elsewhere'],
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

  it('names the message a reply answers (for influence), but not the first message of a forum topic', () => {
    const reply = normalize(update('group-reply.json'), 'CrmTestBot');
    expect(reply).toMatchObject({ kind: 'events', events: [{ messageId: '-1001900000001:207', inReplyTo: '-1001900000001:206' }] });
    const topic = normalize(update('forum-topic-command.json'), 'CrmTestBot');
    expect(topic.kind === 'events' && topic.events.every((e) => !('inReplyTo' in e))).toBe(true);
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
    expect(normalize(captioned, 'CrmTestBot')).toMatchObject({ kind: 'events', events: [{ text: 'photo of the booth' }] });
    expect(normalize({ ...u, message: { ...u.message!, text: undefined } }, 'CrmTestBot')).toEqual({ kind: 'ignored', why: 'message without text' });
  });
});

describe('Telegram updates that are not a person talking', () => {
  it.each<[string, string]>([
    ['automatic-forward.json', 'automatic forward from the linked channel'],
    ['channel-post.json', 'channel post'],
  ])('%s is ignored: %s', (name, why) => {
    expect(normalize(update(name), 'CrmTestBot')).toEqual({ kind: 'ignored', why });
  });

  it('answers an anonymous admin\'s command with how to be known, replying to it; their plain messages are ignored', () => {
    expect(normalize(update('anonymous-admin.json'), 'CrmTestBot')).toEqual({ kind: 'notice', text: ANONYMOUS_NOTICE, replyTo: 320 });
    const plain = update('anonymous-admin.json');
    plain.message!.text = 'Welcome, everyone';
    expect(normalize(plain, 'CrmTestBot')).toEqual({ kind: 'ignored', why: 'sent on behalf of a chat (anonymous admin or channel)' });
  });

  it('ignores messages of bots and commands for other bots even from anonymous admins', () => {
    const other = update('anonymous-admin.json');
    other.message!.text = '/deal@OtherBot list';
    expect(normalize(other, 'CrmTestBot')).toMatchObject({ kind: 'ignored' });
    const bot = update('group-message.json');
    bot.message!.from = { id: 7000000009, is_bot: true, first_name: 'Other bot' };
    expect(normalize(bot, 'CrmTestBot')).toEqual({ kind: 'ignored', why: 'message from a bot' });
  });
});

describe('Telegram messages that are conversation', () => {
  it('makes an edited message an edit event naming the message, with the new text and the edit time', () => {
    expect(normalize(update('edited-message.json'), 'CrmTestBot')).toEqual({
      kind: 'events', replyTo: null, greet: null,
      events: [{
        platform: 'telegram', scope: '-1001900000001', channel: '-1001900000001', eventId: '850000013',
        text: 'The new Acme dashboard & reports look great (and fast)',
        actor: { identity: 'telegram:5100000003', displayName: 'Mira Kunde', locale: 'en' },
        permalink: 'https://t.me/c/1900000001/206', messageId: '-1001900000001:206', edit: 'changed',
        occurredAt: new Date(1767225990 * 1000).toISOString(),
      }],
    });
  });

  it('does not run an edited command again', () => {
    const u = update('edited-message.json');
    u.edited_message!.text = '/deal add Acme 5';
    expect(normalize(u, 'CrmTestBot')).toEqual({ kind: 'ignored', why: 'edited command (a command runs once)' });
  });

  it('makes a business chat message conversation of the customer, named in their own script', () => {
    expect(normalize(update('business-message.json'), 'CrmTestBot')).toMatchObject({
      kind: 'events', replyTo: null,
      events: [{ scope: '5100000020', channel: '5100000020', messageId: '5100000020:5021', text: 'Do you ship to Osaka?', actor: { identity: 'telegram:5100000020', displayName: '健二 佐藤', locale: 'ja' } }],
    });
  });

  it('ignores what the business account itself writes in its business chats (it is not the customer)', () => {
    const u = update('business-message.json');
    u.business_message!.from = { id: 5100000099, is_bot: false, first_name: 'Shop', last_name: 'Owner' };
    expect(normalize(u, 'CrmTestBot')).toEqual({ kind: 'ignored', why: "the business account's own message" });
  });

  it('replies to a command in a forum topic, and names the person without a username by their first name', () => {
    expect(normalize(update('forum-topic-command.json'), 'CrmTestBot')).toMatchObject({ kind: 'events', replyTo: 310, events: [{ command: { name: 'crm', args: 'whoami' }, messageId: '-1001900000002:310' }] });
    expect(normalize(update('private-start-link.json'), 'CrmTestBot')).toMatchObject({ events: [{ actor: { identity: 'telegram:5100000011', displayName: '王芳', locale: 'zh-hans' } }] });
  });

  it('turns /start into the core\'s whoami and help, each with its own event id, greeting by first name', () => {
    const n = normalize(update('private-start.json'), 'CrmTestBot');
    expect(n).toMatchObject({ kind: 'events', greet: 'Алёна', replyTo: null });
    expect(n.kind === 'events' && n.events.map((e) => [e.eventId, e.command])).toEqual([
      ['850000010', { name: 'crm', args: 'whoami' }],
      ['850000010:1', { name: 'crm', args: 'help' }],
    ]);
  });

  it.each<[string, ReturnType<typeof coreCommands>]>([
    ['/start', { lines: [{ name: 'crm', args: 'whoami' }, { name: 'crm', args: 'help' }], greet: true }],
    ['/start link-123456', { lines: [{ name: 'crm', args: 'link 123456' }], greet: false }],
    ['/start link-ABCD-EFGH-JKMN-PQRS-TVWX', { lines: [{ name: 'crm', args: 'link ABCD-EFGH-JKMN-PQRS-TVWX' }], greet: false }],
    ['/start campaign_spring', { lines: [{ name: 'crm', args: 'whoami' }, { name: 'crm', args: 'help' }], greet: true }],
    ['/start link-', { lines: [{ name: 'crm', args: 'whoami' }, { name: 'crm', args: 'help' }], greet: true }],
    ['/help', { lines: [{ name: 'crm', args: 'help' }], greet: false }],
    ['/help deal', { lines: [{ name: 'deal', args: 'help' }], greet: false }],
    ['/help /Points', { lines: [{ name: 'points', args: 'help' }], greet: false }],
    ['/help me please', { lines: [{ name: 'crm', args: 'help' }], greet: false }],
    ['/deal list', { lines: [{ name: 'deal', args: 'list' }], greet: false }],
  ])('maps %j onto the core', (text, out) => {
    expect(coreCommands(commandLine(text, 'CrmTestBot') as { name: string; args: string })).toEqual(out);
  });
});

describe('Telegram clicks and membership', () => {
  it('can edit the clicked message unless it is inaccessible (date 0) or inline', () => {
    const q = update('callback-query-topic.json').callback_query!;
    expect(fromCallback(q)).toMatchObject({ editable: true, event: { scope: '-1001900000002', channel: '-1001900000002', actor: { identity: 'telegram:5100000002' } } });
    expect(fromCallback({ ...q, message: { ...q.message!, date: 0 } }).editable).toBe(false);
    const { message: _gone, ...inline } = q;
    expect(fromCallback(inline)).toMatchObject({ editable: false, event: { scope: '5100000002' } });
  });

  it.each<[string, string, string, string]>([
    ['added as member', 'left', 'member', 'added'],
    ['added as admin', 'left', 'administrator', 'added'],
    ['re-added after a kick', 'kicked', 'member', 'added'],
    ['promoted', 'member', 'administrator', 'ignored'],
    ['removed', 'member', 'left', 'ignored'],
  ])('%s', (_n, from, to, kind) => {
    const m = update('my-chat-member.json').my_chat_member!;
    expect(fromMembership({ ...m, old_chat_member: { status: from }, new_chat_member: { status: to } }).kind).toBe(kind);
  });

  it('says nothing when added to a channel', () => {
    const m = update('my-chat-member.json').my_chat_member!;
    expect(fromMembership({ ...m, chat: { id: -1001900000099, type: 'channel', title: 'Acme News' } })).toEqual({ kind: 'ignored', why: 'membership in a channel chat' });
  });
});

describe('Telegram deleted business messages', () => {
  it('become one deletion per message id, named as the message events name them', () => {
    const u = update('deleted-business-messages.json');
    const events = fromDeletedBusinessMessages(u.update_id, u.deleted_business_messages!, '2026-01-01T00:00:00.000Z');
    expect(events).toEqual([5021, 5022].map((id) => ({
      platform: 'telegram', scope: '5100000020', actor: { identity: 'telegram:5100000020', displayName: '健二 佐藤' }, channel: '5100000020',
      eventId: `850000015:deleted:${id}`, text: '', messageId: `5100000020:${id}`, edit: 'deleted', occurredAt: '2026-01-01T00:00:00.000Z',
    })));
    const said = fromMessage(850000014, update('business-message.json').business_message!, false, 'CrmTestBot');
    expect(said.kind === 'events' && said.events[0]!.messageId).toBe(events[0]!.messageId);
  });

  it('without message ids is not a valid update', () => {
    const u = fixture('deleted-business-messages.json');
    expect(parseUpdate({ ...u, deleted_business_messages: { ...u.deleted_business_messages, message_ids: [] } }).ok).toBe(false);
  });
});

describe('Telegram outbox targets', () => {
  it.each<[string, ReturnType<typeof parseTarget>]>([
    ['telegram:5100000001', { chatId: 5100000001, threadId: null, business: null, dm: true }],
    ['channel:-1001900000002', { chatId: -1001900000002, threadId: null, business: null, dm: false }],
    ['channel:-1001900000002/77', { chatId: -1001900000002, threadId: 77, business: null, dm: false }],
    ['channel:5100000020#Q8mYd2rFZEoBAAAA7uVVn_cHhbA', { chatId: 5100000020, threadId: null, business: 'Q8mYd2rFZEoBAAAA7uVVn_cHhbA', dm: false }],
    ['channel:5100000020/12#a%2Fb%23c', { chatId: 5100000020, threadId: 12, business: 'a/b#c', dm: false }],
    ['channel:5100000020#%E0%A4%A', null],
    ['channel:abc', null],
    ['discord:1', null],
  ])('%s', (target, out) => {
    expect(parseTarget(target)).toEqual(out);
  });

  it('writes a business connection into the target so a deferred reply can still reach the business chat', () => {
    for (const id of ['Q8mYd2rFZEoBAAAA7uVVn_cHhbA', 'a/b#c d']) {
      expect(parseTarget(channelTarget(5100000020, 9, id))).toEqual({ chatId: 5100000020, threadId: 9, business: id, dm: false });
    }
  });

  it('writes a topic into the target only when there is one', () => {
    expect(channelTarget(-1001900000002, 77)).toBe('channel:-1001900000002/77');
    expect(channelTarget(5100000001, undefined)).toBe('channel:5100000001');
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
    expect(list).toEqual(out ? [HELP_COMMAND, out] : [HELP_COMMAND]);
    for (const b of list) expect(b.description.length).toBeGreaterThanOrEqual(3);
    for (const b of list) expect(b.description.length).toBeLessThanOrEqual(256);
  });
});
