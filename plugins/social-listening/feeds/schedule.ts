/** How often a cron expression runs, in words, for `/listen source` (the schedule is the `pollCron` setting). */
export function cronText(cron: string): string {
  const f = cron.trim().split(/\s+/);
  const num = (s: string | undefined) => (s !== undefined && /^\d{1,2}$/.test(s) ? Number(s) : null);
  const every = (s: string | undefined) => (s === '*' ? 1 : /^\*\/\d{1,2}$/.test(s ?? '') ? Number(s!.slice(2)) : null);
  const plural = (n: number, unit: string) => (n === 1 ? `every ${unit}` : `every ${n} ${unit}s`);
  if (f.length === 5 && f.slice(2).every((x) => x === '*')) {
    const [min, hour] = f;
    const m = every(min);
    if (m !== null && hour === '*') return plural(m, 'minute');
    const h = every(hour);
    if (num(min) !== null && h !== null) return plural(h, 'hour');
    if (num(min) !== null && num(hour) !== null) return `every day at ${String(num(hour)).padStart(2, '0')}:${String(num(min)).padStart(2, '0')} UTC`;
  }
  return `on the schedule "${cron}" (UTC)`;
}
