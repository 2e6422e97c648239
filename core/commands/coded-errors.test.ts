import { describe, expect, it } from 'vitest';
import { noArgs, words } from './args.js';
import { hiddenCharacter, hiddenCharacterMessage } from './hygiene.js';
import { Commands, ConflictError, NotFoundError, type ErrorCode } from './router.js';
import { unclosedQuote } from './tokenize.js';
import type { CommandContext } from './types.js';

/** Every refusal, from the router or thrown by a handler, becomes a reply in one place and is logged with its code. */
describe('coded errors', () => {
  const logged: { code: ErrorCode; command: string | null; message: string }[] = [];
  const commands = new Commands((r) => logged.push(r));
  commands.register({
    name: 'thing',
    summary: 'Things',
    subcommands: [
      { name: 'get', usage: '<id>', summary: 'Get', roles: ['rep'], args: words(1, 1, 'Name a thing'), run: async (_c, a) => { throw new NotFoundError(`No thing ${a.words[0]}.`); } },
      { name: 'add', usage: '', summary: 'Add', roles: ['rep'], args: noArgs, run: async () => { throw new ConflictError('That thing exists.', { buttons: [] }); } },
      { name: 'drop', usage: '', summary: 'Drop', roles: ['admin'], args: noArgs, run: async () => ({ text: 'dropped' }) },
    ],
  });
  const ctx = { actor: { role: 'rep' } } as unknown as CommandContext;

  it.each([
    ['thing', 'get T-9', 'not_found', 'No thing T-9.'],
    ['thing', 'add', 'conflict', 'That thing exists.'],
    ['thing', 'drop', 'role', '/thing drop needs the role admin; you are rep. Ask an admin (/crm role).'],
    ['thing', 'get', 'input', 'Name a thing. Usage: /thing get <id>'],
    ['nothing', '', 'not_found', 'Unknown command /nothing. Commands: /thing. Type /crm help for usage.'],
    ['thing', 'get "T-9', 'input', unclosedQuote('get "T-9')!],
    ['thing', 'get T\u202E9', 'input', hiddenCharacterMessage(hiddenCharacter('get T\u202E9')!)],
  ] as const)('/%s %s is refused as %s', async (name, args, code, text) => {
    logged.length = 0;
    const [reply] = await commands.dispatch(ctx, name, args);
    expect(reply).toMatchObject({ text, error: true });
    expect(logged).toEqual([{ code, command: name, message: text }]);
  });
});
