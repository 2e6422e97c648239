/**
 * Contract steps jongodb 0.1.6 cannot run, each with the error it gives: server features it lacks or
 * semantics it does not enforce, never our engine being wrong (jongodb-gaps.md explains each). They are
 * skipped for jongodb only; real MongoDB (`npm run test:mongo`) runs them all.
 */
const NO_PUSH = 'unsupported update operator: $push';
const NO_PIPELINE_UPDATE = 'update must be a document (update pipelines are not supported)';
const NO_ATOMIC_UPDATE = 'concurrent conditional updates are not serialised: two callers both match the same document';

export const JONGODB_GAPS: Record<string, string> = {
  // Setup: the shared book moves deals through stages, which appends to their history with $push.
  'seed the shared book of business': NO_PUSH,
  'moves deals through stages with history in one write': NO_PUSH,
  'erases a whole footprint: merged records, identities, titles, reasons, messages, staff fields': NO_PUSH,
  'computes the KPI digest aggregates per bucket, for the company and for one rep': NO_PUSH,
  'follows platform edits of a stored message: new text with the old kept, deletion blanks it, unknown ids change nothing':
    'update pipeline expressions are not supported',
  'computes RFM in the engine exactly as the in-memory definition does': 'unsupported $group accumulator: $max',
  'reads RFM at several dates in one call exactly as one call per date, purchases on a date included': 'unsupported $group accumulator: $max',
  'adds up the pipeline and closed deals': 'needs the shared book, whose seeding stops at $push',
  'imports a book of business with its own ids in bulk, pages through it, and keeps counting after it': 'unsupported update operator: $max',
  'gives back an unfinished tick once, to one other process': NO_ATOMIC_UPDATE,
  // Each concurrent spend's transaction reads the balance and commits: jongodb raises no write conflict between
  // transactions, so 200 of 200 spends went through where the balance covered 50 (real MongoDB aborts the losers).
  'lets exactly as many concurrent spends through as the balance covers': 'concurrent transactions are not isolated: more spends than the balance covers commit (200 of 200, 103 on a retry)',
  'gives each append of a concurrent burst its own outcome': 'concurrent transactions: the connection pool is cleared mid-burst, or both appends of one key answer duplicate',
  // Two callers at once, one in a transaction and one not: jongodb closes the connection (one caller alone passes).
  'concurrent writes batched together are all stored, in order per identity, with their events': 'connection closed while a transaction runs beside other writes',
  'gives a burst of messages stored at once distinct ids and one event each, at distinct growing positions': 'connection closed while a transaction runs beside other writes',
  'stores an event delivered twice in the same burst once, appends its event once, and answers both with the stored one': 'connection closed while a transaction runs beside other writes',
  // Erasure blanks titles with an update pipeline.
  'keeps event positions growing after an erasure deleted the latest events': 'update pipeline expressions are not supported',
  'increments a document field atomically and updates only documents that exist': NO_ATOMIC_UPDATE,
  // Both creations' transactions take the same id counter: jongodb closes a connection instead of aborting one with a write conflict.
  'gives two creations under one source event at once the same one record': 'concurrent transactions on one id counter: connection closed, pool cleared, then a timeout (with or without a source key)',
  // Its four writes reach the interaction batch over more than its 1 ms window (3 + 1 in every logged run), so two
  // batches' transactions take the interaction counter at once: the same gap, timing out now and then.
  'a write that fails in a batch fails alone: the others of its batch are stored': 'concurrent transactions on one id counter: connection closed, pool cleared, then a timeout',
  'searches name, company and each e-mail ignoring case over Unicode, and nothing else':
    "the regex i option does not fold every non-ASCII letter ('œuvre' does not find 'ŒUVRE'); MongoDB's PCRE runs in UTF mode",
  'uses an invite code once, refuses it expired or unknown, and keeps it per tenant': NO_ATOMIC_UPDATE,
  // The event log's facts include a deal moved through stages ($push on its history).
  "appends a fact's events in its own transaction, with positions growing per tenant": NO_PUSH,
  'lets an admin skip the event a parked subscription failed on': 'update pipeline expressions are not supported',
  // Rate buckets refill with an update pipeline (one atomic step per spend).
  'spends, refuses, refills and refunds one bucket per kind and key': NO_PIPELINE_UPDATE,
  'gives a new key a bucket only while fewer than maxKeys were used within the minute': NO_PIPELINE_UPDATE,
  'refuses a flood of new keys at the bound, keeps the live ones, and makes room once they go idle': NO_PIPELINE_UPDATE,
  'tells an existing bucket once a minute, and never a missing one': NO_PIPELINE_UPDATE,
};
