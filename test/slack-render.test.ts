import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Reply } from '../core/index.js';
import { dealSubmission } from '../adapters/slack/modal.js';
import { actionEvent, commandEvent, mentionEvent, messageEvent } from '../adapters/slack/normalize.js';
import { blockActionsSchema, eventCallbackSchema, appMentionSchema, messageEventSchema, slashCommandSchema, type StateValues } from '../adapters/slack/payloads.js';
import { decodeActionId, escapeMrkdwn, render, splitEscaped, stashKey } from '../adapters/slack/render.js';
import { failure } from '../adapters/slack/send.js';
import { webApi } from '@slack/bolt';
import { fixture } from './fixtures/slack/harness.js';

describe('render: Reply -> Block Kit', () => {
  it.each([
    ['plain', 'hello', 'hello'],
    ['link injection', '<https://evil.example|click me>', '&lt;https://evil.example|click me&gt;'],
    ['mention injection', '<!channel> <@U123>', '&lt;!channel&gt; &lt;@U123&gt;'],
    ['ampersand first', 'A & B &lt;', 'A &amp; B &amp;lt;'],
  ])('escapes %s', (_name, input, want) => {
    expect(escapeMrkdwn(input)).toBe(want);
    const r = render({ text: input });
    expect(r.message.blocks).toEqual([{ type: 'section', text: { type: 'mrkdwn', text: want } }]);
    expect(r.message.text).toBe(want);
  });

  it.each([
    [1, [1]],
    [10, [10]],
    [11, [10, 1]],
    [25, [10, 10, 5]],
  ])('puts %i fields in sections of at most 10', (count, sizes) => {
    const fields = Array.from({ length: count }, (_, i) => ({ label: `L${i}`, value: `<v${i}>` }));
    const sections = render({ text: 't', fields }).message.blocks.slice(1) as { fields: { text: string }[] }[];
    expect(sections.map((s) => s.fields.length)).toEqual(sizes);
    expect(sections[0]!.fields[0]).toEqual({ type: 'mrkdwn', text: '*L0*\n&lt;v0&gt;' });
  });

  it('renders buttons with unique action ids that decode back to the reply id', () => {
    const reply: Reply = { text: 'Deal D-12', buttons: [{ id: 'deal.won', label: 'Won', value: 'D-12' }, { id: 'deal.won', label: 'Won too', value: 'D-13' }] };
    const [, actions] = render(reply).message.blocks as [unknown, { type: string; elements: { action_id: string; value: string; text: { text: string } }[] }];
    expect(actions.type).toBe('actions');
    expect(actions.elements.map((e) => [e.action_id, e.value, e.text.text])).toEqual([['deal.won#0', 'D-12', 'Won'], ['deal.won#1', 'D-13', 'Won too']]);
    expect(actions.elements.map((e) => decodeActionId(e.action_id))).toEqual(['deal.won', 'deal.won']);
  });

  it('splits more than 25 buttons over several actions blocks and keeps 2000-char values', () => {
    const buttons = Array.from({ length: 30 }, (_, i) => ({ id: 'x.y', label: `b${i}`, value: 'v'.repeat(2000) }));
    const blocks = render({ text: 't', buttons }).message.blocks as { elements?: { value: string }[] }[];
    expect(blocks.slice(1).map((b) => b.elements!.length)).toEqual([25, 5]);
    expect(blocks[1]!.elements![0]!.value).toHaveLength(2000);
  });

  it('renders choices as a static_select; a value too long for Slack is stashed by key', () => {
    const long = 'z'.repeat(200);
    const r = render({ text: 'Pick', choices: { id: 'survey.answer', placeholder: 'Score', options: [{ label: '9', value: 'S-1 9' }, { label: 'long', value: long }] } });
    const select = (r.message.blocks[1] as { elements: { type: string; action_id: string; options: { value: string }[] }[] }).elements[0]!;
    expect(select.type).toBe('static_select');
    expect(select.action_id).toBe('survey.answer#choice');
    expect(select.options.map((o) => o.value)).toEqual(['S-1 9', stashKey(long)]);
    expect(r.stash).toEqual({ [stashKey(long)]: long });
  });

  it.each([
    ['https image becomes an image block', 'https://example.com/c.png', 1, false],
    ['data URL becomes an upload', 'data:image/png;base64,iVBORw0KGgo=', 0, true],
  ])('%s', (_n, image, imageBlocks, uploaded) => {
    const r = render({ text: 'chart', image });
    expect(r.message.blocks.filter((b) => b.type === 'image')).toHaveLength(imageBlocks);
    expect(r.upload !== null).toBe(uploaded);
    if (r.upload) expect(r.upload.filename).toBe('chart.png');
  });

  it('splits long text into sections of at most 3000 characters without cutting an entity', () => {
    const text = `${'a'.repeat(2998)}&b`;
    const sections = render({ text }).message.blocks as { text: { text: string } }[];
    expect(sections.map((s) => s.text.text)).toEqual(['a'.repeat(2998), '&amp;b']);
    for (const piece of splitEscaped(escapeMrkdwn('<'.repeat(2000)), 3000)) expect(piece).toMatch(/^(&lt;)+$/);
  });
});

