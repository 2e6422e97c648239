/** Money as typed in chat: 12000, 12,000, 12 000, 12k, 1.2m, 99.95 -> integer minor units (cents). */
export type AmountResult = { ok: true; minor: number } | { ok: false; error: string };

export const AMOUNT_FORMS = '12000, 12,000, 12 000, 12k, 1.2m or 99.95';

export function parseAmount(input: string): AmountResult {
  const raw = input.trim().toLowerCase().replace(/[\s\u00a0_]/g, '');
  if (raw.startsWith('-')) return { ok: false, error: 'Amounts cannot be negative' };
  const m = /^(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?([km])?$/.exec(raw);
  if (!m) return { ok: false, error: `"${input.trim()}" is not an amount (write ${AMOUNT_FORMS})` };
  const whole = m[1]!.replace(/,/g, '');
  const frac = m[2] ?? '';
  const scale = m[3] === 'k' ? 3 : m[3] === 'm' ? 6 : 0;
  // Shift the decimal point in the string: no floating point ever touches money.
  const digits = whole + frac;
  const pointAt = whole.length + scale + 2;
  const padded = digits.padEnd(pointAt, '0');
  if (padded.length > pointAt && /[1-9]/.test(padded.slice(pointAt))) return { ok: false, error: `"${input.trim()}" has more than two decimals` };
  const minor = Number(padded.slice(0, pointAt));
  if (!Number.isSafeInteger(minor) || minor > 1e15) return { ok: false, error: `"${input.trim()}" is too large` };
  return { ok: true, minor };
}

const CURRENCIES = new Set(Intl.supportedValuesOf('currency'));

export function isCurrency(code: string): boolean {
  return /^[A-Z]{3}$/.test(code) && CURRENCIES.has(code);
}

export function formatMoney(minor: number, currency: string): string {
  return new Intl.NumberFormat('en-US', { style: 'currency', currency, maximumFractionDigits: 2 }).format(minor / 100);
}

/** The amount and optional currency code standing anywhere among `words`; the other words stay in order. */
export type PickedAmount = { ok: true; minor: number; currency: string | null; rest: string[] } | { ok: false; error: string };

export function pickAmount(words: string[]): PickedAmount {
  const isCode = (w: string | undefined) => w !== undefined && /^[A-Z]{3}$/.test(w) && isCurrency(w);
  const amounts = words.map((w, i) => ({ i, r: /^\d/.test(w) ? parseAmount(w) : null })).filter((x) => x.r?.ok);
  if (!amounts.length) return { ok: false, error: `no amount found (write ${AMOUNT_FORMS}, e.g. 1200 or 99.95 EUR)` };
  // With several numbers ("3 seats 1200 EUR") the one beside a currency code is the money, else the last.
  const pick = amounts.find((x) => isCode(words[x.i + 1]) || isCode(words[x.i - 1])) ?? amounts.at(-1)!;
  const codeAt = isCode(words[pick.i + 1]) ? pick.i + 1 : isCode(words[pick.i - 1]) ? pick.i - 1 : -1;
  const minor = (pick.r as { ok: true; minor: number }).minor;
  return { ok: true, minor, currency: codeAt >= 0 ? words[codeAt]! : null, rest: words.filter((_, i) => i !== pick.i && i !== codeAt) };
}
