import type { webApi } from '@slack/bolt';

const MAX = 1000;

/** Events carry only user ids; names come from users.info, remembered for the life of the process. */
export class DisplayNames {
  private readonly cache = new Map<string, string>();

  async get(client: webApi.WebClient, team: string, user: string): Promise<string | null> {
    const key = `${team}:${user}`;
    const hit = this.cache.get(key);
    if (hit) return hit;
    try {
      const r = await client.users.info({ user });
      const name = r.user?.profile?.display_name || r.user?.real_name || r.user?.name;
      if (!name) return null;
      if (this.cache.size >= MAX) this.cache.delete(this.cache.keys().next().value!);
      this.cache.set(key, name);
      return name;
    } catch {
      // A missing name is not worth failing the message for; the id stands in.
      return null;
    }
  }
}
