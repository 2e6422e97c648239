import { distance } from 'fastest-levenshtein';
import type { Button } from '../chat/reply.js';
import { CommandError } from '../commands/router.js';
import { shortId } from '../domain/ids.js';
import type { Customer } from '../domain/types.js';
import type { TenantStore } from '../store/port.js';

/** Below this a name is another customer, not a typo ("Acme Crop" vs "Acme Corp" is 0.78). */
const MIN_SIMILARITY = 0.7;
const norm = (s: string) => s.trim().toLowerCase().replace(/\s+/g, ' ');

/** 1 for the same name, 0 for nothing in common: edit distance over the longer name, ignoring case and spacing. */
export function nameSimilarity(a: string, b: string): number {
  const x = norm(a);
  const y = norm(b);
  const longest = Math.max(x.length, y.length);
  return longest === 0 ? 1 : 1 - distance(x, y) / longest;
}

/** The candidates whose names are close to `name` but not equal to it, best first. */
export function closestCustomers(name: string, candidates: Customer[], limit = 3): Customer[] {
  const seen = new Set<number>();
  return candidates
    .filter((c) => c.mergedInto === null && !seen.has(c.id) && seen.add(c.id))
    .map((c) => ({ c, score: nameSimilarity(name, c.name) }))
    .filter((x) => x.score >= MIN_SIMILARITY && x.score < 1)
    .sort((a, b) => b.score - a.score || a.c.id - b.c.id)
    .slice(0, limit)
    .map((x) => x.c);
}

/** Asks the store for names sharing a word or the first letters with `name`, then keeps the close ones. */
export async function similarCustomers(store: TenantStore, name: string): Promise<Customer[]> {
  const probes = new Set([...norm(name).split(' ').filter((w) => w.length >= 3), norm(name).slice(0, 3)]);
  const found = await Promise.all([...probes].map((p) => store.customers.search(p, 50)));
  return closestCustomers(name, found.flat());
}

/** A word as the tokenizer reads it back: quoted when it has spaces. */
export function quoteWord(w: string): string {
  return /\s/.test(w) ? `"${w.replace(/"/g, '')}"` : w;
}

/**
 * The question asked before a near-duplicate customer is created: "Did you mean Acme Corp (C-1)?"
 * with buttons that re-run the same command with the existing id or with the new name confirmed.
 */
export function didYouMean(name: string, close: Customer[], rerun: { id: string; args: (ref: string) => string; create?: string }): CommandError {
  const options = close.map((c) => `${c.name} (${shortId('customer', c.id)})`).join(', or ');
  const buttons: Button[] = close.map((c) => ({ id: rerun.id, label: `Use ${shortId('customer', c.id)}`, value: rerun.args(shortId('customer', c.id)) }));
  if (rerun.create !== undefined) buttons.push({ id: rerun.id, label: `Create ${name}`.slice(0, 80), value: rerun.create });
  return new CommandError(`Did you mean ${options}? Nothing was saved yet: pick one below, or type the id.`, { buttons });
}
