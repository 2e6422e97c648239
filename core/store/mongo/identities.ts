import type { IdentityRepo } from '../port.js';
import { toIdentity, type Doc } from './codecs.js';
import { identityFieldUpdate, identityTouchUpdate, platformZoneUpdate } from './updates.js';
import type { Scope } from './scope.js';
import { mongoDocs } from './docs.js';

/** Chat identities: first contact, refresh, role, link to a customer, reachability. */
export function mongoIdentities(scope: Scope): IdentityRepo {
  const { m, tenant } = scope;
  const get = async (identity: string) => {
    const r = await m.Identity.findOne({ tenant, identity: String(identity) }).lean();
    return r ? toIdentity(r as Doc) : null;
  };
  return {
    get,
    // Two reads side by side: a server round trip each, where SQLite's cost is per statement.
    getWithDoc: async <T extends { id: string }>(identity: string, plugin: string, collection: string) => {
      const [link, doc] = await Promise.all([get(identity), mongoDocs<T>(scope, plugin, collection).get(identity)]);
      return { link, doc };
    },
    touch: async (input, now) => {
      // The platform's zone only fills a gap: a zone the person set stays.
      if (input.timezone) await m.Identity.updateOne({ tenant, identity: input.identity, timezone: null }, platformZoneUpdate(input.timezone));
      const r = await m.Identity.findOneAndUpdate({ tenant, identity: input.identity }, identityTouchUpdate(input, now), { upsert: true, returnDocument: 'after', lean: true });
      return toIdentity(r as Doc);
    },
    setRole: async (identity, role) => {
      const r = await m.Identity.findOneAndUpdate({ tenant, identity }, identityFieldUpdate('role', role), { returnDocument: 'after', lean: true });
      return r ? toIdentity(r as Doc) : null;
    },
    attach: async (identity, customerId) => {
      const r = await m.Identity.findOneAndUpdate({ tenant, identity }, identityFieldUpdate('customerId', customerId), { returnDocument: 'after', lean: true });
      return r ? toIdentity(r as Doc) : null;
    },
    setTimezone: async (identity, timezone) => {
      const r = await m.Identity.findOneAndUpdate({ tenant, identity }, identityFieldUpdate('timezone', timezone), { returnDocument: 'after', lean: true });
      return r ? toIdentity(r as Doc) : null;
    },
    setReachable: async (identity, reachable) => {
      await m.Identity.updateOne({ tenant, identity }, identityFieldUpdate('reachable', reachable));
    },
    listForCustomer: async (customerId) =>
      ((await m.Identity.find({ tenant, customerId }).sort({ identity: 1 }).lean()) as Doc[]).map(toIdentity),
  };
}
