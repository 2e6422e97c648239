import { z } from 'zod';
import { sub } from './define.js';
import { words } from './args.js';
import { CommandError } from './router.js';
import type { Subcommand } from './types.js';

const ADMIN = ['admin'] as const;
const ACTIONS = ['retry', 'skip'] as const;

/**
 * `/crm events`: the durable subscriptions that gave up on an event (parked after their retries), and the
 * admin's way out: `retry` tries the event again, `skip` steps over it so the subscription goes on.
 */
export const eventsSubcommands: Subcommand<any>[] = [
  sub({
    name: 'events', usage: '[retry|skip <subscription>]', summary: 'Parked plugin reactions: list, retry or skip', roles: [...ADMIN],
    args: words(0, 2, '', 'Say /crm events, or /crm events retry <subscription>, or /crm events skip <subscription>').transform((a, c) => {
      if (!a.words.length) return { action: null, name: null };
      const parsed = z.enum(ACTIONS).safeParse(a.words[0]!.toLowerCase());
      if (!parsed.success || a.words.length !== 2) {
        c.addIssue({ code: 'custom', message: 'Say /crm events retry <subscription> or /crm events skip <subscription> (the names /crm events lists)' });
        return { action: null, name: null };
      }
      return { action: parsed.data, name: a.words[1]! };
    }),
    run: async (ctx, a) => {
      if (a.action && a.name) {
        if (!(await ctx.bus.resolveParked(ctx.tenant, a.name, a.action))) {
          throw new CommandError(`${a.name.slice(0, 80)} is not parked. See the parked ones with /crm events.`);
        }
        return { text: a.action === 'retry' ? `${a.name} tries its failed event again now.` : `${a.name} skipped its failed event and goes on with the next.` };
      }
      const parked = await ctx.bus.parked(ctx.tenant);
      if (!parked.length) return { text: 'No plugin reaction is parked: every subscription is delivering.' };
      return {
        text: `${parked.length} subscription${parked.length === 1 ? ' is' : 's are'} parked after their retries. Fix the cause, then /crm events retry <name>, or /crm events skip <name> to give up on that event.`,
        fields: parked.map((p) => ({ label: p.name, value: `event ${p.failedPosition ?? p.position + 1}, ${p.attempts} attempts, parked ${p.parkedAt}: ${(p.lastError ?? '').slice(0, 200)}` })),
      };
    },
  }),
];
