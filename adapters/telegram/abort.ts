import type { Bot } from 'grammy';

/** grammY types signals with the abort-controller polyfill; Node's own AbortSignal behaves the same at run time. */
export type GrammySignal = NonNullable<Parameters<Bot['init']>[0]>;

export function grammySignal(signal: AbortSignal): GrammySignal {
  return signal as unknown as GrammySignal;
}

export function timeoutSignal(ms: number): GrammySignal {
  return grammySignal(AbortSignal.timeout(ms));
}
