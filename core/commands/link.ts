import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Reply } from '../chat/reply.js';
import { platformOf, shortId } from '../domain/ids.js';
import { resolveCustomer } from './customer-ref.js';
import { CommandError, ConflictError, NotFoundError, RateError } from './router.js';
import type { CommandContext } from './types.js';

/**
 * `/crm link`: joining two identities of one person. A code is a 4-character handle plus an 80-bit
 * secret (Crockford base32), stored as the handle and a hash of the secret, single use, 10 minutes.
 * Wrong codes are budgeted per identity (per hour) and per code (in total); a right code only asks
 * the issuing account to confirm with a button, and nothing moves until it does.
 */
export const LINK_TTL_MS = 10 * 60_000;
export const WRONG_PER_IDENTITY_PER_HOUR = 5;
export const WRONG_PER_CODE = 3;
const HOUR_MS = 60 * 60_000;
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

export interface LinkCode {
  /** The handle: the first 4 characters of the code. */
  id: string;
  hash: string;
  identity: string;
  expiresAt: string;
  wrong: number;
}

interface LinkTries {
  id: string;
  wrongAt: string[];
}

interface LinkRequest {
  id: string;
  from: string;
  to: string;
  expiresAt: string;
}

const codes = (ctx: CommandContext) => ctx.store.docs<LinkCode>('core', 'link_codes');
const tries = (ctx: CommandContext) => ctx.store.docs<LinkTries>('core', 'link_tries');
const requests = (ctx: CommandContext) => ctx.store.docs<LinkRequest>('core', 'link_requests');
const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

