import { z } from 'zod';

/** Platform-neutral answer; every adapter renders it its own way (Block Kit, embeds, inline keyboard, JSON). */
export const buttonSchema = z.object({
  id: z.string().min(1).max(64),
  label: z.string().min(1).max(80),
  value: z.string().max(2000),
});
export const replySchema = z.object({
  text: z.string(),
  fields: z.array(z.object({ label: z.string(), value: z.string() })).optional(),
  buttons: z.array(buttonSchema).optional(),
  choices: z
    .object({
      id: z.string().min(1).max(64),
      placeholder: z.string(),
      options: z.array(z.object({ label: z.string(), value: z.string() })),
    })
    .optional(),
  image: z.string().optional(),
  visibility: z.enum(['private', 'public']).optional(),
  /** Set on refusals (bad input, missing role, unknown command) so a client can show them apart from results. */
  error: z.literal(true).optional(),
});

export type Button = z.infer<typeof buttonSchema>;
export type Reply = z.infer<typeof replySchema>;
export type Field = NonNullable<Reply['fields']>[number];

/** A refusal: what was wrong and what to type instead. */
export function refusal(t: string, rest: Omit<Reply, 'text' | 'error'> = {}): Reply {
  return { ...rest, text: t, error: true };
}

export function text(t: string): Reply {
  return { text: t };
}

/** A button whose press runs `/<command> <sub> <value>` as the person who pressed it. */
export function commandButton(label: string, command: string, sub: string, value: string): Button {
  return { id: `${command}.${sub}`, label, value };
}
