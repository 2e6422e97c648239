import type { Reply } from '../../core/index.js';
import { encodeAction, encodeOptionValue, type StoredCallback } from './custom-id.js';

/** Discord message limits (https://discord.com/developers/docs/resources/message#create-message). */
const LIMITS = { content: 2000, fields: 25, fieldName: 256, fieldValue: 1024, embedTotal: 6000, rowButtons: 5, rows: 5, label: 80, options: 25, optionLabel: 100, placeholder: 150 };

export interface Embed {
  fields?: { name: string; value: string }[];
  image?: { url: string };
  footer?: { text: string };
}
export interface Button { type: 2; style: 1; label: string; custom_id: string }
export interface StringSelect { type: 3; custom_id: string; placeholder?: string; options: { label: string; value: string }[] }
export interface ActionRow { type: 1; components: (Button | StringSelect)[] }

export interface MessageBody {
  content: string;
  allowed_mentions: { parse: [] };
  embeds?: Embed[];
  components?: ActionRow[];
  attachments?: { id: number; filename: string }[];
  /** Set by the gateway side to answer a typed command as a reply to it. */
  message_reference?: { message_id: string };
}

export interface RenderedMessage {
  body: MessageBody;
  /** Sent as multipart `files[n]` next to `payload_json`. */
  files: { name: string; contentType: string; data: Buffer }[];
  /** Long button/option values the caller stores before sending (see custom-id.ts). */
  callbacks: StoredCallback[];
}

function cut(s: string, max: number): string {
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}

// Discord rejects empty embed field names and values.
const orBlank = (s: string) => (s.trim() ? s : '\u200b');

const DATA_URL = /^data:(image\/(png|jpeg|gif|webp));base64,([A-Za-z0-9+/]+={0,2})$/;

/** A platform-neutral Reply as a Discord message payload; pure, so every limit is table-tested. */
export function render(reply: Reply): RenderedMessage {
  const callbacks: StoredCallback[] = [];
  const files: RenderedMessage['files'] = [];
  // No @everyone/@here or user pings from CRM text, whatever it contains.
  const body: MessageBody = { content: cut(reply.text, LIMITS.content), allowed_mentions: { parse: [] } };

  const embed: Embed = {};
  if (reply.fields?.length) {
    let budget = LIMITS.embedTotal;
    const fields: { name: string; value: string }[] = [];
    for (const f of reply.fields.slice(0, LIMITS.fields)) {
      const field = { name: orBlank(cut(f.label, LIMITS.fieldName)), value: orBlank(cut(f.value, LIMITS.fieldValue)) };
      budget -= field.name.length + field.value.length;
      if (budget < 100) break;
      fields.push(field);
    }
    embed.fields = fields;
    const hidden = reply.fields.length - fields.length;
    if (hidden > 0) embed.footer = { text: `+${hidden} more not shown` };
  }
  if (reply.image) {
    const data = DATA_URL.exec(reply.image);
    if (data) {
      const name = `chart.${data[2] === 'jpeg' ? 'jpg' : data[2]}`;
      files.push({ name, contentType: data[1]!, data: Buffer.from(data[3]!, 'base64') });
      body.attachments = [{ id: 0, filename: name }];
      embed.image = { url: `attachment://${name}` };
    } else if (reply.image.startsWith('https://')) {
      embed.image = { url: reply.image };
    }
  }
  if (embed.fields || embed.image) body.embeds = [embed];

  const rows: ActionRow[] = [];
  if (reply.choices?.options.length) {
    const { id, placeholder, options } = reply.choices;
    const enc = encodeAction(id, '');
    if (enc.stored) callbacks.push(enc.stored);
    const select: StringSelect = {
      type: 3, custom_id: enc.customId,
      options: options.slice(0, LIMITS.options).map((o) => {
        const v = encodeOptionValue(id, o.value);
        if (v.stored) callbacks.push(v.stored);
        return { label: cut(orBlank(o.label), LIMITS.optionLabel), value: v.value };
      }),
    };
    if (placeholder) select.placeholder = cut(placeholder, LIMITS.placeholder);
    rows.push({ type: 1, components: [select] });
  }
  const buttons = (reply.buttons ?? []).slice(0, (LIMITS.rows - rows.length) * LIMITS.rowButtons);
  for (let i = 0; i < buttons.length; i += LIMITS.rowButtons) {
    rows.push({
      type: 1,
      components: buttons.slice(i, i + LIMITS.rowButtons).map((b) => {
        const enc = encodeAction(b.id, b.value);
        if (enc.stored) callbacks.push(enc.stored);
        return { type: 2, style: 1, label: cut(b.label, LIMITS.label), custom_id: enc.customId };
      }),
    });
  }
  if (rows.length) body.components = rows;
  // Discord refuses a message with nothing in it.
  if (!body.content && !body.embeds && !body.components) body.content = '\u200b';
  return { body, files, callbacks };
}
