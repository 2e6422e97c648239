import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { pathToFileURL } from 'node:url';
import { createRequire } from 'node:module';
import type { Field } from '../chat/reply.js';
import type { CommandContext, CommandSpec } from '../commands/types.js';
import type { PluginCommandContext, PluginCommandSpec, PluginSend } from './commands.js';
import type { Engine } from '../engine.js';
import type { CoreEvents, EventName } from '../events/bus.js';
import type { Logger } from '../logger.js';
import type { JobSpec } from '../scheduler/scheduler.js';
import type { TenantSettings } from '../settings.js';
import type { DocCollection, Ledger, OutboxItem } from '../store/port.js';
import { coreView, PermissionError, type CoreView } from './capabilities.js';
import {
  parseManifest, validatePluginConfig, type ConfigOf, type Permission, type PermissionsOf, type PluginManifest,
} from './manifest.js';

/**
 * What a plugin sees of the core: nothing more. `P` are the permissions its manifest declares: what they
 * do not grant is absent from these types and refused at run time.
 */
export interface PluginContext<C = Record<string, unknown>, P extends Permission = never> {
  id: string;
  config: C;
  log: Logger;
  now(): string;
  /** A command's handlers see the permissions `Q` they ask for (see PluginCommandContext), which `P` must grant: else it does not compile. */
  commands: { register<Q extends P = never>(spec: PluginCommandSpec<Q>): void };
  /** Durable: each handler gets every event once in order, at least once across crashes; `meta.id` keys idempotent effects. */
  events: { on<E extends EventName>(event: E, handler: (p: CoreEvents[E], meta: { id: string; position: number }) => Promise<void> | void): void };
  scheduler: { add(job: JobSpec): void; remove(name: string): void };
  /**
   * Figures one plugin publishes for others (e.g. loyalty points issued/redeemed for the KPI digest):
   * the reader sees numbers for a tenant and a period, never the publisher's data.
   */
  kpis: {
    provide(name: string, source: KpiSource): void;
    read(name: string, tenant: string, from: string, to: string): Promise<Record<string, number> | null>;
  };
  /** The only way out to a chat (needs outbox.send); `delivered` tells what reached a target. */
  outbox: {
    send: PluginSend;
    delivered(tenant: string, target: string, limit: number): Promise<OutboxItem[]>;
  };
  /** The plugin's own collections in one tenant. */
  docs<T extends { id: string }>(tenant: string, collection: string): DocCollection<T>;
  /** The plugin's own append-only ledgers in one tenant (atomic, idempotent, guarded). */
  ledger(tenant: string, name: string): Ledger;
  /** The core's repositories of one tenant (needs customers.read): read-only but for the writes `P` grants. */
  tenant(tenant: string): CoreView<P>;
  settings(tenant: string): TenantSettings;
  /** Every tenant the config file knows: the default one and each configured tenant. */
  tenants(): string[];
  /** Adds lines to the customer 360 card. */
  customerCard: { add(fn: (tenant: string, customerId: number) => Promise<Field[]>): void };
  privacy: {
    onExport(fn: (tenant: string, customerId: number) => Promise<unknown>): void;
    onErase(fn: (tenant: string, customerId: number) => Promise<void>): void;
  };
}

/** The context a plugin with manifest `M` receives: its config type and permissions come from the manifest. */
export type PluginContextOf<M extends PluginManifest> = PluginContext<ConfigOf<M>, PermissionsOf<M>>;

export type KpiSource = (tenant: string, from: string, to: string) => Promise<Record<string, number>>;

export interface PluginDefinition<M extends PluginManifest = PluginManifest> {
  manifest: M;
  init(ctx: PluginContextOf<M>): Promise<void> | void;
  stop?(): Promise<void> | void;
}

/** A plugin: its manifest (see defineManifest) and what it does with the context that manifest earns it. */
export function definePlugin<const M extends PluginManifest>(manifest: M, def: NoInfer<Omit<PluginDefinition<M>, 'manifest'>>): PluginDefinition<M>;
/**
 * A plugin whose only manifest is its manifest.json (JavaScript, or TypeScript without derived types): its
 * config is untyped and the host still refuses at run time whatever the manifest does not grant.
 */
