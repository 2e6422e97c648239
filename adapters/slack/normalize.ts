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

/** A slash command; Slack may redeliver it, and trigger_id stays the same, so it is the event id. */
export function commandEvent(c: SlashCommand): ChatEvent {
  const args = unescapeSlack(c.text).trim();
  return {
    platform: 'slack',
    scope: c.team_id,
    actor: { identity: slackIdentity(c.team_id, c.user_id), displayName: c.user_name ?? c.user_id },
    channel: c.channel_id,
    eventId: `cmd:${c.trigger_id}`,
    text: `${c.command} ${args}`.trim(),
    command: { name: c.command.slice(1).toLowerCase(), args },
  };
}

/** A person's message in a channel (the name is the user id until users.info says better); bots, edits, joins and other subtypes are not conversation. */
export function messageEvent(env: EventCallback, m: MessageEvent): ChatEvent | null {
  if (m.subtype || m.bot_id || !m.user) return null;
  if (m.channel_type && m.channel_type !== 'channel' && m.channel_type !== 'group') return null;
  return postEvent(env, m.user, m.channel, m.ts, unescapeSlack(m.text));
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

const LEADING_MENTION = /^\s*<@[UW][A-Z0-9]+(?:\|[^>]*)?>[\s:,]*/;

/**
 * `@crm deal list` or `@crm /deal list` -> the command. A mention that is not a command is left to the
 * `message` event Slack sends for the same post, so the post is stored once.
 */
export function mentionEvent(env: EventCallback, m: AppMention, isCommand: (name: string) => boolean): ChatEvent | null {
  if (m.bot_id || !m.user) return null;
  const rest = unescapeSlack(m.text.replace(LEADING_MENTION, '')).trim();
  const first = /^\/?([a-z][a-z0-9_-]{0,31})(?=\s|$)/i.exec(rest);
  if (!first || !isCommand(first[1]!.toLowerCase())) return null;
  return postEvent(env, m.user, m.channel, m.ts, rest.startsWith('/') ? rest : `/${rest}`);
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
    actor: { identity: slackIdentity(team, p.user.id), displayName: p.user.name ?? p.user.username ?? p.user.id },
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
    actor: { identity: slackIdentity(team, p.user.id), displayName: p.user.name ?? p.user.username ?? p.user.id },
    channel: p.view.private_metadata || 'slack',
    eventId: `view:${p.view.id}`,
    text: `/${command.name} ${command.args}`,
    command,
  };
}
