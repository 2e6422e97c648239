import type { mongo } from 'mongoose';
import { docIndexName } from '../doc-indexes.js';
import type { Models } from './models.js';

/**
 * The index specs of one plugin collection: tenant, plugin and collection, then `doc.<field>` in order, partial on
 * that collection so other plugins' documents are not entered in it (its queries name the same plugin and collection).
 */
export function docIndexSpecs(plugin: string, collection: string, indexes: readonly (readonly string[])[]): mongo.IndexDescription[] {
  return indexes.map((fields) => ({
    name: docIndexName(plugin, collection, fields),
    key: { tenant: 1, plugin: 1, collection: 1, ...Object.fromEntries(fields.map((f) => [`doc.${f}`, 1])) },
    partialFilterExpression: { plugin: String(plugin), collection: String(collection) },
  }));
}

/** `createIndexes` only adds what is missing (the same spec again is a no-op); nothing is dropped, unlike syncIndexes. */
export async function ensureMongoDocIndexes(m: Models, plugin: string, collection: string, indexes: readonly (readonly string[])[]): Promise<string[]> {
  const specs = docIndexSpecs(plugin, collection, indexes);
  if (specs.length) await m.PluginDoc.collection.createIndexes(specs);
  return specs.map((s) => s.name!);
}
