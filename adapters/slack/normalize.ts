import type { ChatEvent } from '../../core/index.js';
import type { AppMention, BlockActions, EventCallback, MessageEvent, SlashCommand, ViewSubmission } from './payloads.js';
import { decodeActionId } from './render.js';

export function slackIdentity(team: string, user: string): string {
  return `slack:${team}:${user}`;
}

/** Slack escapes these three in the text it sends (https://docs.slack.dev/messaging/formatting-message-text). */
export function unescapeSlack(s: string): string {
  return s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

function at(ts: string): string {
  return new Date(Math.round(Number(ts) * 1000)).toISOString();
}

/** A slash command; Slack may redeliver it, and trigger_id stays the same, so it is the event id. The name comes from users.info later, never the deprecated `user_name`. */
export function commandEvent(c: SlashCommand): ChatEvent {
  const args = unescapeSlack(c.text).trim();
  return {
    platform: 'slack',
    scope: c.team_id,
    actor: { identity: slackIdentity(c.team_id, c.user_id), displayName: c.user_id },
    channel: c.channel_id,
    eventId: `cmd:${c.trigger_id}`,
    text: `${c.command} ${args}`.trim(),
    command: { name: c.command.slice(1).toLowerCase(), args },
  };
}

/** Subtypes a person posts (https://docs.slack.dev/reference/events/message#subtypes); every other subtype is a bot, an app or the system. */
const HUMAN_SUBTYPES = new Set(['thread_broadcast', 'file_share', 'me_message']);

/** A shared file is part of what was said: its name goes under the text. */
function withFiles(text: string, files: MessageEvent['files']): string {
  const names = (files ?? []).map((f) => f.name || f.title).filter((n): n is string => Boolean(n));
  return [text, ...names.map((n) => `[file: ${n}]`)].filter(Boolean).join('\n');
}

/** Slack's own id of a message: the channel and its ts. */
export function slackMessageId(channel: string, ts: string): string {
  return `${channel}:${ts}`;
}

/**
 * A person's message in a channel (the name is the user id until users.info says better), or their edit or
 * deletion of one. Bots, apps and system subtypes (joins, topic changes, ...) are not conversation; neither
 * is an edit that leaves the text as it was (Slack sends those when a link unfurls or a thread gets a reply).
 */
export function messageEvent(env: EventCallback, m: MessageEvent): ChatEvent | null {
  if (m.bot_id) return null;
  if (m.channel_type && m.channel_type !== 'channel' && m.channel_type !== 'group') return null;
  if (m.subtype === 'message_changed') {
    const now = m.message;
    if (!now?.user || now.bot_id || (now.subtype && !HUMAN_SUBTYPES.has(now.subtype))) return null;
    if (m.previous_message && m.previous_message.text === now.text) return null;
    return { ...postEvent(env, now.user, m.channel, m.ts, unescapeSlack(now.text)), messageId: slackMessageId(m.channel, now.ts), edit: 'changed' };
  }
  if (m.subtype === 'message_deleted') {
    const gone = m.deleted_ts ?? m.previous_message?.ts;
    if (!gone) return null;
    // Slack does not always say whose message it was; the engine needs only which message.
    return { ...postEvent(env, m.previous_message?.user ?? 'USLACKBOT', m.channel, m.ts, ''), messageId: slackMessageId(m.channel, gone), edit: 'deleted' };
  }
  if ((m.subtype && !HUMAN_SUBTYPES.has(m.subtype)) || !m.user) return null;
  // A thread reply carries its parent's ts in thread_ts (the parent itself has thread_ts === ts).
  const inReplyTo = m.thread_ts && m.thread_ts !== m.ts ? slackMessageId(m.channel, m.thread_ts) : null;
  return { ...postEvent(env, m.user, m.channel, m.ts, withFiles(unescapeSlack(m.text), m.files)), messageId: slackMessageId(m.channel, m.ts), ...(inReplyTo ? { inReplyTo } : {}) };
}

/** A post by a person in a channel, from an `event_callback` envelope. */
function postEvent(env: EventCallback, user: string, channel: string, ts: string, text: string): ChatEvent {
  return {
    platform: 'slack',
    scope: env.team_id,
    actor: { identity: slackIdentity(env.team_id, user), displayName: user },
    channel,
    eventId: env.event_id,
    text,
    permalink: null,
    occurredAt: at(ts),
  };
}

const LEADING_MENTION = /^\s*<@([UW][A-Z0-9]+)(?:\|[^>]*)?>[\s:,]*/;

/**
 * `<@bot> deal list` or `<@bot> /deal list` -> `/deal list` when `deal` is a command; null for anything else.
 * `bots` limits which leading mention counts (empty: any, as in an app_mention, which is addressed to us).
 */
export function addressedCommand(text: string, isCommand: (name: string) => boolean, bots: string[] = []): string | null {
  const lead = LEADING_MENTION.exec(text);
  if (!lead || (bots.length && !bots.includes(lead[1]!))) return null;
  const rest = unescapeSlack(text.slice(lead[0].length)).trim();
  const first = /^\/?([a-z][a-z0-9_-]{0,31})(?=\s|$)/i.exec(rest);
  if (!first || !isCommand(first[1]!.toLowerCase())) return null;
  return rest.startsWith('/') ? rest : `/${rest}`;
}

/** Our bot's user ids in this workspace, from the envelope's authorizations. */
export function botUserIds(env: EventCallback): string[] {
  return (env.authorizations ?? []).filter((a) => a.is_bot && a.user_id).map((a) => a.user_id!);
}

/**
 * `@crm deal list` or `@crm /deal list` -> the command. A mention that is not a command is left to the
 * `message` event Slack sends for the same post, so the post is stored once.
 */
export function mentionEvent(env: EventCallback, m: AppMention, isCommand: (name: string) => boolean): ChatEvent | null {
  if (m.bot_id || !m.user) return null;
  const line = addressedCommand(m.text, isCommand);
  return line ? postEvent(env, m.user, m.channel, m.ts, line) : null;
}

/** A button click or select choice, decoded back to the reply's `{id, value}` (a stashed value still keyed). */
export function actionEvent(p: BlockActions): ChatEvent | null {
  const team = p.team?.id ?? p.user.team_id;
  const a = p.actions[0]!;
  if (!team) return null;
  const raw = a.type === 'static_select' ? a.selected_option?.value : a.value;
  return {
    platform: 'slack',
    scope: team,
    actor: { identity: slackIdentity(team, p.user.id), displayName: p.user.id },
    channel: p.channel?.id ?? 'slack',
    eventId: `act:${p.trigger_id}`,
    text: '',
    action: { id: decodeActionId(a.action_id), value: raw ?? '' },
  };
}

/** A submitted modal, as the command line it stands for; the view id makes a resubmission a duplicate. */
export function submissionEvent(p: ViewSubmission, command: { name: string; args: string }): ChatEvent | null {
  const team = p.team?.id ?? p.user.team_id;
  if (!team) return null;
  return {
    platform: 'slack',
    scope: team,
    actor: { identity: slackIdentity(team, p.user.id), displayName: p.user.id },
    channel: p.view.private_metadata || 'slack',
    eventId: `view:${p.view.id}`,
    text: `/${command.name} ${command.args}`,
    command,
  };
}
