/** What the server's `hello` reply says about transactions (https://www.mongodb.com/docs/manual/reference/command/hello/). */
export interface HelloReply {
  isWritablePrimary?: boolean;
  setName?: string;
  msg?: string;
}

/**
 * Null when the server runs transactions (a replica set member, or mongos in front of one); otherwise
 * why the engine refuses it and how to fix it. Ledger appends, merges and bulk imports are only correct
 * inside transactions, so a standalone server is never used in a degraded mode.
 */
export function replicaSetProblem(hello: HelloReply): string | null {
  if (hello.setName || hello.msg === 'isdbgrid') return null;
  return [
    'MongoDB at MONGODB_URI is a standalone server; the CRM needs a replica set, because ledger appends,',
    'customer merges and bulk imports run in transactions, which MongoDB offers only on replica sets.',
    'A one-node replica set is enough: start mongod with --replSet rs0, run rs.initiate() once in mongosh,',
    'and add ?replicaSet=rs0 to MONGODB_URI (docker-compose.yml in the repository does all three).',
  ].join(' ');
}

/** Majority concerns: a write acknowledged this way survives a primary failover. */
export const MAJORITY = { w: 'majority' } as const;
export const TRANSACTION_CONCERNS = { readConcern: { level: 'majority' }, writeConcern: MAJORITY } as const;
