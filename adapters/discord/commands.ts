import type { CommandRegistry } from '../../core/index.js';

/** Application command option types (https://discord.com/developers/docs/interactions/application-commands). */
const SUB_COMMAND = 1;
const STRING = 3;
const CHAT_INPUT = 1;
const LIMITS = { name: 32, description: 100, options: 25, commands: 100 };

export interface StringOption { type: typeof STRING; name: string; description: string; required: false }
export interface SubcommandOption { type: typeof SUB_COMMAND; name: string; description: string; options: StringOption[] }
export interface CommandPayload { type: typeof CHAT_INPUT; name: string; description: string; options: (SubcommandOption | StringOption)[] }

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

// Free text after the subcommand; its description is the usage, which Discord shows while typing.
function argsOption(usage: string): StringOption {
  return { type: STRING, name: 'args', description: description(usage, 'arguments'), required: false };
}

/**
 * The core's commands as Discord application commands: each subcommand a Discord subcommand (so the
 * client offers them), each with an optional `args` string when it takes arguments.
 */
export function commandPayloads(registry: CommandRegistry): CommandPayload[] {
  return registry.list().slice(0, LIMITS.commands).map((c) => ({
    type: CHAT_INPUT,
    name: name(c.name),
    description: description(c.summary, `/${c.name}`),
    options: c.subcommands.length
      ? c.subcommands.slice(0, LIMITS.options).map((s) => ({
          type: SUB_COMMAND,
          name: name(s.name),
          description: description(s.summary, s.name),
          options: s.usage.trim() ? [argsOption(s.usage)] : [],
        }))
      : [argsOption('arguments')],
  }));
}
