import { refusal, type Reply } from '../chat/reply.js';
import type { Role } from '../domain/types.js';
import { hiddenCharacter, hiddenCharacterMessage } from './hygiene.js';
import { splitOptions, tokenize, unclosedQuote } from './tokenize.js';
import type { CommandContext, CommandRegistry, CommandSpec, Subcommand } from './types.js';

/** Why a command was refused: the code every refusal is logged with. */
export const ERROR_CODES = ['input', 'not_found', 'role', 'rate', 'conflict'] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

/**
 * A refusal from a handler (core or plugin): its message is the reply, saying what to type instead;
 * `reply` may carry buttons that offer it. The plain class is bad input; the subclasses carry other codes.
 */
export class CommandError extends Error {
  readonly code: ErrorCode = 'input';
  constructor(message: string, readonly reply: Omit<Reply, 'text' | 'error'> = {}) {
    super(message);
  }
}
export class NotFoundError extends CommandError {
  override readonly code = 'not_found';
}
export class RoleError extends CommandError {
  override readonly code = 'role';
}
export class RateError extends CommandError {
  override readonly code = 'rate';
}
export class ConflictError extends CommandError {
  override readonly code = 'conflict';
}

/** Where refusals are reported (the engine logs them with their code). */
export type RefusalLog = (r: { code: ErrorCode; command: string | null; message: string }) => void;

export function usageLine(cmd: CommandSpec, s: Subcommand<any>): string {
  return `/${cmd.name} ${s.name === cmd.defaultSubcommand ? `[${s.name}]` : s.name}${s.usage ? ` ${s.usage}` : ''}`;
}

/** What `role` may run of `cmd`; without a role, everything. */
export function allowedSubcommands(cmd: CommandSpec, role?: Role): Subcommand<any>[] {
  return role ? cmd.subcommands.filter((s) => s.roles.includes(role)) : cmd.subcommands;
}

/** The usage of a command, listing only what `role` may run. */
export function helpReply(cmd: CommandSpec, role?: Role): Reply {
  return {
    text: `/${cmd.name}: ${cmd.summary}`,
    fields: allowedSubcommands(cmd, role).map((s) => ({ label: usageLine(cmd, s), value: `${s.summary} (${s.roles.join(', ')})` })),
  };
}

/** Registry of every command; names are unique across the core and plugins. */
export class Commands implements CommandRegistry {
  private readonly byName = new Map<string, CommandSpec>();

  constructor(private readonly log: RefusalLog = () => {}) {}

  register(spec: CommandSpec): void {
    if (!/^[a-z][a-z0-9_-]{0,31}$/.test(spec.name)) throw new Error(`invalid command name "${spec.name}"`);
    if (this.byName.has(spec.name)) throw new Error(`command /${spec.name} is registered twice`);
    this.byName.set(spec.name, spec);
  }

  list(): CommandSpec[] {
    return [...this.byName.values()];
  }

  get(name: string): CommandSpec | undefined {
    return this.byName.get(name);
  }

  /** Parses, checks the role and runs; every refusal is a coded error turned into a reply here, and logged. */
  async dispatch(ctx: CommandContext, name: string, argText: string): Promise<Reply[]> {
    try {
      return await this.run(ctx, name, argText);
    } catch (e) {
      if (!(e instanceof CommandError)) throw e;
      return [this.refuse(e, name)];
    }
  }

  /** The one place a coded error becomes a reply, and is logged with its code; `command` null: refused before any command was read. */
  refuse(e: CommandError, command: string | null): Reply {
    this.log({ code: e.code, command, message: e.message });
    return refusal(e.message, e.reply);
  }

  private async run(ctx: CommandContext, name: string, argText: string): Promise<Reply[]> {
    const cmd = this.byName.get(name.toLowerCase());
    if (!cmd) {
      const names = this.list().map((c) => `/${c.name}`).join(', ');
      throw new NotFoundError(`Unknown command /${name}. Commands: ${names}. Type /crm help for usage.`);
    }
    const hidden = hiddenCharacter(argText);
    if (hidden) throw new CommandError(hiddenCharacterMessage(hidden));
    const quote = unclosedQuote(argText);
    if (quote) throw new CommandError(quote);
    const tokens = tokenize(argText);
    const first = tokens[0]?.toLowerCase();
    if (first === 'help' && !cmd.subcommands.some((x) => x.name === 'help')) return [helpReply(cmd, ctx.actor.role)];
    let s = cmd.subcommands.find((x) => x.name === first);
    let restTokens = tokens.slice(1);
    let rest = argText.trim().slice(tokens[0] ? argText.trim().indexOf(tokens[0]) + tokens[0].length : 0).trim();
    if (!s && cmd.defaultSubcommand) {
      s = cmd.subcommands.find((x) => x.name === cmd.defaultSubcommand);
      restTokens = tokens;
      rest = argText.trim();
    }
    if (!s) {
      const help = helpReply(cmd, ctx.actor.role);
      return [first ? refusal(`/${cmd.name} has no "${first}". ${cmd.summary}:`, help) : help];
    }
    if (!s.roles.includes(ctx.actor.role)) {
      throw new RoleError(`/${cmd.name} ${s.name} needs the role ${roleList(s.roles)}; you are ${ctx.actor.role}. Ask an admin (/crm role).`);
    }
    const parsed = s.args.safeParse({ ...splitOptions(restTokens, s.options ?? []), rest });
    if (!parsed.success) {
      const why = parsed.error.issues.map((i) => i.message).join('; ');
      throw new CommandError(`${why}. Usage: ${usageLine(cmd, s)}`);
    }
    const out = await s.run(ctx, parsed.data);
    return Array.isArray(out) ? out : [out];
  }
}

function roleList(roles: readonly Role[]): string {
  return roles.length === 1 ? roles[0]! : `${roles.slice(0, -1).join(', ')} or ${roles.at(-1)}`;
}
