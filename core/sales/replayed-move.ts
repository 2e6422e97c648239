import type { CommandContext } from '../commands/types.js';
import type { Deal } from '../domain/types.js';

/**
 * The stage move this very event already made, found as the deal's last history entry when the event is replayed
 * (its process died after the move was stored, before the command was marked done): the stage the deal came from,
 * so the replay writes nothing again and answers as the first run did. Null when the event has not moved it.
 */
export function replayedMove(ctx: CommandContext, d: Deal): { from: string } | null {
  const last = d.history.at(-1);
  if (!ctx.sourceEventId || last?.sourceEventId !== ctx.sourceEventId) return null;
  return { from: d.history.at(-2)?.stage ?? last.stage };
}

/** Who makes a move now, and the event it is made for, which `replayedMove` looks for. */
export function movedBy(ctx: CommandContext): { at: string; by: string; sourceEventId?: string } {
  return { at: ctx.now(), by: ctx.actor.identity, ...(ctx.sourceEventId ? { sourceEventId: ctx.sourceEventId } : {}) };
}
