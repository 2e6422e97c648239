import { createPublicKey, verify, type KeyObject } from 'node:crypto';

// Ed25519 public keys in SPKI DER are this fixed header followed by the 32 raw key bytes.
const SPKI_ED25519_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

/** The application's public key (64 hex digits, as the developer portal shows it) as a KeyObject. */
export function publicKeyFromHex(hex: string): KeyObject {
  return createPublicKey({ key: Buffer.concat([SPKI_ED25519_PREFIX, Buffer.from(hex, 'hex')]), format: 'der', type: 'spki' });
}

/** Discord signs timestamp + raw body; anything missing or malformed is simply not valid. */
export function verifyInteraction(key: KeyObject, signatureHex: unknown, timestamp: unknown, body: Buffer): boolean {
  if (typeof signatureHex !== 'string' || typeof timestamp !== 'string') return false;
  if (!/^[0-9a-f]{128}$/i.test(signatureHex) || !timestamp) return false;
  try {
    return verify(null, Buffer.concat([Buffer.from(timestamp, 'utf8'), body]), key, Buffer.from(signatureHex, 'hex'));
  } catch {
    return false;
  }
}
