import type { CommandRegistry } from '../../core/index.js';

/** A BotCommand of setMyCommands (https://core.telegram.org/bots/api#botcommand). */
export interface BotCommand {
  command: string;
  description: string;
}

const NAME = /^[a-z0-9_]{1,32}$/;
const DESCRIPTION = { min: 3, max: 256 };
const MAX_COMMANDS = 100;

function description(summary: string, subcommands: string[], name: string): string {
  const base = summary.trim() || `The /${name} command`;
  // The menu shows only this line, so the subcommand names help people pick.
  const text = subcommands.length && !subcommands.every((s) => base.includes(s)) ? `${base} (${subcommands.join(', ')})` : base;
  const padded = text.length < DESCRIPTION.min ? `/${name} command` : text;
  return padded.length > DESCRIPTION.max ? `${padded.slice(0, DESCRIPTION.max - 1)}…` : padded;
}

/** Telegram's own `/help` (see normalize.ts coreCommands), first in the menu as Telegram users expect. */
export const HELP_COMMAND: BotCommand = { command: 'help', description: 'What you can do here; /help <command> for one command' };

/** `/help`, then the core's commands, as Telegram's command menu; names Telegram cannot show are left out. */
export function botCommands(registry: CommandRegistry): BotCommand[] {
  const core = registry
    .list()
    .filter((c) => NAME.test(c.name) && c.name !== HELP_COMMAND.command)
    .map((c) => ({ command: c.name, description: description(c.summary, c.subcommands.map((s) => s.name), c.name) }));
  return [HELP_COMMAND, ...core].slice(0, MAX_COMMANDS);
}
