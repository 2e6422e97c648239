import type { z } from 'zod';
import type { Field, Reply } from '../chat/reply.js';
import type { IdentityLink, Platform, Role } from '../domain/types.js';
import type { TenantStore } from '../store/port.js';
import type { EventBus } from '../events/bus.js';
import type { ParsedArgs } from './tokenize.js';
import type { TenantSettings } from '../settings.js';
import type { Outbox } from '../outbox/outbox.js';

/** What a command handler gets: the caller, their tenant's store, and the core services. */
export interface CommandContext {
  tenant: string;
  store: TenantStore;
  actor: IdentityLink;
  /** `platform:eventId` of the inbound event being handled, so a command's records dedupe when a crashed run is replayed. */
  sourceEventId?: string | null;
  platform: Platform;
  channel: string;
  settings: TenantSettings;
  bus: EventBus;
  outbox: Outbox;
  now(): string;
  /** Reachable from a command: export/erase hooks of every plugin. */
  privacy: PrivacyHooks;
  registry: CommandRegistry;
  /** The web chat's sign-in side: where its links point, the tenant it serves, the session this request came with. */
  web: { publicUrl: string | null; tenant: string; session: string | null };
  /** Extra lines plugins add to the customer 360 card (loyalty points, mentions...). */
  cardSections(customerId: number): Promise<Field[]>;
  /** Where roles come from besides grants: the configuration, and each platform's default. */
  roles: RoleSources;
}

export interface RoleSources {
  /** CRM_ADMINS, then roles.assign; null when neither names the identity. */
  configured(identity: string): Role | null;
  configuredBy(identity: string): 'CRM_ADMINS' | 'roles.assign' | null;
  /** Every identity the configuration names, with its role and source. */
  configuredAll(): { identity: string; role: Role; source: 'CRM_ADMINS' | 'roles.assign' }[];
  platformDefault(platform: Platform): Role;
}

export interface PrivacyHooks {
  export(tenant: string, customerId: number): Promise<Record<string, unknown>>;
  erase(tenant: string, customerId: number): Promise<void>;
}

/** `C` is what the handler gets: the core's context, or a plugin's narrowed one (core/plugins/commands.ts). */
export interface Subcommand<A = unknown, C = CommandContext> {
  name: string;
  usage: string;
  summary: string;
  roles: readonly Role[];
  /** `key:value` options this subcommand understands. */
  options?: readonly string[];
  args: z.ZodType<A, ParsedArgs>;
  // A property, not a method: its context is checked strictly, so a handler wanting more than C does not compile.
  run: (ctx: C, args: A) => Promise<Reply | Reply[]>;
}

export interface CommandSpec<C = CommandContext> {
  name: string;
  summary: string;
  subcommands: Subcommand<any, C>[];
  /** Used when the first word is not a subcommand name (e.g. `/points` alone). */
  defaultSubcommand?: string;
}

export interface CommandRegistry {
  list(): CommandSpec[];
  get(name: string): CommandSpec | undefined;
}
