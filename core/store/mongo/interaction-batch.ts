import type { ClientSession } from 'mongoose';
import type { Interaction, NewInteraction } from '../../domain/types.js';
import { GroupCommit, type ItemOutcome } from '../group-commit.js';
import type { EventsOf } from '../port.js';
import { interactionDoc } from './codecs.js';
import type { Scope } from './scope.js';

type Added = { interaction: Interaction; created: true };
interface NewWrite {
  input: NewInteraction;
  events?: EventsOf<{ interaction: Interaction; created: boolean }>;
}

/**
 * Group commit of new interactions on MongoDB: those added within the same millisecond are inserted,
 * with their events, in one transaction. If that transaction fails, each is retried in a transaction of its
 * own, so one bad write (a duplicate event id, an event that cannot be described) fails alone.
 */
export function mongoInteractionBatch({ m, txn, tenant, nextId, withEvents }: Scope): (w: NewWrite) => Promise<Added> {
  const insert = async ({ input, events }: NewWrite, session: ClientSession): Promise<Added> => {
    const id = await nextId('interaction', tenant, session);
    await m.Interaction.create([interactionDoc({ ...input, tenant, id })], { session });
    return withEvents({ interaction: { ...input, tenant, id }, created: true as const }, events, session);
  };
  const group = new GroupCommit<NewWrite, Added>({ windowMs: 1, maxItems: 128 }, async (writes) => {
    try {
      const added = await txn(async (session) => {
        const out: Added[] = [];
        for (const w of writes) out.push(await insert(w, session));
        return out;
      });
      return added.map((value) => ({ ok: true, value }));
    } catch {
      const outcomes: ItemOutcome<Added>[] = [];
      for (const w of writes) outcomes.push(await txn((session) => insert(w, session)).then((value) => ({ ok: true as const, value }), (error: unknown) => ({ ok: false as const, error })));
      return outcomes;
    }
  });
  return (w) => group.add(w);
}
