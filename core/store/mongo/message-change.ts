import type { MessageChange } from '../../domain/types.js';
import { trusted } from './filters.js';

type Stage = Record<string, unknown>;

/** Which interactions a platform edit applies to: the live (not deleted) messages with that id in the tenant. */
export function messageChangeFilter(tenant: string, messageId: string): Record<string, unknown> {
  return { tenant, messageId, deleted: trusted({ $ne: true }) };
}

/**
 * The update pipeline for one edit. Run as a pipeline so the previous text is read and appended in one atomic
 * step; the new text goes in as `$literal` so a message reading `$text` stays text, never a field path.
 */
export function messageChangeUpdate(change: MessageChange): Stage[] {
  if (change.kind === 'deleted') return [{ $set: { text: '', edits: [], deleted: true } }];
  return [{
    $set: {
      text: { $literal: change.text },
      edits: { $concatArrays: [{ $ifNull: ['$edits', []] }, [{ text: '$text', at: { $literal: change.at } }]] },
    },
  }];
}
