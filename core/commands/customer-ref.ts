import type { Customer } from '../domain/types.js';
import { parseShortId, shortId } from '../domain/ids.js';
import type { CustomerRepo } from '../store/port.js';
import { CommandError, NotFoundError } from './router.js';

/** `C-7` or an exact name; several matches are listed with ids and nothing changes. */
export async function resolveCustomer(store: { customers: Pick<CustomerRepo, 'get' | 'findByName'> }, ref: string): Promise<Customer> {
  const id = parseShortId('customer', ref);
  if (id !== null) {
    const c = await store.customers.get(id);
    if (!c) throw new NotFoundError(`No customer ${ref}. Find one with /customer find <text>.`);
    if (c.mergedInto !== null) return resolveCustomer(store, shortId('customer', c.mergedInto));
    return c;
  }
  return oneNamed(ref, await store.customers.findByName(ref));
}

/** The one customer of those found by name `ref`; several are listed with ids and nothing changes. */
export function oneNamed(ref: string, found: Customer[]): Customer {
  if (found.length === 1) return found[0]!;
  if (found.length > 1) {
    throw new CommandError(`"${ref}" matches ${found.length} customers: ${found.map((c) => `${shortId('customer', c.id)} ${c.name}${c.company ? ` (${c.company})` : ''}`).join(', ')}. Use the id.`);
  }
  throw new NotFoundError(`No customer named "${ref}". Add one with /customer add "${ref}", or search with /customer find.`);
}
