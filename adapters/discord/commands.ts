import { ApplicationCommandOptionType, ApplicationCommandType, ApplicationIntegrationType, InteractionContextType } from 'discord.js';
import type { CommandRegistry, CommandSpec, Subcommand } from '../../core/index.js';
import { usageShape, type OptionKind, type OptionSpec } from './usage.js';

const LIMITS = { name: 32, description: 100, options: 25, commands: 100, choices: 25 };

const OPTION_TYPE: Record<OptionKind, ApplicationCommandOptionType> = {
  string: ApplicationCommandOptionType.String,
  customer: ApplicationCommandOptionType.String,
  deal: ApplicationCommandOptionType.String,
  integer: ApplicationCommandOptionType.Integer,
  number: ApplicationCommandOptionType.Number,
  user: ApplicationCommandOptionType.User,
};

export interface ValueOption {
  type: ApplicationCommandOptionType;
  name: string;
  description: string;
  required: boolean;
  choices?: { name: string; value: string }[];
  autocomplete?: true;
  min_value?: number;
}
export interface SubcommandOption { type: ApplicationCommandOptionType.Subcommand; name: string; description: string; options: ValueOption[] }
export interface CommandPayload {
  type: ApplicationCommandType.ChatInput;
  name: string;
  description: string;
  options: (SubcommandOption | ValueOption)[];
  /** "0": only server admins until they allow staff roles under Server Settings → Integrations. */
  default_member_permissions?: string;
  contexts: InteractionContextType[];
  integration_types: ApplicationIntegrationType[];
}

function cut(s: string, max: number): string {
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}

// Discord names are lower case, 1-32 of letters, digits, - and _.
function name(s: string): string {
  return s.toLowerCase().replace(/[^-_\p{L}\p{N}]/gu, '_').slice(0, LIMITS.name);
}

function description(s: string, fallback: string): string {
  return cut(s.trim() || fallback, LIMITS.description);
}

function valueOption(o: OptionSpec): ValueOption {
  const out: ValueOption = { type: OPTION_TYPE[o.kind], name: o.name, description: description(o.usage, o.name), required: o.required };
  if (o.choices) out.choices = o.choices.slice(0, LIMITS.choices).map((c) => ({ name: c, value: c }));
  if (o.kind === 'customer' || o.kind === 'deal') out.autocomplete = true;
  if (o.kind === 'integer' || o.kind === 'number') out.min_value = 0;
  return out;
}

// Free text after the subcommand, for usage lines that are not a plain sequence (`add rss <url> | list`).
function argsOption(usage: string): ValueOption {
  return { type: ApplicationCommandOptionType.String, name: 'args', description: description(usage, 'arguments'), required: false };
}

/** The typed options of one subcommand, from its usage line. */
export function subcommandOptions(command: string, s: Pick<Subcommand, 'usage'>): ValueOption[] {
  if (!s.usage.trim()) return [];
  const shape = usageShape(command, s.usage);
  if (!shape) return [argsOption(s.usage)];
  return shape.parts.flatMap((p) => ('option' in p ? [valueOption(p.option)] : [])).slice(0, LIMITS.options);
}

/** Staff-only: no subcommand is open to customers. */
function staffOnly(c: CommandSpec): boolean {
  return c.subcommands.length > 0 && c.subcommands.every((s) => !s.roles.includes('customer'));
}

/**
 * The core's commands as Discord application commands: each subcommand a Discord subcommand with typed
 * options read from its usage; usable in servers and in DMs with the bot.
 */
export function commandPayloads(registry: CommandRegistry): CommandPayload[] {
  return registry.list().slice(0, LIMITS.commands).map((c) => ({
    type: ApplicationCommandType.ChatInput,
    name: name(c.name),
    description: description(c.summary, `/${c.name}`),
    options: c.subcommands.length
      ? c.subcommands.slice(0, LIMITS.options).map((s) => ({
          type: ApplicationCommandOptionType.Subcommand,
          name: name(s.name),
          description: description(s.summary, s.name),
          options: subcommandOptions(c.name, s),
        }))
      : [argsOption('arguments')],
    ...(staffOnly(c) ? { default_member_permissions: '0' } : {}),
    contexts: [InteractionContextType.Guild, InteractionContextType.BotDM],
    integration_types: [ApplicationIntegrationType.GuildInstall],
  }));
}
