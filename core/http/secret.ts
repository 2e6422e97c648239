import { createHash, randomBytes } from 'node:crypto';

/** A bearer secret for a link or a cookie: 256 random bits, URL-safe. */
export function newSecret(): string {
  return randomBytes(32).toString('base64url');
}

/** What the store keeps instead of a secret: a leaked table signs no one in. */
export function secretHash(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}
