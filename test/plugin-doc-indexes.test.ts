import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../config/index.js';
import { Engine } from '../core/engine.js';
import { loadPlugin, PluginHost } from '../core/plugins/host.js';
import { parseManifest } from '../core/plugins/manifest.js';
import { openSqliteStore } from '../core/store/sqlite/engine.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const tally = JSON.parse(readFileSync(join(root, 'test/fixtures/plugins/tally/manifest.json'), 'utf8')) as Record<string, unknown>;
const { entry: _entry, ...tallyManifest } = tally;

describe('document indexes declared in a plugin manifest', () => {
  it.each([
    [{ mentions: { indexes: [['day', 'query.$gt']] } }, /\/documents\/mentions\/indexes\/0\/1 must match pattern .*a plain document field name: letters, digits and _/],
    [{ mentions: { indexes: [["day') ; DROP TABLE plugin_docs; --"]] } }, /\/documents\/mentions\/indexes\/0\/0 must match pattern/],
    [{ 'my mentions': { indexes: [['day']] } }, /a document collection name: letters, digits, _ and -.*"my mentions" is not one/],
    [{ mentions: { indexes: [['day', 'day']] } }, /\/documents\/mentions\/indexes\/0 must NOT have duplicate items/],
    [{ mentions: { indexes: [[]] } }, /\/documents\/mentions\/indexes\/0 must NOT have fewer than 1 items/],
    [{ mentions: { index: [['day']] } }, /\/documents\/mentions must have required property 'indexes'/],
  ])('refuses %j at load, saying what is wrong', (documents, message) => {
    expect(() => parseManifest({ ...tallyManifest, documents }, 'manifest.json')).toThrow(message);
  });

  it('accepts field lists that pass, and a manifest without documents', () => {
    expect(parseManifest({ ...tallyManifest, documents: { mentions: { indexes: [['day', 'query'], ['_at2']] } } }, 'manifest.json').documents)
      .toEqual({ mentions: { indexes: [['day', 'query'], ['_at2']] } });
    expect(parseManifest(tallyManifest, 'manifest.json').documents).toBeUndefined();
  });

  it('refuses a plugin folder whose manifest.json declares a bad index field when it loads', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'crm-plugin-'));
    writeFileSync(join(dir, 'manifest.json'), JSON.stringify({ ...tally, documents: { hits: { indexes: [['a-b']] } } }));
    writeFileSync(join(dir, 'index.ts'), `export { default } from ${JSON.stringify(join(root, 'test/fixtures/plugins/tally/index.ts'))};\n`);
    await expect(loadPlugin(dir)).rejects.toThrow(/plugin manifest .*manifest\.json: \/documents\/hits\/indexes\/0\/0 must match pattern/);
  });

  it('are created when the host starts the plugin (social-listening on SQLite)', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'crm-docidx-')), 'crm.sqlite');
    const store = openSqliteStore(file);
    const config = loadConfig({ PORT: '0', CRM_CONFIG: 'test.json' }, () => JSON.stringify({ plugins: {} }));
    const engine = new Engine({ config, store, logger: pino({ level: 'silent' }), holder: 'test', clock: () => Date.parse('2026-01-05T09:00:00.000Z') });
    const host = new PluginHost(engine, join(root, 'plugins'));
    const plugin = await loadPlugin(join(root, 'plugins/social-listening'));
    await host.start(plugin, {});
    const db = new Database(file, { readonly: true });
    const names = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND name LIKE 'plugin_docs.%' ORDER BY name").all() as { name: string }[]).map((r) => r.name);
    db.close();
    await host.stopAll();
    await store.close();
    const declared = Object.entries(plugin.manifest.documents ?? {})
      .flatMap(([collection, d]) => d.indexes.map((f) => `plugin_docs.social-listening.${collection}.${f.join('.')}`));
    expect(declared).toContain('plugin_docs.social-listening.hourly.query.hour');
    expect(names).toEqual(declared.sort());
  });
});
