import type { Case, Customer, Deal, IdentityLink, Interaction, MergeRecord } from '../../domain/types.js';
import type { OutboxItem } from '../port.js';
import {
  caseRecord, customerRecord, dealRecord, identityRecord, interactionRecord, mergeRecord, outboxRecord, type Fields,
} from '../records.js';

/** Stored rows to port records: SQLite's part is the snake_case column names and the JSON columns; records.ts does the rest. */
export type Row = Record<string, unknown>;
export const json = (v: unknown) => JSON.stringify(v);
export const parse = <T>(v: unknown): T => JSON.parse(String(v)) as T;

const camelNames = new Map<string, string>();
/** Column names are the schema's few, so each is converted once: a regex per column per row cost most of a long list's decoding. */
const camel = (column: string) => {
  let name = camelNames.get(column);
  if (name === undefined) camelNames.set(column, (name = column.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase())));
  return name;
};

/** A row's columns under the records' field names, the named JSON columns parsed (a NULL one stays null). */
export function rowFields(r: Row, jsonColumns: readonly string[] = []): Fields {
  const f: Fields = {};
  for (const [k, v] of Object.entries(r)) f[camel(k)] = jsonColumns.includes(k) && typeof v === 'string' ? JSON.parse(v) : v;
  return f;
}

export const toCustomer = (r: Row): Customer => customerRecord(rowFields(r, ['emails', 'phones', 'tags', 'consent']));
export const toIdentity = (r: Row): IdentityLink => identityRecord(rowFields(r));
export const toInteraction = (r: Row): Interaction => interactionRecord(rowFields(r, ['edits']));
export const toDeal = (r: Row): Deal => dealRecord(rowFields(r, ['history']));
export const toCase = (r: Row): Case => caseRecord(rowFields(r));
export const toMerge = (r: Row): MergeRecord => mergeRecord(rowFields(r, ['identities', 'interaction_ids', 'deal_ids']));
export const toOutbox = (r: Row): OutboxItem => outboxRecord(rowFields(r, ['reply', 'parts']));
