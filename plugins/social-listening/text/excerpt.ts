export const MAX_EXCERPT = 280;

/** At most 280 characters of `text`, centred on where it matched, with … where it was cut. */
export function excerpt(text: string, at: number, max = MAX_EXCERPT): string {
  const t = text.replace(/\s+/g, ' ').trim();
  if (t.length <= max) return t;
  const shift = text.length - text.trimStart().length;
  const pos = Math.max(0, Math.min(t.length, at - shift));
  let start = Math.max(0, Math.min(pos - Math.floor(max / 3), t.length - max));
  let end = Math.min(t.length, start + max);
  if (start > 0) start++;
  if (end < t.length) end--;
  // Never cut a surrogate pair in half.
  if (/[\udc00-\udfff]/.test(t[start] ?? '')) start++;
  if (/[\ud800-\udbff]/.test(t[end - 1] ?? '')) end--;
  return `${start > 0 ? '…' : ''}${t.slice(start, end)}${end < t.length ? '…' : ''}`;
}
