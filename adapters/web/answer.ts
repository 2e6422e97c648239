import type { ChatEvent, Engine, Reply } from '../../core/index.js';

/** A queued web request's answer address: the person's inbox, which the page polls (GET /web/api/inbox). */
export const INBOX_ANSWER = { to: 'inbox' };

/** Puts a queued request's answer in the person's inbox, where it is handled; once per reply, whatever the replays. */
export async function answerInInbox(engine: Engine, ev: ChatEvent, replies: Reply[]): Promise<void> {
  await engine.replyToPerson(ev, replies, `web:${ev.eventId}`);
}
