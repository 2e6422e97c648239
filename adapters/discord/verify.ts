import { createPublicKey, verify, type KeyObject } from 'node:crypto';

// Ed25519 public keys in SPKI DER are this fixed header followed by the 32 raw key bytes.
const SPKI_ED25519_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

/** A signed request older or newer than this is refused: a captured request cannot be replayed later. */
export const MAX_CLOCK_SKEW_MS = 5 * 60_000;

/** The application's public key (64 hex digits, as the developer portal shows it) as a KeyObject. */
export function publicKeyFromHex(hex: string): KeyObject {
  return createPublicKey({ key: Buffer.concat([SPKI_ED25519_PREFIX, Buffer.from(hex, 'hex')]), format: 'der', type: 'spki' });
}

/** `X-Signature-Timestamp` is Unix seconds; true when it is within MAX_CLOCK_SKEW_MS of `nowMs`. */
export function timestampFresh(timestamp: string, nowMs: number): boolean {
  if (!/^\d{1,12}$/.test(timestamp)) return false;
  return Math.abs(nowMs - Number(timestamp) * 1000) <= MAX_CLOCK_SKEW_MS;
}

/** Discord signs timestamp + raw body; anything missing, malformed or outside the time window is not valid. */
export function verifyInteraction(key: KeyObject, signatureHex: unknown, timestamp: unknown, body: Buffer, nowMs: number): boolean {
  if (typeof signatureHex !== 'string' || typeof timestamp !== 'string') return false;
  if (!/^[0-9a-f]{128}$/i.test(signatureHex) || !timestampFresh(timestamp, nowMs)) return false;
  try {
    return verify(null, Buffer.concat([Buffer.from(timestamp, 'utf8'), body]), key, Buffer.from(signatureHex, 'hex'));
  } catch {
    return false;
  }
}
