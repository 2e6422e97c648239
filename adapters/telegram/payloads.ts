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
});

const message = z.object({
  message_id: z.number().int(),
  date: z.number().int(),
  chat,
  from: user.optional(),
  text: z.string().optional(),
  caption: z.string().optional(),
});

const callbackQuery = z.object({
  id: z.string().min(1),
  from: user,
  // Absent for buttons under inline-mode messages; may be an "inaccessible message" (date 0) otherwise.
  message: z.object({ message_id: z.number().int(), chat }).optional(),
  data: z.string().optional(),
});

const chatMemberUpdated = z.object({
  chat,
  from: user,
  date: z.number().int(),
  old_chat_member: z.object({ status: z.string() }),
  new_chat_member: z.object({ status: z.string() }),
});

export const updateSchema = z.object({
  update_id: z.number().int().nonnegative(),
  message: message.optional(),
  callback_query: callbackQuery.optional(),
  my_chat_member: chatMemberUpdated.optional(),
});

export type Update = z.infer<typeof updateSchema>;
export type TelegramUser = z.infer<typeof user>;
export type TelegramChat = z.infer<typeof chat>;
export type TelegramMessage = z.infer<typeof message>;
export type CallbackQuery = z.infer<typeof callbackQuery>;

/** The update types the bot asks for, in polling and in setWebhook alike. */
export const ALLOWED_UPDATES = ['message', 'callback_query', 'my_chat_member'] as const;

export function parseUpdate(raw: unknown): { ok: true; update: Update } | { ok: false; error: string } {
  const r = updateSchema.safeParse(raw);
  if (r.success) return { ok: true, update: r.data };
  return { ok: false, error: r.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; ') };
}
