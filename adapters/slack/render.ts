import { createHash } from 'node:crypto';
import type { types } from '@slack/bolt';
import type { Reply } from '../../core/index.js';

type KnownBlock = types.KnownBlock;
type ActionsBlock = types.ActionsBlock;

/** Block Kit limits (https://docs.slack.dev/reference/block-kit/blocks). */
const LIMIT = {
  sectionText: 3000, fieldText: 2000, fieldsPerSection: 10, elementsPerActions: 25, buttonLabel: 75, optionValue: 150, options: 100, blocks: 50, fallback: 3000,
} as const;

export interface SlackMessage {
  /** Notification / screen-reader fallback; Slack shows the blocks. */
  text: string;
  blocks: KnownBlock[];
}

/** A data: URL image cannot be a Block Kit image; it is uploaded as a file instead. */
export interface Upload {
  filename: string;
  data: Buffer;
  altText: string;
}

export interface Rendered {
  message: SlackMessage;
  upload: Upload | null;
  /** Select option values too long for Slack, by the short key put in their place. */
  stash: Record<string, string>;
}

/** Slack's mrkdwn control characters; escaping them keeps user text from becoming links or mentions. */
export function escapeMrkdwn(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Cuts escaped text into pieces of at most `max`, never inside an `&amp;`-style entity. */
export function splitEscaped(s: string, max: number): string[] {
  const out: string[] = [];
  let i = 0;
  while (i < s.length) {
    let end = Math.min(i + max, s.length);
    const amp = s.lastIndexOf('&', end - 1);
    if (end < s.length && amp > i && amp > end - 5 && s.indexOf(';', amp) >= end) end = amp;
    out.push(s.slice(i, end));
    i = end;
  }
  return out;
}

function clip(escaped: string, max: number): string {
  return escaped.length <= max ? escaped : `${splitEscaped(escaped, max - 1)[0]}…`;
}

function plain(s: string, max: number): types.PlainTextElement {
  return { type: 'plain_text', text: s.length <= max ? s : `${s.slice(0, max - 1)}…`, emoji: true };
}

/** Keeps a button's reply id in action_id (plus its index, which Slack wants unique) and its value in value. */
export function encodeActionId(id: string, index: number | 'choice'): string {
  return `${id}#${index}`;
}

export function decodeActionId(actionId: string): string {
  const i = actionId.lastIndexOf('#');
  return i > 0 ? actionId.slice(0, i) : actionId;
}

export function stashKey(value: string): string {
  return `~${createHash('sha256').update(value).digest('base64url').slice(0, 32)}`;
}

function upload(image: string): Upload | null {
  const m = /^data:(image\/(png|jpeg|gif|webp));base64,([A-Za-z0-9+/=\s]+)$/.exec(image);
  if (!m) return null;
  const ext = m[2] === 'jpeg' ? 'jpg' : m[2]!;
  return { filename: `chart.${ext}`, data: Buffer.from(m[3]!, 'base64'), altText: 'Chart' };
}

function fallbackText(reply: Reply): string {
  const lines = [reply.text, ...(reply.fields ?? []).map((f) => `${f.label}: ${f.value}`)].filter(Boolean);
  return clip(escapeMrkdwn(lines.join('\n')), LIMIT.fallback) || 'Chart';
}

/** Reply -> Block Kit: text sections, field sections (10 a section), buttons and a select, image or upload. */
export function render(reply: Reply): Rendered {
  const blocks: KnownBlock[] = [];
  const stash: Record<string, string> = {};
  for (const piece of splitEscaped(escapeMrkdwn(reply.text), LIMIT.sectionText)) {
    if (piece.trim()) blocks.push({ type: 'section', text: { type: 'mrkdwn', text: piece } });
  }
  const fields = reply.fields ?? [];
  for (let i = 0; i < fields.length; i += LIMIT.fieldsPerSection) {
    blocks.push({
      type: 'section',
      fields: fields.slice(i, i + LIMIT.fieldsPerSection).map((f) => ({
        type: 'mrkdwn' as const,
        text: clip(`*${escapeMrkdwn(f.label)}*\n${escapeMrkdwn(f.value)}`, LIMIT.fieldText),
      })),
    });
  }
  const buttons = reply.buttons ?? [];
  for (let i = 0; i < buttons.length; i += LIMIT.elementsPerActions) {
    const elements: ActionsBlock['elements'] = buttons.slice(i, i + LIMIT.elementsPerActions).map((b, j) => ({
      type: 'button' as const,
      action_id: encodeActionId(b.id, i + j),
      text: plain(b.label, LIMIT.buttonLabel),
      ...(b.value ? { value: b.value } : {}),
    }));
    blocks.push({ type: 'actions', elements });
  }
  if (reply.choices && reply.choices.options.length) {
    const options = reply.choices.options.slice(0, LIMIT.options).map((o) => {
      let value = o.value;
      if (value.length > LIMIT.optionValue) {
        value = stashKey(o.value);
        stash[value] = o.value;
      }
      return { text: plain(o.label, LIMIT.buttonLabel), value };
    });
    blocks.push({
      type: 'actions',
      elements: [{ type: 'static_select', action_id: encodeActionId(reply.choices.id, 'choice'), placeholder: plain(reply.choices.placeholder || 'Choose', 150), options }],
    });
  }
  let file: Upload | null = null;
  if (reply.image) {
    if (/^https?:\/\//.test(reply.image)) blocks.push({ type: 'image', image_url: reply.image, alt_text: 'Chart' });
    else file = upload(reply.image);
  }
  return { message: { text: fallbackText(reply), blocks: blocks.slice(0, LIMIT.blocks) }, upload: file, stash };
}

/**
 * The clicked message once the click is handled: what it said stays, its buttons and selects give way to the
 * outcome and who chose it, so nobody clicks a settled question again.
 */
export function settled(original: { type: string }[] | undefined, outcome: string, user: string): SlackMessage {
  const kept = (original ?? []).filter((b) => b.type !== 'actions') as KnownBlock[];
  const line: KnownBlock = { type: 'context', elements: [{ type: 'mrkdwn', text: clip(`${escapeMrkdwn(outcome)} — <@${user}>`, LIMIT.sectionText) }] };
  return { text: clip(escapeMrkdwn(outcome), LIMIT.fallback) || 'Done', blocks: [...kept.slice(0, LIMIT.blocks - 1), line] };
}