function base32(bytes: Buffer, length: number): string {
  let bits = 0;
  let value = 0;
  let out = '';
  for (const b of bytes) {
    value = (value << 8) | b;
    bits += 8;
    while (bits >= 5 && out.length < length) {
      out += ALPHABET[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  return out;
}

/** What a person typed, as handle and secret; null when it cannot be a code (typos are not guesses). */
export function parseLinkCode(typed: string): { handle: string; secret: string } | null {
  const t = typed.toUpperCase().replace(/[\s-]/g, '').replace(/[IL]/g, '1').replace(/O/g, '0');
  if (!/^[0-9A-HJKMNP-TV-Z]{20}$/.test(t)) return null;
  return { handle: t.slice(0, 4), secret: t.slice(4) };
}

const later = (now: string, ms: number) => new Date(Date.parse(now) + ms).toISOString();

export async function issueCode(ctx: CommandContext): Promise<Reply> {
  const now = ctx.now();
  await codes(ctx).deleteWhere({ identity: ctx.actor.identity });
  for (;;) {
    const raw = base32(randomBytes(13), 20);
    const doc: LinkCode = { id: raw.slice(0, 4), hash: sha256(raw.slice(4)), identity: ctx.actor.identity, expiresAt: later(now, LINK_TTL_MS), wrong: 0 };
    const stale = await codes(ctx).get(doc.id);
    if (stale && stale.expiresAt < now) await codes(ctx).delete(doc.id);
    if (!(await codes(ctx).insertIfAbsent(doc))) continue;
    const shown = raw.match(/.{4}/g)!.join('-');
    return { text: `Your link code is ${shown}. Within 10 minutes, type /crm link ${shown} from your other account; you will then confirm here with a button. It works once.` };
  }
}

/** The other account types the code: budget checked, the code spent, the issuer asked to confirm. */
export async function redeemCode(ctx: CommandContext, typed: string): Promise<Reply> {
  const now = ctx.now();
  const me = ctx.actor.identity;
  const mine = (await tries(ctx).get(me)) ?? { id: me, wrongAt: [] };
  const recent = mine.wrongAt.filter((t) => t > later(now, -HOUR_MS));
  if (recent.length >= WRONG_PER_IDENTITY_PER_HOUR) {
    throw new RateError(`Too many wrong link codes from this account; try again after ${later(recent[0]!, HOUR_MS).slice(11, 16)} UTC, with a fresh code from /crm link on your other account.`);
  }
  const parsed = parseLinkCode(typed);
  if (!parsed) throw new CommandError('That is not a link code: codes look like ABCD-EFGH-JKMN-PQRS-TVWX. Get one with /crm link on your other account.');
  const code = await codes(ctx).get(parsed.handle);
  const right = code !== null && code.expiresAt >= now && timingSafeEqual(Buffer.from(code.hash, 'hex'), Buffer.from(sha256(parsed.secret), 'hex'));
  if (!right) {
    await tries(ctx).put({ id: me, wrongAt: [...recent, now] });
    if (code && code.expiresAt >= now) {
      // Someone is guessing at this code: after a few misses it stops working for everyone.
      if (code.wrong + 1 >= WRONG_PER_CODE) await codes(ctx).delete(code.id);
      else await codes(ctx).put({ ...code, wrong: code.wrong + 1 });
    } else if (code) await codes(ctx).delete(code.id);
    const left = WRONG_PER_IDENTITY_PER_HOUR - recent.length - 1;
    // Thrown after the miss is recorded: a refusal undoes nothing, it only answers.
    throw new NotFoundError(`That code is unknown or expired (${left} wrong ${left === 1 ? 'try' : 'tries'} left this hour). Get a new one with /crm link on the other account.`);
  }
  if (code.identity === me) throw new CommandError('That is your own code: type it from your other account.');
  // Single use even when two people type it at once: only the one whose delete removed it goes on.
  if (!(await codes(ctx).delete(code.id))) throw new ConflictError('That code was just used. Get a new one with /crm link on the other account.');
  const request: LinkRequest = { id: randomBytes(16).toString('hex'), from: code.identity, to: me, expiresAt: later(now, LINK_TTL_MS) };
  await requests(ctx).put(request);
  await ctx.outbox.send(ctx.tenant, {
    platform: platformOf(code.identity),
    target: code.identity,
    idempotencyKey: `link-request:${request.id}`,
    reply: {
      text: `${me} typed your link code and wants to become the same person as you in this CRM. Confirm only if that account is yours.`,
      buttons: [
        { id: 'crm.link', label: 'Confirm link', value: `confirm ${request.id}` },
        { id: 'crm.link', label: 'Refuse', value: `refuse ${request.id}` },
      ],
    },
  });
  return { text: `Code accepted. Confirm on ${code.identity} with the button sent there (within 10 minutes); nothing is linked until then.` };
}

/** The issuing account answers the button. Only it may; an expired request moves nothing. */
export async function answerRequest(ctx: CommandContext, answer: 'confirm' | 'refuse', id: string): Promise<Reply> {
  const r = await requests(ctx).get(id);
  if (!r || r.from !== ctx.actor.identity || !(await requests(ctx).delete(r.id))) throw new NotFoundError('That link request is unknown or not yours. Start again with /crm link.');
  if (answer === 'refuse') return { text: `Refused: ${r.to} is not linked to you.` };
  if (r.expiresAt < ctx.now()) throw new ConflictError('That link request expired. Start again with /crm link.');
  return joinIdentities(ctx, r.to, r.from);
}

/** Staff put an identity on an existing customer record (its own record, if it had one, folds in). */
export async function linkToCustomer(ctx: CommandContext, identity: string, ref: string): Promise<Reply> {
  const target = await resolveCustomer(ctx.store, ref);
  const link = await ctx.store.identities.get(identity);
  const linked = { text: `Linked ${identity} to ${shortId('customer', target.id)} ${target.name}.` };
  if (!link) {
    await ctx.store.identities.touch({ identity, platform: platformOf(identity), displayName: identity, role: ctx.roles.configured(identity) ?? 'customer', customerId: target.id, locale: null }, ctx.now());
    return linked;
  }
  if (link.customerId === target.id) return { text: `${identity} is already ${shortId('customer', target.id)} ${target.name}.` };
  if (link.customerId !== null) {
    const m = await ctx.store.customers.merge(link.customerId, target.id, ctx.actor.identity, ctx.now());
    return { text: `Linked ${identity} to ${shortId('customer', target.id)} ${target.name}; its former record ${shortId('customer', m.fromId)} was merged in (merge #${m.id}, reversible).` };
  }
  await ctx.store.identities.attach(identity, target.id);
  return linked;
}

/** `from`'s record folds into `into`'s; an identity without a record joins the other's. */
async function joinIdentities(ctx: CommandContext, from: string, into: string): Promise<Reply> {
  const [a, b] = await Promise.all([ctx.store.identities.get(from), ctx.store.identities.get(into)]);
  if (!a || !b) throw new CommandError('One of the two accounts is gone; nothing was linked.');
  const [mine, theirs] = [a.customerId, b.customerId];
  if (theirs !== null && mine !== null && theirs !== mine) {
    const m = await ctx.store.customers.merge(mine, theirs, ctx.actor.identity, ctx.now());
    return { text: `Linked: ${from} and ${into} are now one customer, ${shortId('customer', theirs)} (merge #${m.id}, reversible).` };
  }
  if (theirs !== null && mine === null) await ctx.store.identities.attach(from, theirs);
  if (mine !== null && theirs === null) await ctx.store.identities.attach(into, mine);
  const customer = theirs ?? mine;
  return { text: `Linked ${from} with ${into}${customer ? ` as ${shortId('customer', customer)}` : ''}.` };
}
