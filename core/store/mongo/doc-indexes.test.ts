import { randomUUID } from 'node:crypto';
import mongoose from 'mongoose';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Store } from '../port.js';
import { docIndexSpecs } from './doc-indexes.js';
import { openMongoStore } from './engine.js';

describe('plugin document index specs', () => {
  const only = { plugin: 'listening', collection: 'mentions' };
  it.each([
    [[['customerId']], [{ name: 'plugin_docs.listening.mentions.customerId', key: { tenant: 1, plugin: 1, collection: 1, 'doc.customerId': 1 }, partialFilterExpression: only }]],
    [[['query', 'hour'], ['day']], [
      { name: 'plugin_docs.listening.mentions.query.hour', key: { tenant: 1, plugin: 1, collection: 1, 'doc.query': 1, 'doc.hour': 1 }, partialFilterExpression: only },
      { name: 'plugin_docs.listening.mentions.day', key: { tenant: 1, plugin: 1, collection: 1, 'doc.day': 1 }, partialFilterExpression: only },
    ]],
    [[], []],
  ])('%j', (fields, specs) => {
    expect(docIndexSpecs('listening', 'mentions', fields)).toEqual(specs);
    // Key order is the index: tenant, plugin and collection lead, then the fields as declared.
    for (const [i, s] of docIndexSpecs('listening', 'mentions', fields).entries()) expect(Object.keys(s.key)).toEqual(Object.keys(specs[i]!.key));
  });

  it.each([['doc.$where'], ['a.b'], ['']])('refuses the field name %j', (bad) => {
    expect(() => docIndexSpecs('listening', 'mentions', [[bad]])).toThrow(/invalid field name/);
  });

  it.each([['Listening', 'mentions'], ['listening', 'men.tions'], ['listening', "x' OR 1=1"], ['', 'mentions']])('refuses the plugin and collection %j %j', (plugin, collection) => {
    expect(() => docIndexSpecs(plugin, collection, [['day']])).toThrow(/invalid (plugin id|document collection name)/);
  });
});

const uri = inject('jongodbUri');

describe.runIf(uri)('plugin document indexes on jongodb', () => {
  let store: Store;
  let url: string;
  beforeAll(async () => {
    const u = new URL(uri!);
    u.pathname = `/crm_docidx_${randomUUID().slice(0, 8)}`;
    url = u.toString();
    store = await openMongoStore(url);
  });
  afterAll(() => store.close());

  it('creates each declared index once on plugin_docs, keeping the ones it did not declare', async () => {
    await store.ensureDocIndexes('listening', 'mentions', [['day', 'query']]);
    await store.ensureDocIndexes('listening', 'mentions', [['day', 'query'], ['customerId']]);
    const conn = await mongoose.createConnection(url).asPromise();
    try {
      const indexes = (await conn.db!.collection('plugin_docs').listIndexes().toArray()) as { name: string; key: Record<string, number> }[];
      const byName = new Map(indexes.map((i) => [i.name, i.key]));
      expect(byName.get('plugin_docs.listening.mentions.day.query')).toEqual({ tenant: 1, plugin: 1, collection: 1, 'doc.day': 1, 'doc.query': 1 });
      expect(byName.get('plugin_docs.listening.mentions.customerId')).toEqual({ tenant: 1, plugin: 1, collection: 1, 'doc.customerId': 1 });
      expect(indexes.filter((i) => i.name === 'plugin_docs.listening.mentions.day.query')).toHaveLength(1);
      expect([...byName.values()]).toContainEqual({ tenant: 1, plugin: 1, collection: 1, id: 1 });
    } finally {
      await conn.close();
    }
  });
});
