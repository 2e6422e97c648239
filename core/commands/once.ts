import { createHash } from 'node:crypto';
import type { Reply } from '../chat/reply.js';
import type { IdempotencyRepo } from '../store/port.js';

const DAY_MS = 86_400_000;

/**
 * The idempotency key of one inbound event's command. The space keeps it apart from every `Idempotency-Key`
 * a web client may send (those are printable ASCII without spaces).
 */
export function commandEventKey(sourceEventId: string): string {
  return `event ${sourceEventId}`;
}

/**
 * Runs the command of one inbound event to completion at most once: its replies are kept under the event's
 * key, so replaying an event whose first run finished (the process died before the inbox heard) runs nothing
 * again and answers the same. A run that began and never finished (the process died inside it) runs again;
 * what it already wrote is keyed by the event id where the command can (a logged note).
 */
export async function commandOnce(
  repo: IdempotencyRepo, identity: string, sourceEventId: string, line: string, now: string, run: () => Promise<Reply[]>,
): Promise<Reply[]> {
  const key = commandEventKey(sourceEventId);
  const fingerprint = createHash('sha256').update(line).digest('hex');
  const begun = await repo.begin(identity, key, fingerprint, now, new Date(Date.parse(now) - DAY_MS).toISOString());
  if (begun.state === 'done') return begun.body as Reply[];
  // The same event id with another command line is not this event: nothing to run, nothing to say.
  if (begun.state === 'mismatch') return [];
  // 'running' is a run whose process died (only a replay, holding the inbox lease, gets this far twice): it runs again.
  let replies: Reply[];
  try {
    replies = await run();
  } catch (e) {
    // Nothing to answer from: a later delivery of the event may try again.
    await repo.abandon(identity, key);
    throw e;
  }
  await repo.finish(identity, key, 200, replies);
  return replies;
}
