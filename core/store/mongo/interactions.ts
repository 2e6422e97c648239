import type { InteractionRepo } from '../port.js';
import { isDuplicateOn } from './duplicate-key.js';
import { messageChangeFilter, messageChangeUpdate } from './message-change.js';
import { interactionDoc, toInteraction, type Doc } from './codecs.js';
import { countByTypePipeline } from './pipelines.js';
import type { Scope } from './scope.js';
import { mongoInteractionBatch } from './interaction-batch.js';

/** Interactions: stored once per platform event, followed through edits and withdrawals. */
export function mongoInteractions(scope: Scope): InteractionRepo {
  const { m, tenant } = scope;
  const addNew = mongoInteractionBatch(scope);
  return {
    add: async (input, events) => {
      if (input.sourceEventId) {
        const existing = await m.Interaction.findOne({ tenant, sourceEventId: input.sourceEventId }).lean();
        if (existing) return { interaction: toInteraction(existing as Doc), created: false };
      }
      try {
        return await addNew({ input, events });
      } catch (e) {
        if (!input.sourceEventId || !isDuplicateOn(e, { tenant: 1, sourceEventId: 1 })) throw e;
        const existing = await m.Interaction.findOne({ tenant, sourceEventId: input.sourceEventId }).lean();
        return { interaction: toInteraction(existing as Doc), created: false };
      }
    },
    listForCustomer: async (customerId, limit) =>
      ((await m.Interaction.find({ tenant, customerId }).sort({ occurredAt: -1, id: -1 }).limit(limit).lean()) as Doc[]).map(toInteraction),
    countByType: async (customerId) => {
      const rows = (await m.Interaction.aggregate(countByTypePipeline(tenant, customerId) as any[])) as { _id: string; n: number }[];
      return Object.fromEntries(rows.map((r) => [r._id, r.n]));
    },
    applyMessageChange: async (messageId, change) =>
      (await m.Interaction.updateMany(messageChangeFilter(tenant, messageId), messageChangeUpdate(change) as any[], { updatePipeline: true })).modifiedCount,
    withdraw: async (sourceEventId) =>
      (await m.Interaction.deleteOne({ tenant, sourceEventId: String(sourceEventId) })).deletedCount > 0,
  };
}
