import { randomBytes } from 'node:crypto';

/** Telegram rejects callback_data longer than 64 bytes (UTF-8). */
export const CALLBACK_DATA_BYTES = 64;
const KEY_PREFIX = 'k:';

/** A button value too long for callback_data, kept in the tenant's store under a short key. */
export interface StoredCallback {
  id: string;
  action: string;
  value: string;
}

export function randomKey(): string {
  return randomBytes(12).toString('base64url');
}

/**
 * `<id>|<value>` when it fits in 64 bytes (and the id has no `|`), else `k:<key>` plus the record to store.
 * The two forms cannot be confused: only the first contains `|`.
 */
export function encodeAction(id: string, value: string, newKey: () => string = randomKey): { data: string; stored: StoredCallback | null } {
  const inline = `${id}|${value}`;
  if (!id.includes('|') && Buffer.byteLength(inline, 'utf8') <= CALLBACK_DATA_BYTES) return { data: inline, stored: null };
  const key = newKey();
  return { data: `${KEY_PREFIX}${key}`, stored: { id: key, action: id, value } };
}

export type Decoded = { kind: 'action'; id: string; value: string } | { kind: 'key'; key: string } | null;

export function decodeCallbackData(data: string): Decoded {
  const bar = data.indexOf('|');
  if (bar > 0) return { kind: 'action', id: data.slice(0, bar), value: data.slice(bar + 1) };
  if (data.startsWith(KEY_PREFIX) && data.length > KEY_PREFIX.length) return { kind: 'key', key: data.slice(KEY_PREFIX.length) };
  return null;
}
