import { z } from 'zod';

/**
 * The parts of Discord payloads the adapter reads. Loose objects: Discord adds fields over time,
 * and unknown ones are ignored rather than rejected.
 */
const snowflake = z.string().regex(/^\d{1,25}$/);

export const userSchema = z.looseObject({
  id: snowflake,
  username: z.string().max(100),
  global_name: z.string().max(100).nullish(),
  bot: z.boolean().optional(),
});

const commandOption: z.ZodType<CommandOption> = z.lazy(() =>
  z.looseObject({
    name: z.string().max(32),
    type: z.number().int(),
    value: z.union([z.string(), z.number(), z.boolean()]).optional(),
    options: z.array(commandOption).optional(),
    focused: z.boolean().optional(),
  }),
);
export interface CommandOption {
  name: string;
  type: number;
  value?: string | number | boolean;
  options?: CommandOption[];
  /** Autocomplete: the option the person is typing in. */
  focused?: boolean;
}

const base = {
  id: snowflake,
  application_id: snowflake,
  token: z.string().min(1).max(500),
  version: z.literal(1),
  guild_id: snowflake.optional(),
  channel_id: snowflake.optional(),
  member: z.looseObject({ user: userSchema, nick: z.string().max(100).nullish() }).optional(),
  user: userSchema.optional(),
  locale: z.string().max(10).optional(),
};

/** Application command data; `resolved.users` holds the users that USER options name. */
const commandData = z.looseObject({
  name: z.string().min(1).max(32),
  type: z.number().int().optional(),
  options: z.array(commandOption).optional(),
  resolved: z.looseObject({ users: z.record(snowflake, userSchema).optional() }).optional(),
});

export const interactionSchema = z.discriminatedUnion('type', [
  z.looseObject({ ...base, type: z.literal(1) }),
  z.looseObject({ ...base, type: z.literal(2), data: commandData }),
  z.looseObject({ ...base, type: z.literal(4), data: commandData }),
  z.looseObject({
    ...base,
    type: z.literal(3),
    data: z.looseObject({ custom_id: z.string().min(1).max(100), component_type: z.number().int(), values: z.array(z.string().max(100)).max(25).optional() }),
    /** The message the component sits on; flags 64 when only the clicker sees it. */
    message: z.looseObject({ id: snowflake, flags: z.number().int().optional() }).optional(),
  }),
]);
export type Interaction = z.infer<typeof interactionSchema>;
export type CommandInteraction = Extract<Interaction, { type: 2 }>;
export type ComponentInteraction = Extract<Interaction, { type: 3 }>;
export type AutocompleteInteraction = Extract<Interaction, { type: 4 }>;

/** A MESSAGE_CREATE gateway dispatch's `d`, or the same fields taken from a discord.js Message. */
export const messageSchema = z.looseObject({
  id: snowflake,
  channel_id: snowflake,
  guild_id: snowflake.nullish(),
  author: userSchema,
  member: z.looseObject({ nick: z.string().max(100).nullish() }).nullish(),
  content: z.string().max(4000),
  timestamp: z.iso.datetime({ offset: true }),
  webhook_id: snowflake.optional(),
  // https://discord.com/developers/docs/resources/message#message-reference-structure (type 0 reply, 1 forward)
  message_reference: z.looseObject({ type: z.number().int().optional(), message_id: snowflake.optional() }).nullish(),
});
export type DiscordMessage = z.infer<typeof messageSchema>;

/**
 * A MESSAGE_UPDATE dispatch's `d` read as a text edit: the author, the new content and when it was edited.
 * An update without them (an embed or unfurl added, a pin, a partial payload) is no text edit and fails here.
 */
export const messageEditSchema = z.looseObject({
  id: snowflake,
  channel_id: snowflake,
  guild_id: snowflake.nullish(),
  author: userSchema,
  content: z.string().max(4000),
  edited_timestamp: z.iso.datetime({ offset: true }),
  webhook_id: snowflake.optional(),
});
export type DiscordMessageEdit = z.infer<typeof messageEditSchema>;

/** A MESSAGE_DELETE dispatch's `d`: which message, nothing about it. */
export const messageDeleteSchema = z.looseObject({
  id: snowflake,
  channel_id: snowflake,
  guild_id: snowflake.nullish(),
});
