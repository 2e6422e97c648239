import { Schema, type Connection } from 'mongoose';

/** Schemas with their indexes; uniqueness is what makes ingest, ticks and the outbox idempotent. */
const { Mixed } = Schema.Types;
const opts = { versionKey: false, minimize: false, strictQuery: 'throw' } as const;

/**
 * The inbound event whose command created a customer, deal or case: unique per tenant where present, so a command
 * replayed after a crash finds its record instead of creating a second one.
 */
const sourceEventId = { type: String, default: undefined };
const sourceKeyIndex = (schema: Schema) =>
  schema.index({ tenant: 1, sourceEventId: 1 }, { unique: true, partialFilterExpression: { sourceEventId: { $type: 'string' } } });

const counter = new Schema({ tenant: String, name: String, value: Number }, opts);
counter.index({ tenant: 1, name: 1 }, { unique: true });

const customer = new Schema({
  tenant: { type: String, required: true }, id: { type: Number, required: true }, name: String, nameLc: String,
  company: { type: String, default: null }, emails: [String], phones: [String], tags: [String],
  owner: { type: String, default: null }, lifecycle: String, consent: Mixed, mergedInto: { type: Number, default: null },
  createdAt: Date, updatedAt: Date, sourceEventId,
}, opts);
customer.index({ tenant: 1, id: 1 }, { unique: true });
// Equality, then the order lookups read in (id): the planner never has to choose between filtering and sorting.
customer.index({ tenant: 1, nameLc: 1, id: 1 });
sourceKeyIndex(customer);

const identity = new Schema({
  tenant: { type: String, required: true }, identity: { type: String, required: true }, platform: String,
  displayName: String, role: String, customerId: { type: Number, default: null }, verified: Boolean,
  locale: { type: String, default: null }, timezone: { type: String, default: null }, reachable: Boolean,
  lastSeenAt: Date, createdAt: Date,
}, opts);
identity.index({ tenant: 1, identity: 1 }, { unique: true });
identity.index({ tenant: 1, customerId: 1, identity: 1 });

const interaction = new Schema({
  tenant: { type: String, required: true }, id: { type: Number, required: true }, customerId: Number,
  identity: { type: String, default: null }, type: String, channel: String, direction: String, text: String,
  amountMinor: { type: Number, default: null }, currency: { type: String, default: null }, occurredAt: Date,
  sourceEventId: { type: String, default: null },
  messageId: { type: String, default: null }, edits: { type: Mixed, default: undefined }, deleted: { type: Boolean, default: undefined },
}, opts);
interaction.index({ tenant: 1, id: 1 }, { unique: true });
interaction.index({ tenant: 1, messageId: 1 }, { partialFilterExpression: { messageId: { $type: 'string' } } });
interaction.index({ tenant: 1, sourceEventId: 1 }, { unique: true, partialFilterExpression: { sourceEventId: { $type: 'string' } } });
interaction.index({ tenant: 1, customerId: 1, occurredAt: -1 });
interaction.index({ tenant: 1, type: 1, customerId: 1, occurredAt: 1 });

const deal = new Schema({
  tenant: { type: String, required: true }, id: { type: Number, required: true }, customerId: Number, title: String,
  amountMinor: Number, currency: String, stage: String, probability: Number, owner: String,
  expectedClose: { type: String, default: null }, closedAt: { type: Date, default: null },
  lostReason: { type: String, default: null }, history: Mixed, createdAt: Date, updatedAt: Date, sourceEventId,
}, opts);
deal.index({ tenant: 1, id: 1 }, { unique: true });
sourceKeyIndex(deal);
deal.index({ tenant: 1, stage: 1, id: 1 });
deal.index({ tenant: 1, customerId: 1, id: 1 });
deal.index({ tenant: 1, owner: 1, id: 1 });

const merge = new Schema({
  tenant: String, id: Number, fromId: Number, intoId: Number, identities: [String], interactionIds: [Number],
  dealIds: [Number], by: String, at: Date, undoneAt: { type: Date, default: null },
}, opts);
merge.index({ tenant: 1, id: 1 }, { unique: true });

