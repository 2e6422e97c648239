import type { webApi } from '@slack/bolt';

const MAX = 1000;
/** People rename themselves; a name older than a day is asked for again. */
export const NAME_TTL_MS = 24 * 60 * 60 * 1000;

/** What users.info tells about a person that the CRM keeps: the name they show and their time zone. */
export interface SlackPerson {
  name: string;
  timezone: string | null;
}

/** The name a person shows in Slack: display name, else real name, else the handle. */
export function displayNameOf(user: { name?: string; real_name?: string; profile?: { display_name?: string; real_name?: string } } | undefined): string | null {
  return user?.profile?.display_name || user?.profile?.real_name || user?.real_name || user?.name || null;
}

/** Events carry only user ids; names and time zones come from users.info, remembered for a day. */
export class DisplayNames {
  private readonly cache = new Map<string, SlackPerson & { at: number }>();

  constructor(private readonly now: () => number = Date.now) {}

  async get(client: webApi.WebClient, team: string, user: string): Promise<string | null> {
    return (await this.person(client, team, user))?.name ?? null;
  }

  async person(client: webApi.WebClient, team: string, user: string): Promise<SlackPerson | null> {
    const key = `${team}:${user}`;
    const hit = this.cache.get(key);
    if (hit && this.now() - hit.at < NAME_TTL_MS) return hit;
    try {
      const info = (await client.users.info({ user })).user;
      const name = displayNameOf(info);
      if (!name) return hit ?? null;
      const found = { name, timezone: info?.tz ?? null };
      this.cache.delete(key);
      if (this.cache.size >= MAX) this.cache.delete(this.cache.keys().next().value!);
      this.cache.set(key, { ...found, at: this.now() });
      return found;
    } catch {
      // A missing name is not worth failing the message for; the last known name or the id stands in.
      return hit ?? null;
    }
  }
}
