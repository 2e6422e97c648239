import { ROLES } from '../domain/types.js';
import { canonicalZone, formatInZone } from '../domain/time-zone.js';
import { sub } from './define.js';
import { words } from './args.js';
import type { Subcommand } from './types.js';

const FOLLOW_TENANT = 'tenant';

/** `/crm timezone`: the zone quiet hours, digests and every time shown to this person follow. */
export const timezoneSubcommands: Subcommand<any>[] = [
  sub({
    name: 'timezone', usage: `[<IANA zone like Europe/Berlin>|${FOLLOW_TENANT}]`, summary: 'Show or set your own time zone', roles: ROLES,
    args: words(0, 1, '', 'Say one zone, like /crm timezone America/New_York').transform((a, c) => {
      const word = a.words[0];
      if (word === undefined) return { set: false as const };
      if (word.toLowerCase() === FOLLOW_TENANT) return { set: true as const, zone: null };
      const zone = canonicalZone(word);
      if (!zone) c.addIssue({ code: 'custom', message: `"${word.slice(0, 64)}" is not a time zone; give an IANA name such as Europe/Berlin, America/New_York or Asia/Shanghai` });
      return { set: true as const, zone };
    }),
    run: async (ctx, a) => {
      const now = ctx.now();
      if (!a.set) {
        const own = ctx.actor.timezone;
        const zone = own ?? ctx.settings.timezone;
        return { text: `Your time zone is ${zone}${own ? '' : ` (the tenant's; set yours with /crm timezone <zone>)`}; it is ${formatInZone(now, zone)} there.` };
      }
      await ctx.store.identities.setTimezone(ctx.actor.identity, a.zone);
      const zone = a.zone ?? ctx.settings.timezone;
      const whose = a.zone ? 'Your time zone is now' : "You follow the tenant's time zone again:";
      return { text: `${whose} ${zone}; it is ${formatInZone(now, zone)} there. Quiet hours, digests and times shown to you follow it.` };
    },
  }),
];
