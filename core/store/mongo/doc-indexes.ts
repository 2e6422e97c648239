import type { mongo } from 'mongoose';
import { docIndexName } from '../doc-indexes.js';
import type { Models } from './models.js';

/** The index specs over plugin documents: tenant, plugin and collection first, then `doc.<field>` in order. */
export function docIndexSpecs(indexes: readonly (readonly string[])[]): mongo.IndexDescription[] {
  return indexes.map((fields) => ({
    name: docIndexName(fields),
    key: { tenant: 1, plugin: 1, collection: 1, ...Object.fromEntries(fields.map((f) => [`doc.${f}`, 1])) },
  }));
}

/** `createIndexes` only adds what is missing (the same spec again is a no-op); nothing is dropped, unlike syncIndexes. */
export async function ensureMongoDocIndexes(m: Models, indexes: readonly (readonly string[])[]): Promise<string[]> {
  const specs = docIndexSpecs(indexes);
  if (specs.length) await m.PluginDoc.collection.createIndexes(specs);
  return specs.map((s) => s.name!);
}
