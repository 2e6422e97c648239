import type { webApi } from '@slack/bolt';

const MAX = 1000;
/** People rename themselves; a name older than a day is asked for again. */
export const NAME_TTL_MS = 24 * 60 * 60 * 1000;

/** The name a person shows in Slack: display name, else real name, else the handle. */
export function displayNameOf(user: { name?: string; real_name?: string; profile?: { display_name?: string; real_name?: string } } | undefined): string | null {
  return user?.profile?.display_name || user?.profile?.real_name || user?.real_name || user?.name || null;
}

/** Events carry only user ids; names come from users.info, remembered for a day. */
export class DisplayNames {
  private readonly cache = new Map<string, { name: string; at: number }>();

  constructor(private readonly now: () => number = Date.now) {}

  async get(client: webApi.WebClient, team: string, user: string): Promise<string | null> {
    const key = `${team}:${user}`;
    const hit = this.cache.get(key);
    if (hit && this.now() - hit.at < NAME_TTL_MS) return hit.name;
    try {
      const name = displayNameOf((await client.users.info({ user })).user);
      if (!name) return hit?.name ?? null;
      this.cache.delete(key);
      if (this.cache.size >= MAX) this.cache.delete(this.cache.keys().next().value!);
      this.cache.set(key, { name, at: this.now() });
      return name;
    } catch {
      // A missing name is not worth failing the message for; the last known name or the id stands in.
      return hit?.name ?? null;
    }
  }
}
