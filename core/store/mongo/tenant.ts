import type { TenantStore } from '../port.js';
import type { Models } from './models.js';
import { mongoLedger, type Txn } from './ledger.js';
import { mongoBulk } from './bulk.js';
import { mongoWebAccess, type WebAccessModels } from './web-access.js';
import { mongoIdempotency, type IdempotencyModels } from './idempotency.js';
import { mongoEventLog, type EventModels } from './event-log.js';
import { mongoErasure } from './erasure.js';
import { toCase, toCustomer, toDeal, toInteraction } from './codecs.js';
import { scopeOf } from './scope.js';
import { mongoCustomers } from './customers.js';
import { mongoIdentities } from './identities.js';
import { mongoInteractions } from './interactions.js';
import { mongoDeals } from './deals.js';
import { mongoCases } from './cases.js';
import { mongoAnalytics } from './analytics.js';
import { mongoSpend } from './spend.js';
import { mongoOutbox } from './outbox.js';
import { mongoDocs } from './docs.js';

/** The Mongo engine's composition: one tenant's repositories wired over the shared models (each in its own file). */
export function mongoTenant(m: Models, txn: Txn, tenant: string, trust: WebAccessModels & IdempotencyModels & EventModels): TenantStore {
  const scope = scopeOf(m, txn, tenant, trust);
  return {
    tenant,
    events: mongoEventLog(trust, m.Counter, txn, tenant),
    bulk: mongoBulk(m, txn, tenant, { customers: toCustomer, interactions: toInteraction, deals: toDeal, cases: toCase }),
    webAccess: mongoWebAccess(trust, tenant),
    idempotency: mongoIdempotency(trust, tenant),
    erasure: mongoErasure(m, txn, tenant),
    customers: mongoCustomers(scope),
    identities: mongoIdentities(scope),
    interactions: mongoInteractions(scope),
    deals: mongoDeals(scope),
    cases: mongoCases(scope),
    analytics: mongoAnalytics(scope),
    spend: mongoSpend(scope),
    outbox: mongoOutbox(scope),
    ledger: (plugin, name) => mongoLedger(m, txn, tenant, plugin, name),
    docs: <T extends { id: string }>(plugin: string, collection: string) => mongoDocs<T>(scope, plugin, collection),
  };
}
