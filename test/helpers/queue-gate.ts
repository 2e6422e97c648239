import { z } from 'zod';
import { command, sub, type ChatEvent, type ParsedArgs, type RunningApp } from '../../core/index.js';

/**
 * Holds an app's ingress queue for tests of what a platform sees with others queued ahead: registers `/gate wait`,
 * whose runs wait until `release()`, and `ahead(n)` fills the queue with `n` of them from other people.
 */
export function queueGate(app: Pick<RunningApp, 'engine'>, filler: (k: number, round: number) => Pick<ChatEvent, 'platform' | 'actor' | 'channel'>) {
  let open: () => void = () => {};
  let gated: Promise<void> = Promise.resolve();
  let fillers: Promise<unknown>[] = [];
  let round = 0;
  app.engine.commands.register(command({
    name: 'gate', summary: 'Waits for the test',
    subcommands: [sub({ name: 'wait', usage: '', summary: 'Wait', roles: ['admin', 'manager', 'rep', 'customer'], args: z.custom<ParsedArgs>(),
      run: async () => (await gated, { text: 'through' }) })],
  }));
  return {
    /** Fills the queue with `n` requests of other people that wait for `release()`. */
    async ahead(n: number): Promise<void> {
      gated = new Promise<void>((ok) => (open = ok));
      round += 1;
      const accepted = await Promise.all(Array.from({ length: n }, (_, k) => app.engine.ingress.submit({
        ...filler(k, round), scope: null, eventId: `filler-${round}-${k}`, text: '/gate wait', command: { name: 'gate', args: 'wait' },
      })));
      fillers = accepted.map((a) => (a.kind === 'accepted' ? a.outcome : Promise.resolve()));
      if (app.engine.ingress.depth < n) throw new Error(`queueGate: ${app.engine.ingress.depth} queued, ${n} wanted`);
    },
    /** Lets the held requests through (without waiting). */
    open(): void {
      open();
    },
    /** Lets them through and waits until they are done. */
    async release(): Promise<void> {
      open();
      await Promise.all(fillers);
      fillers = [];
    },
  };
}
