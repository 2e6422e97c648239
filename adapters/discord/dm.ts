import { Routes, type REST } from 'discord.js';

// DM channel ids never change for a user; caching saves one call per message.
const channels = new WeakMap<REST, Map<string, string>>();

/** The DM channel with a user, opened once per REST client (`POST /users/@me/channels`). */
export async function dmChannel(rest: REST, userId: string): Promise<string> {
  let known = channels.get(rest);
  if (!known) channels.set(rest, (known = new Map()));
  const cached = known.get(userId);
  if (cached) return cached;
  const opened = (await rest.post(Routes.userChannels(), { body: { recipient_id: userId } })) as { id?: unknown };
  if (typeof opened?.id !== 'string') throw new Error('DM channel answer without id');
  known.set(userId, opened.id);
  return opened.id;
}
