/** Parsing of the few values typed in loyalty commands; pure, with table tests. */
export type Parsed<T> = { ok: true; value: T } | { ok: false; error: string };

/** A whole number of points above zero, at most `max` (the configured maxManualPoints or maxRewardCost). */
export function parsePoints(raw: string, max: number, what = 'Points'): Parsed<number> {
  const t = raw.trim().replace(/,/g, '');
  if (/^-/.test(t)) return { ok: false, error: `${what} cannot be negative (you wrote ${raw})` };
  if (/^\d*\.\d+$/.test(t)) return { ok: false, error: `${what} are whole numbers (you wrote ${raw})` };
  if (!/^\d{1,15}$/.test(t)) return { ok: false, error: `"${raw}" is not a number of points (write e.g. 50)` };
  const n = Number(t);
  if (n === 0) return { ok: false, error: `${what} must be above zero` };
  if (n > max) return { ok: false, error: `${what} are at most ${max} at a time (you wrote ${raw})` };
  return { ok: true, value: n };
}

/** A stock count: a whole number, zero allowed. */
export function parseStock(raw: string, max: number): Parsed<number> {
  if (raw === '0') return { ok: true, value: 0 };
  return parsePoints(raw, max, 'Stock');
}

const RESERVED = new Set(['add', 'list', 'help', 'reward']);

/** Reward ids are short slugs, so `/redeem mug` is easy to type on every platform. */
export function parseRewardId(raw: string): Parsed<string> {
  const id = raw.trim().toLowerCase();
  if (!/^[a-z0-9][a-z0-9-]{0,39}$/.test(id)) return { ok: false, error: `"${raw}" is not a reward id (lower-case letters, digits and -, e.g. coffee-mug)` };
  if (RESERVED.has(id)) return { ok: false, error: `"${id}" is a command word; pick another reward id` };
  return { ok: true, value: id };
}
