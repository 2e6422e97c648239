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
 * Group commit of new interactions on MongoDB: those added within the same millisecond are inserted, with their
 * events, in one transaction of bulk writes (their ids taken in one counter step, the interactions in one insert,
 * their events in another). If that transaction fails, each is retried in a transaction of its own, so one bad
 * write (a duplicate event id, an event that cannot be described) fails alone.
 */
export function mongoInteractionBatch({ m, txn, tenant, nextIds, withEventsOfAll }: Scope): (w: NewWrite) => Promise<Added> {
  const insert = async (writes: NewWrite[], session: ClientSession): Promise<Added[]> => {
    const first = await nextIds('interaction', writes.length, session);
    const added = writes.map(({ input }, i) => ({ interaction: { ...input, tenant, id: first + i }, created: true as const }));
    await m.Interaction.insertMany(added.map((a) => interactionDoc(a.interaction)), { session });
    return withEventsOfAll(added.map((fact, i) => ({ fact, events: writes[i]!.events })), session);
  };
  const group = new GroupCommit<NewWrite, Added>({ windowMs: 1, maxItems: 128 }, async (writes) => {
    try {
      const added = await txn((session) => insert(writes, session));
      return added.map((value) => ({ ok: true, value }));
    } catch {
      const outcomes: ItemOutcome<Added>[] = [];
      for (const w of writes) outcomes.push(await txn(async (session) => (await insert([w], session))[0]!).then((value) => ({ ok: true as const, value }), (error: unknown) => ({ ok: false as const, error })));
      return outcomes;
    }
  });
  return (w) => group.add(w);
}
