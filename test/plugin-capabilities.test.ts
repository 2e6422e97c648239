import { describe, expect, it } from 'vitest';
import { coreView } from '../core/plugins/capabilities.js';
import { parseManifest } from '../core/plugins/manifest.js';
import { command, noArgs, sub, type CommandContext, type PluginContextOf } from '../core/plugin-api.js';
import grabby from './fixtures/plugins/grabby/index.js';
import type { manifest as grabbyManifest } from './fixtures/plugins/grabby/manifest.js';
import { startTestPlugin } from './helpers/plugin.js';

describe('a plugin gets exactly what its manifest grants', () => {
  it('is refused at init, with the missing permission named, when it writes or sends without the permission', async () => {
    await expect(startTestPlugin(grabby, { config: { attempt: 'update' } })).rejects.toThrow('plugin grabby needs the permission "customers.write" in its manifest to call customers.update');
    await expect(startTestPlugin(grabby, { config: { attempt: 'add' } })).rejects.toThrow('plugin grabby needs the permission "interactions.write" in its manifest to call interactions.add');
    await expect(startTestPlugin(grabby, { config: { attempt: 'send' } })).rejects.toThrow('plugin grabby needs the permission "outbox.send" in its manifest');
  });

  it("refuses a write through a command's store, naming the missing permission, and changes nothing", async () => {
    const t = await startTestPlugin(grabby, { file: { roles: { assign: { 'web:alice': 'admin' } } } });
    try {
      expect((await t.say('alice', '/customer add Ann'))[0]!.text).toMatch(/^Added C-1 Ann/);
      await expect(t.say('alice', '/grab take')).rejects.toThrow('plugin grabby needs the permission "customers.write" in its manifest to call customers.update');
      expect((await t.engine.store.tenant(t.tenant).customers.get(1))?.name).toBe('Ann');
    } finally {
      await t.stop();
    }
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

  const take = (run: (c: CommandContext) => Promise<{ text: string }>) =>
    command({ name: 'grab', summary: 's', subcommands: [sub({ name: 'take', usage: '', summary: 's', roles: ['admin'], args: noArgs, run })] });
  ctx.commands.register(take(async (c) => {
    // @ts-expect-error customers.write is not in the manifest: a command's store has no update
    await c.store.customers.update(1, { name: 'x' }, c.now());
    // @ts-expect-error interactions.write is not in the manifest: a command's store has no add
    void c.store.interactions.add;
    // @ts-expect-error a plugin command gets the permission-checked send, not the raw outbox
    void c.outbox.delivered;
    return { text: 'read only' };
  }));
  const writer = command({
    name: 'grab', summary: 's',
    subcommands: [sub({ name: 'take', usage: '', summary: 's', roles: ['admin'], args: noArgs, run: async (c: CommandContext<'customers.write'>) => ({ text: String(await c.store.customers.update(1, { name: 'x' }, c.now())) }) })],
  });
  // @ts-expect-error a command whose handler asks for customers.write cannot be registered by a plugin without it
  ctx.commands.register(writer);
}
