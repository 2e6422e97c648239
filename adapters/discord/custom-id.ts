import { createHash } from 'node:crypto';

/** Discord caps custom_id and select option values at 100 characters. */
export const MAX_CUSTOM_ID = 100;

/** An action too long for a custom_id: stored under `key`, the custom_id carries `k:<key>`. */
export interface StoredCallback {
  id: string;
  action: string;
  value: string;
}

// A digest of the action keeps keys stable, so storing the same long value twice is harmless.
function keyFor(action: string, value: string): string {
  return createHash('sha256').update(`${action}\u0000${value}`).digest('base64url').slice(0, 22);
}

/** `<id>|<value>` when it fits (and the id has no `|`), else `k:<key>` plus the record to store. */
export function encodeAction(action: string, value: string): { customId: string; stored: StoredCallback | null } {
  const plain = `${action}|${value}`;
  if (plain.length <= MAX_CUSTOM_ID && !action.includes('|') && !action.startsWith('k:')) return { customId: plain, stored: null };
  const key = keyFor(action, value);
  return { customId: `k:${key}`, stored: { id: key, action, value } };
}

/** A select option value: kept as is when it fits, else stored like a long custom_id. */
export function encodeOptionValue(action: string, value: string): { value: string; stored: StoredCallback | null } {
  if (value.length >= 1 && value.length <= MAX_CUSTOM_ID && !value.startsWith('k:')) return { value, stored: null };
  const key = keyFor(action, value);
  return { value: `k:${key}`, stored: { id: key, action, value } };
}

/**
 * Reverses the encoding: a button's custom_id is `<id>|<value>` or `k:<key>`; a select menu's custom_id
 * carries the id (value empty) and the chosen option is the value, itself possibly `k:<key>`.
 */
export async function decodeComponent(
  customId: string,
  selected: string | undefined,
  lookup: (key: string) => Promise<StoredCallback | null>,
): Promise<{ id: string; value: string } | null> {
  let id: string;
  let value: string;
  if (customId.startsWith('k:')) {
    const stored = await lookup(customId.slice(2));
    if (!stored) return null;
    ({ action: id, value } = stored);
  } else {
    const bar = customId.indexOf('|');
    if (bar <= 0) return null;
    id = customId.slice(0, bar);
    value = customId.slice(bar + 1);
  }
  if (selected === undefined) return { id, value };
  if (!selected.startsWith('k:')) return { id, value: selected };
  const stored = await lookup(selected.slice(2));
  return stored ? { id, value: stored.value } : null;
}
