import type { IdentityLink } from './types.js';

/** How far behind a known identity's `lastSeenAt` may fall before a message writes it again. */
export const LAST_SEEN_REFRESH_MS = 60_000;

/** What a message says about its author, as `identities.touch` takes it. */
export interface TouchInput {
  displayName: string;
  locale: string | null;
  timezone?: string | null;
}

/**
 * Whether touching `link` now would change nothing but a `lastSeenAt` younger than LAST_SEEN_REFRESH_MS: same
 * name, still reachable, the locale and zone as touch would leave them (a sent locale replaces, a sent zone only
 * fills a gap). Most messages of a burst come from such people, and skipping their write is most of a message's
 * store cost; readers of `lastSeenAt` (which identity of a customer to reach) need it only to the minute.
 */
export function touchChangesNothing(link: IdentityLink, input: TouchInput, nowMs: number): boolean {
  const since = nowMs - Date.parse(link.lastSeenAt);
  return since >= 0 && since < LAST_SEEN_REFRESH_MS
    && link.reachable
    && link.displayName === input.displayName
    && (input.locale === null || input.locale === link.locale)
    && (!input.timezone || link.timezone !== null);
}
