import { z } from 'zod';

/**
 * The parts of a Telegram Update (https://core.telegram.org/bots/api#update) the adapter reads.
 * Unknown keys are dropped, so new Bot API fields never make a valid update fail.
 */
const user = z.object({
  id: z.number().int(),
  is_bot: z.boolean(),
  first_name: z.string(),
  last_name: z.string().optional(),
  username: z.string().optional(),
  language_code: z.string().optional(),
});

const chat = z.object({
  id: z.number().int(),
  type: z.enum(['private', 'group', 'supergroup', 'channel']),
  title: z.string().optional(),
  username: z.string().optional(),
  first_name: z.string().optional(),
  last_name: z.string().optional(),
});

const message = z.object({
  message_id: z.number().int(),
  date: z.number().int(),
  chat,
  from: user.optional(),
  /** Set when the message was sent on behalf of a chat: an anonymous group admin (the group itself) or a channel. */
  sender_chat: chat.optional(),
  is_automatic_forward: z.boolean().optional(),
  message_thread_id: z.number().int().optional(),
  is_topic_message: z.boolean().optional(),
  business_connection_id: z.string().optional(),
  edit_date: z.number().int().optional(),
  text: z.string().optional(),
  caption: z.string().optional(),
  /** The message this one replies to (only its id is read). */
  reply_to_message: z.object({ message_id: z.number().int() }).optional(),
});

const callbackQuery = z.object({
  id: z.string().min(1),
  from: user,
  // Absent for buttons under inline-mode messages; an "inaccessible message" (date 0) when too old.
  message: z.object({ message_id: z.number().int(), date: z.number().int(), chat }).optional(),
  data: z.string().optional(),
});

const chatMemberUpdated = z.object({
  chat,
  from: user,
  date: z.number().int(),
  old_chat_member: z.object({ status: z.string() }),
  new_chat_member: z.object({ status: z.string() }),
});

/** A business account's chat lost messages (https://core.telegram.org/bots/api#businessmessagesdeleted). */
const businessMessagesDeleted = z.object({
  business_connection_id: z.string().min(1),
  chat,
  message_ids: z.array(z.number().int()).min(1).max(1000),
});

export const updateSchema = z.object({
  update_id: z.number().int().nonnegative(),
  message: message.optional(),
  edited_message: message.optional(),
  channel_post: message.optional(),
  edited_channel_post: message.optional(),
  business_message: message.optional(),
  edited_business_message: message.optional(),
  callback_query: callbackQuery.optional(),
  my_chat_member: chatMemberUpdated.optional(),
  deleted_business_messages: businessMessagesDeleted.optional(),
});

export type Update = z.infer<typeof updateSchema>;
export type TelegramUser = z.infer<typeof user>;
export type TelegramMessage = z.infer<typeof message>;
export type CallbackQuery = z.infer<typeof callbackQuery>;
export type ChatMemberUpdated = z.infer<typeof chatMemberUpdated>;
export type BusinessMessagesDeleted = z.infer<typeof businessMessagesDeleted>;

/**
 * The update types the bot asks for, in polling and in setWebhook alike: exactly those it handles.
 * Channel posts are not asked for (they never become conversation); if one arrives anyway it is ignored.
 */
export const ALLOWED_UPDATES = [
  'message', 'edited_message', 'business_message', 'edited_business_message', 'deleted_business_messages', 'callback_query', 'my_chat_member',
] as const;

export function parseUpdate(raw: unknown): { ok: true; update: Update } | { ok: false; error: string } {
  const r = updateSchema.safeParse(raw);
  if (r.success) return { ok: true, update: r.data };
  return { ok: false, error: r.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; ') };
}