describe('normalize: Slack payloads -> ChatEvent', () => {
  const env = eventCallbackSchema.parse(fixture('event-message.json'));

  it('a slash command keeps a stable event id from trigger_id and unescapes the text', () => {
    const c = slashCommandSchema.parse({ ...fixture('slash-command.json'), command: '/Deal', text: 'add "A &amp; B" 1' });
    expect(commandEvent(c)).toMatchObject({ scope: 'T0001', actor: { identity: 'slack:T0001:U2147483697' }, eventId: `cmd:${c.trigger_id}`, command: { name: 'deal', args: 'add "A & B" 1' } });
  });

  it.each([
    ['a person in a channel', {}, true],
    ['a bot', { bot_id: 'B1' }, false],
    ['an edit', { subtype: 'message_changed' }, false],
    ['a join', { subtype: 'channel_join' }, false],
    ['a DM', { channel_type: 'im' }, false],
  ])('message from %s', (_n, patch, kept) => {
    const m = messageEventSchema.parse({ ...env.event, ...patch });
    const ev = messageEvent(env, m);
    expect(ev !== null).toBe(kept);
    if (ev) expect(ev).toMatchObject({ eventId: 'Ev08MFMKH6', channel: 'C2147483705', text: 'Loving the new release <3 & more', permalink: null });
  });

  it.each([
    ['<@U0LAN0Z89> crm whoami', '/crm whoami'],
    ['<@U0LAN0Z89> /deal list', '/deal list'],
    ['<@U0LAN0Z89|crm>: crm help', '/crm help'],
    ['<@U0LAN0Z89> thanks!', null],
    ['<@U0LAN0Z89> nope list', null],
  ])('mention %j -> %j', (text, want) => {
    const menv = eventCallbackSchema.parse(fixture('event-app-mention.json'));
    const m = appMentionSchema.parse({ ...menv.event, text });
    expect(mentionEvent(menv, m, (n) => ['crm', 'deal'].includes(n))?.text ?? null).toBe(want);
  });

  it('a select choice comes back as the choice id and the chosen value', () => {
    const p = blockActionsSchema.parse({ ...fixture('block-actions.json'), actions: [{ action_id: 'survey.answer#choice', type: 'static_select', selected_option: { value: 'S-1 9' } }] });
    expect(actionEvent(p)).toMatchObject({ action: { id: 'survey.answer', value: 'S-1 9' }, eventId: `act:${p.trigger_id}` });
  });
});

describe('modal: /deal add form', () => {
  const values = (customer: string | null, amount: string | null, currency: string | null = null, stage: string | null = null): StateValues => ({
    customer: { value: { type: 'plain_text_input', value: customer } },
    amount: { value: { type: 'plain_text_input', value: amount } },
    currency: { value: { type: 'plain_text_input', value: currency } },
    stage: { value: { type: 'static_select', selected_option: stage ? { value: stage } : null } },
  });
  it.each([
    ['complete', values('Acme Corp', '12,000', 'EUR', 'proposal'), { ok: true, args: 'add "Acme Corp" 12,000 EUR stage:proposal' }],
    ['minimal', values('Acme', '1200'), { ok: true, args: 'add "Acme" 1200' }],
    ['no customer', values(' ', '1'), { ok: false, errors: { customer: expect.any(String) } }],
    ['quotes', values('Ac"me', '1'), { ok: false, errors: { customer: expect.any(String) } }],
    ['no amount', values('Acme', null), { ok: false, errors: { amount: expect.any(String) } }],
  ])('%s', (_n, v, want) => {
    expect(dealSubmission(v)).toEqual(want);
  });
});

describe('send: Web API errors -> outbox results', () => {
  it.each([
    ['rate limited', new webApi.WebAPIRateLimitedError(7), { ok: false, retryAfterMs: 7000, reason: expect.any(String) }],
    ['user gone', new webApi.WebAPIPlatformError({ ok: false, error: 'account_inactive' }), { ok: false, permanent: 'account_inactive' }],
    ['not in channel', new webApi.WebAPIPlatformError({ ok: false, error: 'not_in_channel' }), { ok: false, permanent: 'not_in_channel' }],
    ['transient', new webApi.WebAPIPlatformError({ ok: false, error: 'internal_error' }), { ok: false, retryAfterMs: 2000, reason: 'internal_error' }],
  ])('%s', (_n, e, want) => {
    expect(failure(e, 1)).toEqual(want);
  });
});

describe('manifest.json', () => {
  const manifest = JSON.parse(readFileSync(new URL('../adapters/slack/manifest.json', import.meta.url), 'utf8'));
  const contract = ['crm', 'customer', 'deal', 'log', 'listen', 'mentions', 'points', 'rewards', 'redeem', 'survey', 'digest'];

  it('declares every contract command, pointing at /slack/events', () => {
    const cmds = manifest.features.slash_commands as { command: string; url: string }[];
    expect(cmds.map((c) => c.command).sort()).toEqual(contract.map((c) => `/${c}`).sort());
    expect(new Set(cmds.map((c) => c.url))).toEqual(new Set(['https://YOUR-HOST/slack/events']));
  });

  it('asks for the scopes and events the adapter uses', () => {
    expect(manifest.oauth_config.scopes.bot.sort()).toEqual(['app_mentions:read', 'channels:history', 'chat:write', 'commands', 'files:write', 'groups:history', 'im:write', 'users:read']);
    expect(manifest.settings.event_subscriptions).toEqual({ request_url: 'https://YOUR-HOST/slack/events', bot_events: ['message.channels', 'message.groups', 'app_mention'] });
    expect(manifest.settings.interactivity).toEqual({ is_enabled: true, request_url: 'https://YOUR-HOST/slack/events' });
  });
});