export function definePlugin(def: { init(ctx: PluginContext<Record<string, unknown>, Permission>): Promise<void> | void; stop?(): Promise<void> | void }): typeof def;
export function definePlugin(a: unknown, b?: object): unknown {
  return b ? { manifest: a, ...b } : a;
}

export interface LoadedPlugin {
  manifest: PluginManifest;
  /** Typed by its own manifest where it was written; here only started and stopped. */
  definition: { init(ctx: never): Promise<void> | void; stop?(): Promise<void> | void };
}

/** Built-in plugin ids resolve to plugins/<id>; anything else is a folder path or a package name. */
function locate(name: string, entry: { path?: string }, pluginsDir: string): string {
  const target = entry.path ?? name;
  if (isAbsolute(target) || target.startsWith('.')) return resolve(target);
  if (/^[a-z][a-z0-9-]+$/.test(target)) return join(pluginsDir, target);
  const require = createRequire(import.meta.url);
  try {
    return dirname(require.resolve(`${target}/manifest.json`));
  } catch {
    return dirname(require.resolve(target));
  }
}

/**
 * Loads the plugin in a folder. Its `manifest.json` (the published format: id, version, commands, events,
 * permissions, config schema, and `entry`) is what the host enforces; a plugin written in TypeScript also
 * carries its manifest in `definePlugin(manifest, ...)` for its types, and the two must be the same.
 * A folder without manifest.json takes the manifest its `index.ts` carries.
 */
export async function loadPlugin(dir: string): Promise<LoadedPlugin> {
  const jsonFile = join(dir, 'manifest.json');
  const json = existsSync(jsonFile) ? (JSON.parse(await readFile(jsonFile, 'utf8')) as Record<string, unknown>) : null;
  const { entry: entryName = 'index.ts', ...declared } = json ?? {};
  if (typeof entryName !== 'string' || !/^[\w-]+(\/[\w-]+)*\.[cm]?[jt]s$/.test(entryName)) {
    throw new Error(`plugin manifest ${jsonFile}: "entry" must be a module file inside the plugin folder, like "index.ts"`);
  }
  const entryFile = join(dir, entryName);
  const mod = (await import(pathToFileURL(entryFile).href)) as { default?: { manifest?: unknown; init?: unknown } };
  const def = mod.default;
  if (!def || typeof def.init !== 'function') throw new Error(`plugin ${entryFile} must export default definePlugin(manifest, {...})`);
  if (!json && !def.manifest) throw new Error(`plugin ${dir} has no manifest.json and its ${entryName} carries no manifest`);
  const manifest = parseManifest(json ? declared : def.manifest, json ? jsonFile : dir);
  if (json && def.manifest && !isDeepStrictEqual(JSON.parse(JSON.stringify(def.manifest)), declared)) {
    throw new Error(`plugin ${manifest.id}: ${jsonFile} and the manifest ${entryName} passes to definePlugin differ; make them the same`);
  }
  return { manifest, definition: def as LoadedPlugin['definition'] };
}

export class PluginHost {
  readonly loaded: LoadedPlugin[] = [];
  private readonly kpiSources = new Map<string, KpiSource>();

  constructor(private readonly engine: Engine, private readonly pluginsDir: string) {}

  /** Loads every enabled plugin of the config file; any invalid manifest or config stops start-up. */
  async loadAll(entries: Record<string, { enabled: boolean; path?: string; config: Record<string, unknown> }>): Promise<void> {
    for (const [name, entry] of Object.entries(entries)) {
      if (!entry.enabled) continue;
      const plugin = await loadPlugin(locate(name, entry, this.pluginsDir));
      await this.start(plugin, entry.config);
    }
  }

