/** A person's own time zone: validated IANA names and instants shown in the zone of whoever reads them. */

/** The canonical spelling of an IANA zone (`europe/berlin` -> `Europe/Berlin`, `US/Pacific` -> `America/Los_Angeles`); null when unknown. */
export function canonicalZone(text: string): string | null {
  if (!/^[A-Za-z][A-Za-z0-9_+\-/]{0,63}$/.test(text)) return null;
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone: text }).resolvedOptions().timeZone;
  } catch {
    return null;
  }
}

/** The zone to show a person times in: their own when known, else the tenant's. */
export function zoneFor(person: { timezone: string | null } | null | undefined, tenantZone: string): string {
  return person?.timezone ?? tenantZone;
}

/** `2026-03-29 03:30 CEST`: an instant as the reader's wall clock, with the zone's abbreviation so DST shows. */
export function formatInZone(iso: string, zone: string): string {
  const parts = Object.fromEntries(new Intl.DateTimeFormat('en-US', {
    timeZone: zone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', timeZoneName: 'short',
  }).formatToParts(new Date(iso)).map((p) => [p.type, p.value]));
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute} ${parts.timeZoneName}`;
}
