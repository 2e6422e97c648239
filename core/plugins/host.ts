import { readFile } from 'node:fs/promises';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createRequire } from 'node:module';
import type { Field, Reply } from '../chat/reply.js';
import type { CommandSpec } from '../commands/types.js';
import type { Platform } from '../domain/types.js';
import type { Engine } from '../engine.js';
import type { CoreEvents, EventName } from '../events/bus.js';
import type { Logger } from '../logger.js';
import type { JobSpec } from '../scheduler/scheduler.js';
import type { TenantSettings } from '../settings.js';
import type { DocCollection, Ledger, TenantStore } from '../store/port.js';
import { parseManifest, validatePluginConfig, type Permission, type PluginManifest } from './manifest.js';

/** What a plugin sees of the core: nothing more. Each capability is checked against its manifest. */
export interface PluginContext<C = Record<string, unknown>> {
  id: string;
  config: C;
  log: Logger;
  now(): string;
  commands: { register(spec: CommandSpec): void };
  events: { on<E extends EventName>(event: E, handler: (p: CoreEvents[E]) => Promise<void> | void): void };
  scheduler: { add(job: JobSpec): void; remove(name: string): void };
  /**
   * Figures one plugin publishes for others (e.g. loyalty points issued/redeemed for the KPI digest):
   * the reader sees numbers for a tenant and a period, never the publisher's data.
   */
  kpis: {
    provide(name: string, source: KpiSource): void;
    read(name: string, tenant: string, from: string, to: string): Promise<Record<string, number> | null>;
  };
  outbox: { send(tenant: string, msg: { platform: Platform; target: string; reply: Reply; idempotencyKey: string }): Promise<boolean> };
  /** The plugin's own collections in one tenant. */
  docs<T extends { id: string }>(tenant: string, collection: string): DocCollection<T>;
  /** The plugin's own append-only ledgers in one tenant (atomic, idempotent, guarded). */
  ledger(tenant: string, name: string): Ledger;
  /** The core's repositories of one tenant (needs customers.read). */
  tenant(tenant: string): TenantStore;
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

export type KpiSource = (tenant: string, from: string, to: string) => Promise<Record<string, number>>;

export interface PluginDefinition<C = Record<string, unknown>> {
  init(ctx: PluginContext<C>): Promise<void> | void;
  stop?(): Promise<void> | void;
}

export function definePlugin<C = Record<string, unknown>>(def: PluginDefinition<C>): PluginDefinition<C> {
  return def;
}

export interface LoadedPlugin {
  manifest: PluginManifest;
  definition: PluginDefinition<any>;
}

/** Built-in plugin ids resolve to plugins/<id>; anything else is a path or a package name. */
async function locate(name: string, entry: { path?: string }, pluginsDir: string): Promise<string> {
  const target = entry.path ?? name;
  if (isAbsolute(target) || target.startsWith('.')) return resolve(target);
  if (/^[a-z][a-z0-9-]+$/.test(target)) return join(pluginsDir, target);
  return dirname(createRequire(import.meta.url).resolve(`${target}/manifest.json`));
}

export async function loadPlugin(dir: string): Promise<LoadedPlugin> {
  const manifest = parseManifest(JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8')), dir);
  const mod = (await import(pathToFileURL(join(dir, manifest.entry)).href)) as { default?: PluginDefinition };
  if (!mod.default || typeof mod.default.init !== 'function') throw new Error(`plugin ${manifest.id}: ${manifest.entry} must export default definePlugin({...})`);
  return { manifest, definition: mod.default };
}

export class PluginHost {
  readonly loaded: LoadedPlugin[] = [];
  private readonly kpiSources = new Map<string, KpiSource>();

  constructor(private readonly engine: Engine, private readonly pluginsDir: string) {}

  /** Loads every enabled plugin of the config file; any invalid manifest or config stops start-up. */
  async loadAll(entries: Record<string, { enabled: boolean; path?: string; config: Record<string, unknown> }>): Promise<void> {
    for (const [name, entry] of Object.entries(entries)) {
      if (!entry.enabled) continue;
      const plugin = await loadPlugin(await locate(name, entry, this.pluginsDir));
      await this.start(plugin, entry.config);
    }
  }

  async start(plugin: LoadedPlugin, rawConfig: unknown): Promise<void> {
    const { manifest } = plugin;
    const config = validatePluginConfig(manifest, rawConfig);
    await plugin.definition.init(this.context(manifest, config));
    this.loaded.push(plugin);
  }

  async stopAll(): Promise<void> {
    for (const p of [...this.loaded].reverse()) await p.definition.stop?.();
  }

  private context(m: PluginManifest, config: Record<string, unknown>): PluginContext {
    const e = this.engine;
    const need = (p: Permission) => {
      if (!m.permissions.includes(p)) throw new Error(`plugin ${m.id} needs the permission "${p}" in its manifest`);
    };
    return {
      id: m.id,
      config,
      log: e.log.child({ plugin: m.id }),
      now: () => e.now(),
      commands: {
        register: (spec) => {
          if (!m.commands.includes(spec.name)) throw new Error(`plugin ${m.id} registers /${spec.name} but its manifest does not declare it`);
          e.commands.register(spec);
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
        send: async (tenant, msg) => {
          need('outbox.send');
          return e.outbox.send(tenant, msg);
        },
      },
      docs: (tenant, collection) => e.store.tenant(tenant).docs(m.id, collection),
      ledger: (tenant, name) => e.store.tenant(tenant).ledger(m.id, name),
      tenant: (tenant) => {
        need('customers.read');
        return e.store.tenant(tenant);
      },
      settings: (tenant) => e.settings(tenant),
      tenants: () => [...new Set([e.config.file.defaultTenant, ...e.config.file.tenants.map((t) => t.id)])],
      customerCard: { add: (fn) => e.addCardSection(fn) },
      privacy: { onExport: (fn) => e.onExport(m.id, fn), onErase: (fn) => e.onErase(fn) },
    };
  }
}
