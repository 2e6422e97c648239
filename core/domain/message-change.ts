import type { Interaction, InteractionEdit } from './types.js';

/**
 * The chat-message fields of a stored interaction, present only when they say something, so interactions
 * that never were platform messages (calls, purchases, imports) keep their plain shape on both engines.
 */
export function messageFields(messageId: string | null | undefined, edits: InteractionEdit[] | null | undefined, deleted: boolean | null | undefined): Pick<Interaction, 'messageId' | 'edits' | 'deleted'> {
  return {
    ...(messageId ? { messageId } : {}),
    ...(edits?.length ? { edits } : {}),
    ...(deleted ? { deleted: true } : {}),
  };
}
