import { z } from 'zod';
import type { Platform } from './types.js';

/** Chat identities of the contract: slack:<team>:<user>, discord:<user>, telegram:<user>, web:<user>. */
const IDENTITY = /^(?:slack:[A-Z0-9]+:[A-Z0-9]+|discord:\d{1,25}|telegram:-?\d{1,20}|web:[A-Za-z0-9._-]{1,64})$/;

export const identitySchema = z
  .string()
  .regex(IDENTITY, 'an identity like slack:T123:U456, discord:<id>, telegram:<id> or web:<name>');

export function isIdentity(text: string): boolean {
  return IDENTITY.test(text);
}

export function platformOf(identity: string): Platform {
  return identity.slice(0, identity.indexOf(':')) as Platform;
}

const SHORT = { customer: 'C', deal: 'D', case: 'K' } as const;
export type ShortKind = keyof typeof SHORT;

export function shortId(kind: ShortKind, id: number): string {
  return `${SHORT[kind]}-${id}`;
}

/** `C-7` -> 7 (for kind customer); anything else -> null. */
export function parseShortId(kind: ShortKind, text: string): number | null {
  const m = new RegExp(`^${SHORT[kind]}-(\\d{1,9})$`, 'i').exec(text.trim());
  return m ? Number(m[1]) : null;
}
