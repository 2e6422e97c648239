import type { CommandContext, CommandSpec, Subcommand } from './types.js';

/** Typed helpers so a subcommand's `run` sees the output type of its own args schema. */
export function sub<A, C = CommandContext>(s: Subcommand<A, C>): Subcommand<A, C> {
  return s;
}

export function command<C = CommandContext>(spec: CommandSpec<C>): CommandSpec<C> {
  return spec;
}
