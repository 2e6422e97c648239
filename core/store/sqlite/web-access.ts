import type { Database as Db } from 'better-sqlite3';
import type { WebAccessRepo } from '../port.js';

type Row = Record<string, unknown>;

/** Invite codes and sessions of the web chat, kept only as hashes of what the browser holds. */
export function sqliteWebAccess(db: Db, tenant: string): WebAccessRepo {
  return {
    addInvite: async (input, now) => {
      db.prepare('INSERT INTO web_invites (tenant, hash, identity, expires_at, used_at, created_at) VALUES (?, ?, ?, ?, NULL, ?)')
        .run(tenant, input.hash, input.identity, input.expiresAt, now);
    },
    useInvite: async (hash, now) =>
      db.transaction(() => {
        const r = db.prepare('SELECT * FROM web_invites WHERE tenant = ? AND hash = ?').get(tenant, hash) as Row | undefined;
        if (!r) return { status: 'unknown' as const };
        if (r.used_at !== null) return { status: 'used' as const };
        if (String(r.expires_at) <= now) return { status: 'expired' as const };
        db.prepare('UPDATE web_invites SET used_at = ? WHERE tenant = ? AND hash = ?').run(now, tenant, hash);
        return { status: 'ok' as const, identity: String(r.identity) };
      }).immediate(),
    addSession: async (input, now) => {
      db.prepare('INSERT INTO web_sessions (tenant, hash, identity, expires_at, created_at) VALUES (?, ?, ?, ?, ?)')
        .run(tenant, input.hash, input.identity, input.expiresAt, now);
    },
    session: async (hash, now) => {
      const r = db.prepare('SELECT identity, expires_at FROM web_sessions WHERE tenant = ? AND hash = ? AND expires_at > ?').get(tenant, hash, now) as Row | undefined;
      return r ? { identity: String(r.identity), expiresAt: String(r.expires_at) } : null;
    },
    endSession: async (hash) => db.prepare('DELETE FROM web_sessions WHERE tenant = ? AND hash = ?').run(tenant, hash).changes === 1,
    endSessions: async (identity) => db.prepare('DELETE FROM web_sessions WHERE tenant = ? AND identity = ?').run(tenant, identity).changes,
    eraseIdentity: async (identity) =>
      db.transaction(() =>
        db.prepare('DELETE FROM web_sessions WHERE tenant = ? AND identity = ?').run(tenant, identity).changes +
        db.prepare('DELETE FROM web_invites WHERE tenant = ? AND identity = ?').run(tenant, identity).changes).immediate(),
    prune: async (now, before) =>
      db.transaction(() =>
        db.prepare('DELETE FROM web_sessions WHERE tenant = ? AND expires_at <= ?').run(tenant, now).changes +
        db.prepare('DELETE FROM web_invites WHERE tenant = ? AND (expires_at <= ? OR used_at < ?)').run(tenant, now, before).changes).immediate(),
  };
}
