/**
 * Which unique index a duplicate-key error (E11000) hit. Only a collision on the index that makes a write
 * idempotent means "already there"; a collision anywhere else (a counter gone wrong, an outbox id) is a
 * fault and must surface, never be read as a harmless repeat.
 */

type KeyPattern = Readonly<Record<string, number>>;

interface ServerError {
  code?: number;
  keyPattern?: KeyPattern;
  message?: string;
  errmsg?: string;
  writeErrors?: { code?: number; errmsg?: string; err?: { errmsg?: string; keyPattern?: KeyPattern } }[];
}

/** The name MongoDB gives an index by default: `tenant_1_idempotencyKey_1`; the `_id` index is `_id_`. */
export function indexName(keys: KeyPattern): string {
  const fields = Object.entries(keys);
  if (fields.length === 1 && fields[0]![0] === '_id') return '_id_';
  return fields.map(([k, v]) => `${k}_${v}`).join('_');
}

/** The index a duplicate-key error names, from its key pattern or else its message; null when it is no such error. */
export function duplicateIndex(e: unknown): string | null {
  const err = (e ?? {}) as ServerError;
  const first = err.writeErrors?.[0];
  if (err.code !== 11000 && first?.code !== 11000) return null;
  const pattern = err.keyPattern ?? first?.err?.keyPattern;
  if (pattern) return indexName(pattern);
  const text = [err.errmsg, err.message, first?.errmsg, first?.err?.errmsg].filter(Boolean).join(' ');
  return /index: (\S+) dup key/.exec(text)?.[1] ?? '?';
}

/** True only for a duplicate on the given unique index. */
export const isDuplicateOn = (e: unknown, keys: KeyPattern): boolean => duplicateIndex(e) === indexName(keys);
