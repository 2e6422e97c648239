import { mkdtempSync, cpSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadPlugin } from '../core/plugins/host.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const fixture = (id: string) => join(root, 'test/fixtures/plugins', id);

describe('plugin manifests: manifest.json is the published format, the TypeScript manifest its typed twin', () => {
  it.each(['kpi-digest', 'loyalty', 'social-listening', 'surveys'])('%s: manifest.json says exactly what the manifest passed to definePlugin says', async (id) => {
    const dir = join(root, 'plugins', id);
    const { manifest } = (await import(join(dir, 'manifest.ts'))) as { manifest: unknown };
    const { entry, ...declared } = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as Record<string, unknown>;
    expect(entry).toBe('index.ts');
    expect(declared).toEqual(JSON.parse(JSON.stringify(manifest)));
    expect((await loadPlugin(dir)).manifest.id).toBe(id);
  });

  it('loads a plugin whose only manifest is its manifest.json (the way a third-party plugin ships)', async () => {
    const loaded = await loadPlugin(fixture('tally'));
    expect(loaded.manifest).toMatchObject({ id: 'tally', events: ['message.received'], permissions: [] });
  });

  it('refuses a manifest.json that grants more than the manifest the code was typed with, naming both', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'crm-plugin-'));
    const json = JSON.parse(readFileSync(join(root, 'plugins/kpi-digest/manifest.json'), 'utf8')) as { permissions: string[] };
    json.permissions.push('customers.write');
    writeFileSync(join(dir, 'manifest.json'), JSON.stringify(json));
    writeFileSync(join(dir, 'index.ts'), `export { default } from ${JSON.stringify(join(root, 'plugins/kpi-digest/index.ts'))};\n`);
    await expect(loadPlugin(dir)).rejects.toThrow(/manifest\.json and the manifest index\.ts passes to definePlugin differ/);
  });

  it('refuses an entry outside the plugin folder', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'crm-plugin-'));
    cpSync(fixture('tally'), dir, { recursive: true });
    const file = join(dir, 'manifest.json');
    writeFileSync(file, JSON.stringify({ ...JSON.parse(readFileSync(file, 'utf8')), entry: '../../evil.ts' }));
    await expect(loadPlugin(dir)).rejects.toThrow('"entry" must be a module file inside the plugin folder');
  });
});
