import type { Reply } from '../../core/index.js';
import { encodeAction, randomKey, type StoredCallback } from './callback-data.js';

/** Bot API limits, counted on the visible text (after HTML parsing) in UTF-16 units. */
export const MESSAGE_LIMIT = 4096;
export const CAPTION_LIMIT = 1024;
const PER_ROW = 3;

export interface InlineButton {
  text: string;
  callback_data: string;
}
export type Photo = { url: string } | { bytes: Buffer; filename: string };

/** One Bot API call: sendMessage, or sendPhoto when `photo` is set (then `text` is the caption). */
export interface RenderedMessage {
  /** HTML for parse_mode HTML; every piece of reply text is escaped. */
  text: string;
  photo?: Photo;
  reply_markup?: { inline_keyboard: InlineButton[][] };
}

export interface Rendered {
  messages: RenderedMessage[];
  /** Long button values to store before sending, so the click can find them. */
  callbacks: StoredCallback[];
}

/** A run of text, bold or not; kept unescaped until the end so splitting never cuts a tag or an entity. */
export interface Segment {
  text: string;
  bold?: boolean;
}

export function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function toHtml(segs: Segment[]): string {
  return segs.map((s) => (s.bold && s.text ? `<b>${escapeHtml(s.text)}</b>` : escapeHtml(s.text))).join('');
}

function segments(reply: Reply): Segment[] {
  const out: Segment[] = [];
  const line = (...segs: Segment[]) => {
    if (out.length) out.push({ text: '\n' });
    out.push(...segs);
  };
  if (reply.text) line({ text: reply.text });
  for (const f of reply.fields ?? []) line({ text: f.label, bold: true }, { text: `: ${f.value}` });
  if (reply.choices?.placeholder) line({ text: reply.choices.placeholder });
  return out;
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

/** Cuts into chunks of at most `limit` visible characters, at a line break or space when one is near the end. */
export function splitSegments(segs: Segment[], limit: number): Segment[][] {
  const full = segs.map((s) => s.text).join('');
  const ranges: [number, number][] = [];
  let start = 0;
  while (start < full.length) {
    let end = Math.min(full.length, start + limit);
    let next = end;
    if (end < full.length) {
      const window = full.slice(start, end + 1);
      const nl = window.lastIndexOf('\n');
      const sp = window.lastIndexOf(' ');
      const cut = nl > limit / 2 ? nl : sp > limit / 2 ? sp : -1;
      if (cut >= 0) {
        end = start + cut;
        next = end + 1;
      } else if (isHighSurrogate(full.charCodeAt(end - 1))) {
        end--;
        next = end;
      }
    }
    ranges.push([start, end]);
    start = next;
  }
  return ranges.map(([a, b]) => {
    const chunk: Segment[] = [];
    let at = 0;
    for (const s of segs) {
      const from = Math.max(a, at);
      const to = Math.min(b, at + s.text.length);
      if (from < to) chunk.push({ text: s.text.slice(from - at, to - at), ...(s.bold ? { bold: true } : {}) });
      at += s.text.length;
    }
    return chunk;
  });
}

/** An http(s) URL is sent by reference; a base64 data URL of an image is uploaded. Anything else is no photo. */
export function photoOf(image: string): Photo | null {
  if (/^https?:\/\/\S+$/i.test(image)) return { url: image };
  const m = /^data:image\/(png|jpeg|jpg|gif|webp);base64,([A-Za-z0-9+/=]+)$/i.exec(image);
  if (!m) return null;
  const ext = m[1]!.toLowerCase() === 'jpeg' ? 'jpg' : m[1]!.toLowerCase();
  return { bytes: Buffer.from(m[2]!, 'base64'), filename: `image.${ext}` };
}

function rows<T>(items: T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += PER_ROW) out.push(items.slice(i, i + PER_ROW));
  return out;
}

/**
 * Reply -> Bot API calls: text and `<b>label</b>: value` field lines as escaped HTML split at 4096,
 * an image as sendPhoto (with the text as caption when it fits), buttons and choices as an inline
 * keyboard on the last message.
 */
export function render(reply: Reply, newKey: () => string = randomKey): Rendered {
  const callbacks: StoredCallback[] = [];
  const button = (id: string, label: string, value: string): InlineButton => {
    const { data, stored } = encodeAction(id, value, newKey);
    if (stored) callbacks.push(stored);
    return { text: label, callback_data: data };
  };
  const keyboard = [
    ...rows((reply.buttons ?? []).map((b) => button(b.id, b.label, b.value))),
    ...rows((reply.choices?.options ?? []).map((o) => button(reply.choices!.id, o.label, o.value))),
  ];

  const segs = segments(reply);
  const visible = segs.reduce((n, s) => n + s.text.length, 0);
  const photo = reply.image ? photoOf(reply.image) : null;
  const messages: RenderedMessage[] = [];
  let body = segs;
  if (photo) {
    const captioned = visible <= CAPTION_LIMIT;
    messages.push({ text: captioned ? toHtml(segs) : '', photo });
    if (captioned) body = [];
  }
  for (const chunk of splitSegments(body, MESSAGE_LIMIT)) {
    if (chunk.some((s) => s.text.trim())) messages.push({ text: toHtml(chunk) });
  }
  if (keyboard.length) {
    if (!messages.length) messages.push({ text: 'Choose an option:' });
    messages[messages.length - 1]!.reply_markup = { inline_keyboard: keyboard };
  }
  return { messages, callbacks };
}
