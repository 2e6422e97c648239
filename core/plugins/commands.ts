import { command, sub } from '../commands/define.js';
import type { Reply } from '../chat/reply.js';
import type { CommandContext, CommandSpec, Subcommand } from '../commands/types.js';
import type { Platform } from '../domain/types.js';
import type { CoreView } from './capabilities.js';
import type { Permission } from './manifest.js';

/**
 * What a plugin's command handler gets, as the host builds it: the core view the manifest's permissions `P`
 * grant in place of the tenant store, and only the permission-checked `send` of the outbox.
 */
export interface PluginCommandContext<P extends Permission = never> extends Omit<CommandContext, 'store' | 'outbox'> {
  store: CoreView<P>;
  outbox: { send: PluginSend };
}

/** A plugin's way out to a chat (needs outbox.send): queues the reply once per idempotency key. */
export type PluginSend = (tenant: string, msg: { platform: Platform; target: string; reply: Reply; idempotencyKey: string }) => Promise<boolean>;

export type PluginSubcommand<A = unknown, P extends Permission = never> = Subcommand<A, PluginCommandContext<P>>;
export type PluginCommandSpec<P extends Permission = never> = CommandSpec<PluginCommandContext<P>>;

/**
 * The plugin API's `sub`: its handler sees the read-only view unless it names the writes it uses
 * (`run: async (ctx: CommandContext<'customers.write'>, a) => ...`), which the manifest must then grant.
 */
export const pluginSub: <A, P extends Permission = never>(s: PluginSubcommand<A, P>) => PluginSubcommand<A, P> = sub;
export const pluginCommand: <P extends Permission = never>(spec: PluginCommandSpec<P>) => PluginCommandSpec<P> = command;
