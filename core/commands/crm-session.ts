import { identitySchema } from '../domain/ids.js';
import { ROLES } from '../domain/types.js';
import { newSecret, secretHash } from '../http/secret.js';
import { sub } from './define.js';
import { words } from './args.js';
import { CommandError, NotFoundError } from './router.js';
import type { Subcommand } from './types.js';

export const INVITE_TTL_MS = 24 * 3_600_000;
const webIdentity = identitySchema.refine((s) => s.startsWith('web:'), 'a web identity such as web:alice');

/** `/crm invite` and `/crm signout`: how a person gets into, and out of, the public web chat. */
export const sessionSubcommands: Subcommand<any>[] = [
  sub({
    name: 'invite', usage: 'web:<name>', summary: 'A one-time sign-in link to the web chat (24 h)', roles: ['admin'],
    args: words(1, 1, 'Say who to invite, e.g. /crm invite web:alice').transform((a, c) => {
      const id = webIdentity.safeParse(a.words[0]);
      if (!id.success) c.addIssue({ code: 'custom', message: `"${a.words[0]}" is not a web identity (web:<name>, letters, digits, dot, dash, underscore)` });
      return { identity: id.data! };
    }),
    run: async (ctx, a) => {
      if (!ctx.web.publicUrl) throw new CommandError('Sign-in links need PUBLIC_URL (the address people open the CRM at). Set it and restart; nothing was created.');
      if (ctx.tenant !== ctx.web.tenant) throw new CommandError(`The web chat serves tenant ${ctx.web.tenant}; invite from there. Nothing was created.`);
      const code = newSecret();
      const expiresAt = new Date(Date.parse(ctx.now()) + INVITE_TTL_MS).toISOString();
      await ctx.store.webAccess.addInvite({ hash: secretHash(code), identity: a.identity, expiresAt }, ctx.now());
      const link = new URL('/web/signin', ctx.web.publicUrl);
      link.searchParams.set('code', code);
      return { text: `Sign-in link for ${a.identity}, good once within 24 hours (until ${expiresAt.slice(0, 16).replace('T', ' ')} UTC). Send it to them privately:\n${link.href}` };
    },
  }),
  sub({
    name: 'signout', usage: '[all]', summary: 'End this web session, or every web session of yours', roles: ROLES,
    args: words(0, 1, '').transform((a, c) => {
      const w = a.words[0]?.toLowerCase();
      if (w !== undefined && w !== 'all') c.addIssue({ code: 'custom', message: `"${a.words[0]}" is not "all"` });
      return { all: w === 'all' };
    }),
    run: async (ctx, a) => {
      if (a.all) {
        const n = await ctx.store.webAccess.endSessions(ctx.actor.identity);
        return { text: `Signed out everywhere: ${n} web session${n === 1 ? '' : 's'} of ${ctx.actor.identity} ended.` };
      }
      if (!ctx.web.session || !(await ctx.store.webAccess.endSession(ctx.web.session))) {
        throw new NotFoundError('There is no web session here to end. /crm signout all ends every web session of yours.');
      }
      return { text: 'Signed out. Open a new sign-in link to come back.' };
    },
  }),
];
