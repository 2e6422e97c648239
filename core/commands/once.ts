import type { Reply } from '../chat/reply.js';
import type { IdempotencyRepo } from '../store/port.js';

const DAY_MS = 86_400_000;
/** Records of event ids belong to no person (erasure has nothing to find) and fingerprint nothing of the command line. */
const NOBODY = '';
const ANY_LINE = '';

/**
 * The idempotency key of one inbound event's command. The space keeps it apart from every `Idempotency-Key`
 * a web client may send (those are printable ASCII without spaces).
 */
export function commandEventKey(sourceEventId: string): string {
  return `event ${sourceEventId}`;
}

/**
 * Runs the command of one inbound event to completion at most once, marked done by its event id, so replaying
 * an event whose first run finished (the process died before the inbox heard) runs nothing again. The answer is
 * not kept, as answers carry one-time codes and personal data: such a replay answers nothing. A run that began
 * and never finished (the process died inside it) runs again; what it already wrote is keyed by the event id
 * where the command can (a logged note).
 */
export async function commandOnce(repo: IdempotencyRepo, sourceEventId: string, now: string, run: () => Promise<Reply[]>): Promise<Reply[]> {
  const key = commandEventKey(sourceEventId);
  const begun = await repo.begin(NOBODY, key, ANY_LINE, now, new Date(Date.parse(now) - DAY_MS).toISOString());
  if (begun.state === 'done') return [];
  // 'running' is a run whose process died (only a replay, holding the inbox lease, gets this far twice): it runs again.
  let replies: Reply[];
  try {
    replies = await run();
  } catch (e) {
    // Nothing was finished: a later delivery of the event may try again.
    await repo.abandon(NOBODY, key);
    throw e;
  }
  await repo.finish(NOBODY, key, 200, null);
  return replies;
}

