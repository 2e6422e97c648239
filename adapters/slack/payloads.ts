import { z } from 'zod';

/**
 * The Slack payload shapes this adapter reads (https://docs.slack.dev/apis/events-api,
 * .../interactivity/implementing-slash-commands, .../reference/interaction-payloads). Fields we do not read
 * are let through untouched, so Bolt still sees the whole body.
 */
const id = z.string().regex(/^[A-Z0-9][A-Za-z0-9_-]{0,63}$/, 'a Slack id');

export const slashCommandSchema = z.looseObject({
  team_id: id,
  team_domain: z.string().optional(),
  channel_id: id,
  user_id: id,
  user_name: z.string().optional(),
  command: z.string().regex(/^\/[^\s/]{1,32}$/, 'a slash command like /crm'),
  text: z.string().max(4000).default(''),
  response_url: z.url(),
  trigger_id: z.string().min(1).max(200),
});
export type SlashCommand = z.infer<typeof slashCommandSchema>;

export const urlVerificationSchema = z.looseObject({ type: z.literal('url_verification'), challenge: z.string().min(1).max(200) });

export const eventCallbackSchema = z.looseObject({
  type: z.literal('event_callback'),
  team_id: id,
  event_id: z.string().regex(/^Ev[A-Za-z0-9]{1,64}$/, 'an event id like Ev0123'),
  event_time: z.number().int().optional(),
  event: z.looseObject({ type: z.string().min(1) }),
  /** Who the event was delivered for; `is_bot` entries name our bot user (its mention addresses us). */
  authorizations: z.array(z.looseObject({ user_id: id.optional(), is_bot: z.boolean().optional() })).max(10).optional(),
});
export type EventCallback = z.infer<typeof eventCallbackSchema>;

/** Slack tells the app it is dropping events for a while; nothing to do but answer 200. */
const appRateLimitedSchema = z.looseObject({ type: z.literal('app_rate_limited') });
/** Slack's periodic check of the slash-command URL's certificate. */
const sslCheckSchema = z.looseObject({ ssl_check: z.literal('1') });

const ts = z.string().regex(/^\d+\.\d+$/, 'a message ts like 1700000000.000100');

/** The message a `message_changed` event carries, and the one before it. */
const innerMessageSchema = z.looseObject({
  type: z.string().optional(),
  subtype: z.string().optional(),
  user: id.optional(),
  bot_id: z.string().optional(),
  text: z.string().max(40_000).default(''),
  ts,
  thread_ts: ts.optional(),
});

const fileSchema = z.looseObject({ name: z.string().max(1000).optional(), title: z.string().max(1000).optional() });

export const messageEventSchema = z.looseObject({
  type: z.literal('message'),
  subtype: z.string().optional(),
  bot_id: z.string().optional(),
  user: id.optional(),
  text: z.string().max(40_000).default(''),
  channel: id,
  channel_type: z.string().optional(),
  ts,
  thread_ts: ts.optional(),
  files: z.array(fileSchema).max(100).optional(),
  message: innerMessageSchema.optional(),
  previous_message: innerMessageSchema.optional(),
  deleted_ts: ts.optional(),
});
export type MessageEvent = z.infer<typeof messageEventSchema>;

export const appMentionSchema = z.looseObject({
  type: z.literal('app_mention'),
  bot_id: z.string().optional(),
  user: id.optional(),
  text: z.string().max(40_000).default(''),
  channel: id,
  ts,
  thread_ts: ts.optional(),
});
export type AppMention = z.infer<typeof appMentionSchema>;

const user = z.looseObject({ id, username: z.string().optional(), name: z.string().optional(), team_id: id.optional() });

export const blockActionsSchema = z.looseObject({
  type: z.literal('block_actions'),
  team: z.looseObject({ id, domain: z.string().optional() }).nullable().optional(),
  user,
  channel: z.looseObject({ id }).optional(),
  trigger_id: z.string().min(1).max(200),
  response_url: z.url().optional(),
  container: z.looseObject({ message_ts: ts.optional(), thread_ts: ts.optional(), is_ephemeral: z.boolean().optional() }).optional(),
  /** The message the clicked button sits on (absent for ephemeral messages and views). */
  message: z.looseObject({ ts, thread_ts: ts.optional(), blocks: z.array(z.looseObject({ type: z.string() })).max(100).optional() }).optional(),
  actions: z
    .array(z.looseObject({
      action_id: z.string().min(1).max(255),
      type: z.string(),
      value: z.string().max(2000).optional(),
      selected_option: z.looseObject({ value: z.string().max(150) }).nullable().optional(),
    }))
    .min(1),
});
export type BlockActions = z.infer<typeof blockActionsSchema>;

const stateValue = z.looseObject({
  type: z.string(),
  value: z.string().max(3000).nullable().optional(),
  selected_option: z.looseObject({ value: z.string().max(150) }).nullable().optional(),
});

export const viewSubmissionSchema = z.looseObject({
  type: z.literal('view_submission'),
  team: z.looseObject({ id }).nullable().optional(),
  user,
  view: z.looseObject({
    id,
    callback_id: z.string().max(255),
    private_metadata: z.string().max(3000).default(''),
    state: z.looseObject({ values: z.record(z.string(), z.record(z.string(), stateValue)) }),
  }),
});
export type ViewSubmission = z.infer<typeof viewSubmissionSchema>;
export type StateValues = ViewSubmission['view']['state']['values'];

/** Ids and message timestamps as Slack writes them, for the answer addresses too (answer.ts). */
export { id as slackIdSchema, ts as messageTsSchema };

/** Every body `POST /slack/events` accepts; anything else is a 400. The frequent ones first: a union tries them in order, and each miss costs. */
export const incomingSchema = z.union([
  slashCommandSchema, eventCallbackSchema, blockActionsSchema, viewSubmissionSchema,
  urlVerificationSchema, appRateLimitedSchema, sslCheckSchema,
]);
