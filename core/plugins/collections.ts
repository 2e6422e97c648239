import type { DocCollection, Ledger } from '../store/port.js';
import type { PluginContext } from './host.js';

declare const document: unique symbol;
/** Names a collection's document type in a table for `openCollections`; it holds nothing at run time. */
export interface DocsOf<T extends { id: string }> {
  readonly kind: 'docs';
  readonly [document]?: T;
}
/** Marks a ledger in a table for `openCollections`. */
export interface LedgerOf {
  readonly kind: 'ledger';
}

export const docsOf = <T extends { id: string }>(): DocsOf<T> => ({ kind: 'docs' });
export const ledgerOf: LedgerOf = { kind: 'ledger' };

export type Opened<S> = { [K in keyof S]: S[K] extends DocsOf<infer T> ? DocCollection<T> : Ledger };

/**
 * A plugin's collections and ledgers in one tenant, each opened under its key in `table`
 * (`{ mentions: docsOf<Mention>(), counts: ledgerOf }`), typed by the table.
 */
export function openCollections<S extends Record<string, DocsOf<any> | LedgerOf>>(
  ctx: Pick<PluginContext<any, any>, 'docs' | 'ledger'>, tenant: string, table: S,
): Opened<S> {
  const opened = Object.entries(table).map(([name, k]) => [name, k.kind === 'docs' ? ctx.docs(tenant, name) : ctx.ledger(tenant, name)]);
  return Object.fromEntries(opened) as Opened<S>;
}
