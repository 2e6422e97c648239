import { oneNamed, resolveCustomer } from '../commands/customer-ref.js';
import { parseShortId } from '../domain/ids.js';
import type { Customer } from '../domain/types.js';
import type { TenantStore } from '../store/port.js';

/**
 * Unquoted names: the longest run of leading words (at most `maxWords`) that names a customer, so
 * `/log call acme corp asked about pricing` finds "Acme Corp". A C-id or a quoted name is one word.
 * Returns null when no run names anyone; several customers with the run's name are refused as usual.
 */
export async function leadingCustomer(store: TenantStore, words: string[], maxWords: number): Promise<{ customer: Customer; used: number } | null> {
  if (words[0] !== undefined && parseShortId('customer', words[0]) !== null) return { customer: await resolveCustomer(store, words[0]), used: 1 };
  for (let n = Math.min(maxWords, words.length); n >= 1; n--) {
    const name = words.slice(0, n).join(' ');
    const found = await store.customers.findByName(name);
    if (found.length) return { customer: oneNamed(name, found), used: n };
  }
  return null;
}
