import type { CommandSpec, Subcommand } from './types.js';

/** Typed helpers so a subcommand's `run` sees the output type of its own args schema. */
export function sub<A>(s: Subcommand<A>): Subcommand<A> {
  return s;
}

export function command(spec: CommandSpec): CommandSpec {
  return spec;
}
