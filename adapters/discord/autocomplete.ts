import { formatMoney, shortId, type Engine } from '../../core/index.js';
import { commandPath } from './normalize.js';
import type { AutocompleteInteraction } from './payloads.js';
import { usageShape } from './usage.js';

/** Discord shows at most 25 suggestions, each name and value at most 100 characters. */
const LIMIT = { choices: 25, text: 100 } as const;
// Open deals scanned for a match; the newest first, so a busy pipeline still suggests recent ones.
const DEAL_SCAN = 500;

export interface Choice {
  name: string;
  value: string;
}

function cut(s: string): string {
  return s.length > LIMIT.text ? `${s.slice(0, LIMIT.text - 1)}…` : s;
}

/**
 * Suggestions for the customer or deal option being typed, from the asker's tenant only. Customers
 * (the role) get none: names of other customers are staff knowledge. Values are short ids (C-7, D-3),
 * which the core resolves without ambiguity.
 */
export async function suggestions(engine: Engine, tenant: string, identity: string, i: AutocompleteInteraction): Promise<Choice[]> {
  const { path, options } = commandPath(i.data);
  const focused = options.find((o) => o.focused);
  if (!focused) return [];
  const sub = engine.commands.get(path[0]!)?.subcommands.find((s) => s.name === path.at(-1));
  const spec = sub && usageShape(path[0]!, sub.usage)?.parts.flatMap((p) => ('option' in p && p.option.name === focused.name ? [p.option] : []))[0];
  if (!spec || (spec.kind !== 'customer' && spec.kind !== 'deal')) return [];
  const store = engine.store.tenant(tenant);
  const role = (await store.identities.get(identity))?.role ?? engine.roleFor(identity, 'discord');
  if (role === 'customer') return [];
  const typed = String(focused.value ?? '').trim().slice(0, 100);
  if (spec.kind === 'customer') {
    const found = await store.customers.search(typed, LIMIT.choices);
    return found.map((c) => ({ name: cut(`${shortId('customer', c.id)} ${c.name}${c.company ? ` (${c.company})` : ''}`), value: shortId('customer', c.id) }));
  }
  const needle = typed.toLowerCase();
  const deals = await store.deals.list({ open: true }, DEAL_SCAN);
  return deals
    .filter((d) => !needle || `${shortId('deal', d.id)} ${d.title}`.toLowerCase().includes(needle))
    .slice(0, LIMIT.choices)
    .map((d) => ({ name: cut(`${shortId('deal', d.id)} ${d.title} · ${formatMoney(d.amountMinor, d.currency)} · ${d.stage}`), value: shortId('deal', d.id) }));
}
