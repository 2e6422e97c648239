import { assertFieldName } from './where.js';

/** Most fields one declared index may list: enough for equality fields and one order field. */
export const MAX_INDEX_FIELDS = 8;

/**
 * The one name both engines give the index over these document fields: `plugin_docs.a.b`. Field names never
 * hold a dot, so two field lists never share a name, and every part has passed the strict field pattern.
 */
export function docIndexName(fields: readonly string[]): string {
  if (fields.length === 0 || fields.length > MAX_INDEX_FIELDS) throw new Error(`a document index lists 1 to ${MAX_INDEX_FIELDS} fields, not ${fields.length}`);
  if (new Set(fields).size !== fields.length) throw new Error(`a document index lists each field once: ${fields.join(', ')}`);
  return `plugin_docs.${fields.map(assertFieldName).join('.')}`;
}