  async start(plugin: LoadedPlugin, rawConfig: unknown): Promise<void> {
    const { manifest } = plugin;
    const config = validatePluginConfig(manifest, rawConfig);
    // Before init: the plugin's first queries already find the indexes its manifest declares.
    for (const [collection, { indexes }] of Object.entries(manifest.documents ?? {})) await this.engine.store.ensureDocIndexes(manifest.id, collection, indexes);
    // The manifest was validated above; the context's types are the ones its definePlugin call derived.
    await plugin.definition.init(this.context(manifest, config) as never);
    this.loaded.push(plugin);
  }

  async stopAll(): Promise<void> {
    for (const p of [...this.loaded].reverse()) await p.definition.stop?.();
  }

  /** The context as the manifest grants it: every capability checks the permission it needs. */
  private context(m: PluginManifest, config: Record<string, unknown>): PluginContext<Record<string, unknown>, Permission> {
    const e = this.engine;
    const need = (p: Permission) => {
      if (!m.permissions.includes(p)) throw new PermissionError(`plugin ${m.id} needs the permission "${p}" in its manifest`);
    };
    const view = (tenant: string) => {
      need('customers.read');
      return coreView(m.id, m.permissions, e.store.tenant(tenant));
    };
    const send: PluginContext['outbox']['send'] = async (tenant, msg) => {
      need('outbox.send');
      return e.outbox.send(tenant, msg);
    };
    return {
      id: m.id,
      config,
      log: e.log.child({ plugin: m.id }),
      now: () => e.now(),
      commands: {
        register: (spec) => {
          if (!m.commands.includes(spec.name)) throw new Error(`plugin ${m.id} registers /${spec.name} but its manifest does not declare it`);
          e.commands.register(narrowed(spec, view, send));
        },
      },
      events: {
        on: (event, handler) => {
          if (!m.events.includes(event)) throw new Error(`plugin ${m.id} listens to ${event} but its manifest does not declare it`);
          e.bus.subscribe(`${m.id}:${event}`, event, handler);
        },
      },
      scheduler: {
        add: (job) => {
          need('scheduler');
          e.scheduler.add({ ...job, name: `${m.id}:${job.name}` });
        },
        remove: (name) => e.scheduler.remove(`${m.id}:${name}`),
      },
      kpis: {
        provide: (name, source) => {
          if (this.kpiSources.has(name)) throw new Error(`plugin ${m.id} provides KPI source "${name}" which another plugin already provides`);
          this.kpiSources.set(name, source);
        },
        read: async (name, tenant, from, to) => (await this.kpiSources.get(name)?.(tenant, from, to)) ?? null,
      },
      outbox: {
        send,
        delivered: async (tenant, target, limit) => {
          need('outbox.send');
          return e.store.tenant(tenant).outbox.delivered(target, limit);
        },
      },
      docs: (tenant, collection) => e.store.tenant(tenant).docs(m.id, collection),
      ledger: (tenant, name) => e.store.tenant(tenant).ledger(m.id, name),
      tenant: view,
      settings: (tenant) => e.settings(tenant),
      tenants: () => [...new Set([e.config.file.defaultTenant, ...e.config.file.tenants.map((t) => t.id)])],
      customerCard: { add: (fn) => e.addCardSection(fn) },
      privacy: { onExport: (fn) => e.onExport(m.id, fn), onErase: (fn) => e.onErase(fn) },
    };
  }
}

/**
 * A plugin's command runs with what the plugin itself may use: the tenant's core view its manifest grants
 * in place of the whole store, and its permission-checked send in place of the raw outbox.
 */
function narrowed<Q extends Permission>(spec: PluginCommandSpec<Q>, view: (tenant: string) => CoreView<Permission>, send: PluginContext['outbox']['send']): CommandSpec {
  return {
    ...spec,
    subcommands: spec.subcommands.map((s) => ({
      ...s,
      run: (c: CommandContext, args: unknown) =>
        s.run(Object.defineProperties({ ...c }, { store: { get: () => view(c.tenant) }, outbox: { value: { send } } }) as unknown as PluginCommandContext<Q>, args),
    })),
  };
}
