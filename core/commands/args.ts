import { z } from 'zod';
import { hiddenCharacter, hiddenCharacterMessage } from './hygiene.js';
import type { ParsedArgs } from './tokenize.js';

/** Small zod building blocks for command arguments, so every command validates the same way. */
export const noArgs = z.custom<ParsedArgs>().refine((a) => a.words.length === 0, { message: 'This takes no arguments' });

export function words(min: number, max: number, missing: string, extra = 'Too many words (put names with spaces in "quotes")') {
  return z.custom<ParsedArgs>().superRefine((a, ctx) => {
    if (a.words.length < min) ctx.addIssue({ code: 'custom', message: missing });
    else if (a.words.length > max) ctx.addIssue({ code: 'custom', message: extra });
  });
}

/** Rejects text shaped like a query operator ({"$gt": ""}, $where) wherever a name or id is expected. */
export const safeName = z
  .string()
  .min(1)
  .max(200, 'Names are at most 200 characters')
  .refine((s) => !/^\s*[{[]/.test(s) && !s.startsWith('$'), { message: 'That looks like a query, not a name' })
  .superRefine((s, ctx) => {
    const hidden = hiddenCharacter(s) ?? (/[\r\n\t]/.test(s) ? 'a line break or tab' : null);
    if (hidden) ctx.addIssue({ code: 'custom', message: hiddenCharacterMessage(hidden) });
  });
