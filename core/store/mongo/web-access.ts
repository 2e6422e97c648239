import { Schema, type Connection } from 'mongoose';
import type { WebAccessRepo } from '../port.js';
import { expiredSessionsFilter, identityFilter, liveSessionFilter, staleInvitesFilter, usableInviteFilter } from './filters.js';
import { inviteUsedUpdate } from './updates.js';
import { d } from './codecs.js';

const opts = { versionKey: false, strictQuery: 'throw' } as const;
const invite = new Schema({ tenant: String, hash: String, identity: String, expiresAt: Date, usedAt: { type: Date, default: null }, createdAt: Date }, opts);
invite.index({ tenant: 1, hash: 1 }, { unique: true });
invite.index({ tenant: 1, identity: 1 });
const session = new Schema({ tenant: String, hash: String, identity: String, expiresAt: Date, createdAt: Date }, opts);
session.index({ tenant: 1, hash: 1 }, { unique: true });
session.index({ tenant: 1, identity: 1 });
// The server drops expired sessions by itself; the prune job covers used invite codes.
session.index({ expiresAt: 1 }, { expireAfterSeconds: 0 });

export function webAccessModels(conn: Connection) {
  return {
    WebInvite: conn.model('WebInvite', invite, 'web_invites'),
    WebSession: conn.model('WebSession', session, 'web_sessions'),
  };
}
export type WebAccessModels = ReturnType<typeof webAccessModels>;


/** Invite codes and sessions of the web chat, kept only as hashes of what the browser holds. */
export function mongoWebAccess(m: WebAccessModels, tenant: string): WebAccessRepo {
  return {
    addInvite: async (input, now) => {
      await m.WebInvite.create({ tenant, hash: input.hash, identity: input.identity, expiresAt: d(input.expiresAt), usedAt: null, createdAt: d(now) });
    },
    useInvite: async (hashIn, now) => {
      const hash = String(hashIn);
      // One atomic update: of two people opening the same link at once, one signs in.
      const used = await m.WebInvite.findOneAndUpdate(usableInviteFilter(tenant, hash, d(now)), inviteUsedUpdate(now), { lean: true });
      if (used) return { status: 'ok', identity: String(used.identity) };
      const r = await m.WebInvite.findOne({ tenant, hash }).lean();
      if (!r) return { status: 'unknown' };
      return { status: r.usedAt ? 'used' : 'expired' };
    },
    addSession: async (input, now) => {
      await m.WebSession.create({ tenant, hash: input.hash, identity: input.identity, expiresAt: d(input.expiresAt), createdAt: d(now) });
    },
    session: async (hashIn, now) => {
      const hash = String(hashIn);
      const r = await m.WebSession.findOne(liveSessionFilter(tenant, hash, d(now))).lean();
      return r ? { identity: String(r.identity), expiresAt: (r.expiresAt as Date).toISOString() } : null;
    },
    endSession: async (hash) => (await m.WebSession.deleteOne({ tenant, hash: String(hash) })).deletedCount === 1,
    endSessions: async (identity) => (await m.WebSession.deleteMany(identityFilter(tenant, identity))).deletedCount,
    eraseIdentity: async (identity) =>
      (await m.WebSession.deleteMany(identityFilter(tenant, identity))).deletedCount + (await m.WebInvite.deleteMany(identityFilter(tenant, identity))).deletedCount,
    prune: async (now, before) =>
      (await m.WebSession.deleteMany(expiredSessionsFilter(tenant, d(now)))).deletedCount +
      (await m.WebInvite.deleteMany(staleInvitesFilter(tenant, d(now), d(before)))).deletedCount,
  };
}
