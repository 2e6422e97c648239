import { randomBytes } from 'node:crypto';
import type { Platform } from '../../core/plugin-api.js';
import type { Cadence } from './schedule/cadence.js';
import type { Ctx } from './manifest.js';

/** A standing order for a digest, kept in the plugin's own documents of its tenant. */
export interface Subscription {
  id: string;
  tenant: string;
  platform: Platform;
  /** Where it is posted: an identity (web chat, a DM) or `channel:<id>`. */
  target: string;
  /** Who subscribed: their role at send time decides company view or own book. */
  subscriber: string;
  cadence: Cadence;
  time: string;
  timezone: string;
  createdAt: string;
  /** The due time (ISO) of the last digest handled (queued, or skipped for a non-staff subscriber). */
  lastSentFor: string | null;
  /** The inbound event whose `/digest subscribe` made it: that event's replay after a crash finds it is its own. */
  sourceEventId?: string;
}

/** Tenants with subscriptions, kept in one place so the minute tick finds every subscription. */
const INDEX_TENANT = 'default';
const COLLECTION = 'subscriptions';

export function newSubscriptionId(): string {
  return `dg-${randomBytes(4).toString('hex')}`;
}

/** Web chat and DMs go to the person; anything else to the channel it was typed in. */
export function subscriptionTarget(platform: Platform, identity: string, channel: string): string {
  const dm = platform === 'web'
    || (platform === 'slack' && channel.startsWith('D'))
    || (platform === 'telegram' && identity === `telegram:${channel}`);
  return dm ? identity : `channel:${channel}`;
}

export function subscriptions(ctx: Ctx) {
  const docs = (tenant: string) => ctx.docs<Subscription>(tenant, COLLECTION);
  const index = ctx.docs<{ id: string }>(INDEX_TENANT, 'tenants');
  return {
    async add(s: Subscription): Promise<void> {
      await index.put({ id: s.tenant });
      await docs(s.tenant).put(s);
    },
    get: (tenant: string, id: string) => docs(tenant).get(id),
    find: (tenant: string, where: Partial<Pick<Subscription, 'subscriber' | 'target' | 'cadence'>>) => docs(tenant).find(where, { limit: 1000 }),
    remove: (tenant: string, id: string) => docs(tenant).delete(id),
    /** Sets only that field, and only on a subscription still there: an unsubscribe or edit during the send stays. */
    async markSent(s: Subscription, due: string): Promise<void> {
      await docs(s.tenant).updateIfPresent(s.id, { lastSentFor: due });
    },
    async all(): Promise<Subscription[]> {
      const out: Subscription[] = [];
      for (const t of await index.find({}, { limit: 10_000 })) out.push(...(await docs(t.id).find({}, { limit: 10_000 })));
      return out;
    },
  };
}
export type Subscriptions = ReturnType<typeof subscriptions>;
