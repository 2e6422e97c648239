import { assertFieldName } from './where.js';

/** Most fields one declared index may list: enough for equality fields and one order field. */
export const MAX_INDEX_FIELDS = 8;

/**
 * The one name both engines give the index of one plugin collection over these document fields:
 * `plugin_docs.<plugin>.<collection>.a.b`. No part holds a dot, so two declarations never share a name, and every
 * part has passed its strict pattern.
 */
export function docIndexName(plugin: string, collection: string, fields: readonly string[]): string {
  if (fields.length === 0 || fields.length > MAX_INDEX_FIELDS) throw new Error(`a document index lists 1 to ${MAX_INDEX_FIELDS} fields, not ${fields.length}`);
  if (new Set(fields).size !== fields.length) throw new Error(`a document index lists each field once: ${fields.join(', ')}`);
  assertDocScope(plugin, collection);
  return `plugin_docs.${plugin}.${collection}.${fields.map(assertFieldName).join('.')}`;
}

const PLUGIN_ID = /^[a-z][a-z0-9-]{0,40}$/;
const COLLECTION_NAME = /^[A-Za-z][A-Za-z0-9_-]{0,63}$/;

/** A plugin id and collection name, checked, before either is written into SQL or an index name. */
export function assertDocScope(plugin: string, collection: string): { plugin: string; collection: string } {
  if (!PLUGIN_ID.test(plugin)) throw new Error(`invalid plugin id "${plugin}" for documents`);
  if (!COLLECTION_NAME.test(collection)) throw new Error(`invalid document collection name "${collection}"`);
  return { plugin, collection };
}
