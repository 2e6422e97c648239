import { describe, expect, it } from 'vitest';
import { coreView } from '../core/plugins/capabilities.js';
import { parseManifest } from '../core/plugins/manifest.js';
import type { PluginContextOf } from '../core/plugin-api.js';
import grabby from './fixtures/plugins/grabby/index.js';
import type { manifest as grabbyManifest } from './fixtures/plugins/grabby/manifest.js';
import { startTestPlugin } from './helpers/plugin.js';

describe('a plugin gets exactly what its manifest grants', () => {
  it('is refused at init, with the missing permission named, when it writes or sends without the permission', async () => {
    await expect(startTestPlugin(grabby, { config: { attempt: 'update' } })).rejects.toThrow('plugin grabby needs the permission "customers.write" in its manifest to call customers.update');
    await expect(startTestPlugin(grabby, { config: { attempt: 'add' } })).rejects.toThrow('plugin grabby needs the permission "interactions.write" in its manifest to call interactions.add');
    await expect(startTestPlugin(grabby, { config: { attempt: 'send' } })).rejects.toThrow('plugin grabby needs the permission "outbox.send" in its manifest');
  });

  it('reads the core through its view, which holds no outbox, bulk import, erasure or other namespaces', async () => {
    const t = await startTestPlugin(grabby);
    try {
      const view = coreView('grabby', ['customers.read'], t.engine.store.tenant(t.tenant)) as unknown as Record<string, unknown>;
      expect(Object.keys(view).sort()).toEqual(['analytics', 'cases', 'customers', 'deals', 'identities', 'interactions', 'spend', 'tenant']);
      expect(view.outbox).toBeUndefined();
      expect(view.docs).toBeUndefined();
      expect(view.bulk).toBeUndefined();
    } finally {
      await t.stop();
    }
  });

  it('refuses the ids the core and the adapters use', () => {
    for (const id of ['core', 'slack', 'discord', 'telegram', 'web']) {
      expect(() => parseManifest({ id, version: '1.0.0', description: 'd', commands: [], events: [], permissions: [], configSchema: {} }, 'p'))
        .toThrow(`plugin manifest p: the id "${id}" is reserved for the core and the adapters (core, slack, discord, telegram, web); choose another`);
    }
  });
});

/** Never called: typechecked by `npm run typecheck`, where each @ts-expect-error fails if the line compiles. */
export function compileTimeRefusals(ctx: PluginContextOf<typeof grabbyManifest>): void {
  const core = ctx.tenant('default');
  // @ts-expect-error customers.write is not in the manifest: no update method
  void core.customers.update;
  // @ts-expect-error interactions.write is not in the manifest: no add method
  void core.interactions.add;
  // @ts-expect-error cases.write is not in the manifest
  void core.cases.open;
  // @ts-expect-error the raw outbox is not reachable from a plugin
  void core.outbox;
  // @ts-expect-error another plugin's documents are not reachable through the core view
  void core.docs;
  // @ts-expect-error the config type comes from the manifest's JSON Schema: no such key
  void ctx.config.times;
  const attempt: 'update' | 'add' | 'send' | 'none' = ctx.config.attempt;
  void attempt;
}
