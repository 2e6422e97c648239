import type { OutboxItem, OutboxQueue } from '../store/port.js';

/**
 * The parts of a reply a sender delivers in several platform calls (a split message, a message and its
 * chart upload): which already went out, and a way to record one durably before making the next call.
 */
export interface Parts {
  has(part: string): boolean;
  /** Records a delivered part (with the platform's id for it, if any); throws when the item's lease was lost. */
  delivered(part: string, ref?: string): Promise<void>;
}

/** The item's part log in the store, written only while `holder` holds its lease. */
export function storedParts(queue: OutboxQueue, item: OutboxItem, holder: string): Parts {
  const done = new Set(Object.keys(item.parts ?? {}));
  return {
    has: (part) => done.has(part),
    delivered: async (part, ref) => {
      if (!(await queue.markPart(item.id, holder, part, ref ?? null))) throw new Error(`outbox item ${item.id} is no longer leased to ${holder}`);
      done.add(part);
    },
  };
}

/** For a send outside the outbox (a direct answer): nothing delivered yet, nothing to remember. */
export function untrackedParts(): Parts {
  return { has: () => false, delivered: async () => {} };
}
