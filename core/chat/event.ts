import type { Platform } from '../domain/types.js';

/** What an adapter hands the engine after verifying and normalizing a platform payload. */
export interface ChatEvent {
  platform: Platform;
  /** Platform-side workspace/guild/chat that selects the tenant (Slack team, Discord guild, Telegram chat). */
  scope: string | null;
  /** `timezone`: the IANA zone the platform knows for the person (Slack users.info `tz`); checked before it is kept. */
  actor: { identity: string; displayName: string; locale?: string | null; timezone?: string | null };
  channel: string;
  /** Platform event id for idempotency (Slack event_id, Telegram update_id, ...). */
  eventId: string | null;
  text: string;
  /** Set when the platform delivered a structured command (slash command): name without the slash. */
  command?: { name: string; args: string };
  /** Set for a button press or select choice. */
  action?: { id: string; value: string };
  /** A link to the message where the platform has one. */
  permalink?: string | null;
  /** The platform's own id of the message (Slack channel:ts, Telegram chat:message_id, Discord message id); edits refer to it. */
  messageId?: string | null;
  /** Set when this event edits (`changed`, with the new text) or deletes (`deleted`) the earlier message with the same messageId. */
  edit?: 'changed' | 'deleted';
  /** The platform's own id (same form as messageId) of the message this one replies to: a thread parent or a quoted message. */
  inReplyTo?: string | null;
  occurredAt?: string;
  /** Where the event came from when the platform has no scope (the web chat: its client address); rate limits count it. */
  source?: string | null;
  /** The web chat sign-in session (its hash) the request came with, so `/crm signout` can end it. */
  session?: string | null;
  /**
   * Where the answer goes, as the receiving adapter wrote it down (a Slack response_url, a channel and thread):
   * plain data recorded with the event, so whichever thread or process handles it, a replay included, hands it
   * back to that platform's adapter (`Adapter.answer`), which answers there. The core never reads inside it.
   */
  answer?: Record<string, unknown>;
}