const kase = new Schema({
  tenant: String, id: Number, customerId: Number, kind: String, owner: { type: String, default: null }, status: String,
  summary: String, dueAt: { type: Date, default: null }, openedAt: Date, closedAt: { type: Date, default: null },
  closedBy: { type: String, default: null }, resolution: { type: String, default: null }, firstResponseAt: { type: Date, default: null },
  sourceEventId,
}, opts);
kase.index({ tenant: 1, openedAt: 1 });
sourceKeyIndex(kase);
kase.index({ tenant: 1, id: 1 }, { unique: true });
kase.index({ tenant: 1, status: 1, id: 1 });
kase.index({ tenant: 1, customerId: 1, id: 1 });

const spend = new Schema({ tenant: String, month: String, amountMinor: Number, currency: String, by: String, at: Date }, opts);
spend.index({ tenant: 1, month: 1 });

const outbox = new Schema({
  id: { type: Number, required: true }, tenant: String, platform: String, target: String, reply: Mixed, status: String,
  attempts: Number, nextAttemptAt: Date, leaseHolder: { type: String, default: null }, leaseUntil: { type: Date, default: null },
  idempotencyKey: String, lastError: { type: String, default: null }, createdAt: Date, sentAt: { type: Date, default: null },
  parts: { type: Mixed, default: undefined },
}, opts);
outbox.index({ id: 1 }, { unique: true });
outbox.index({ tenant: 1, idempotencyKey: 1 }, { unique: true });
outbox.index({ status: 1, platform: 1, nextAttemptAt: 1 });
outbox.index({ tenant: 1, target: 1, status: 1, sentAt: 1 });

const eventSeen = new Schema({ _id: String, at: Date }, opts);
// Platforms retry within minutes; a day of keys is plenty and the server expires older ones by itself.
eventSeen.index({ at: 1 }, { expireAfterSeconds: 86_400 });
const jobTick = new Schema({ job: String, tick: String, holder: String, at: Date }, opts);
jobTick.index({ job: 1, tick: 1 }, { unique: true });

const pluginDoc = new Schema({ tenant: String, plugin: String, collection: String, id: String, doc: Mixed, version: Number }, { ...opts, suppressReservedKeysWarning: true });
pluginDoc.index({ tenant: 1, plugin: 1, collection: 1, id: 1 }, { unique: true });

const ledgerEntry = new Schema({
  tenant: String, plugin: String, ledger: String, key: String, account: String, delta: Number, kind: String, at: String, data: Mixed, seq: Number,
}, opts);
ledgerEntry.index({ tenant: 1, plugin: 1, ledger: 1, key: 1 }, { unique: true });
ledgerEntry.index({ tenant: 1, plugin: 1, ledger: 1, account: 1, seq: 1 });
// A tier's total reads one account's entries of a period (`ledgerTotalPipeline`): a range of this index, not all of the account's.
ledgerEntry.index({ tenant: 1, plugin: 1, ledger: 1, account: 1, at: 1 });
ledgerEntry.index({ tenant: 1, plugin: 1, ledger: 1, seq: 1 });
const ledgerBalance = new Schema({ tenant: String, plugin: String, ledger: String, account: String, balance: Number }, opts);
ledgerBalance.index({ tenant: 1, plugin: 1, ledger: 1, account: 1 }, { unique: true });

export function defineModels(conn: Connection) {
  return {
    Counter: conn.model('Counter', counter, 'counters'),
    Customer: conn.model('Customer', customer, 'customers'),
    Identity: conn.model('Identity', identity, 'identities'),
    Interaction: conn.model('Interaction', interaction, 'interactions'),
    Deal: conn.model('Deal', deal, 'deals'),
    Merge: conn.model('Merge', merge, 'merges'),
    Case: conn.model('Case', kase, 'cases'),
    Spend: conn.model('Spend', spend, 'spend'),
    Outbox: conn.model('Outbox', outbox, 'outbox'),
    EventSeen: conn.model('EventSeen', eventSeen, 'events_seen'),
    JobTick: conn.model('JobTick', jobTick, 'job_ticks'),
    PluginDoc: conn.model('PluginDoc', pluginDoc, 'plugin_docs'),
    LedgerEntry: conn.model('LedgerEntry', ledgerEntry, 'ledger_entries'),
    LedgerBalance: conn.model('LedgerBalance', ledgerBalance, 'ledger_balances'),
  };
}
export type Models = ReturnType<typeof defineModels>;
