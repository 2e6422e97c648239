import type { DocCollection } from './port.js';

/**
 * Read-modify-write of one plugin document that loses nothing to concurrent writers: `change` sees the stored
 * document and returns the fields to set (null: leave it); when another writer got in between, it sees the new
 * document and decides again. Returns the document as written, or null when nothing was (missing, or left).
 */
export async function changeDoc<T extends { id: string }>(
  docs: DocCollection<T>, id: string, change: (doc: T) => Partial<Omit<T, 'id'>> | null,
): Promise<T | null> {
  for (;;) {
    const row = await docs.getVersioned(id);
    const patch = row ? change(row.doc) : null;
    if (!row || !patch) return null;
    if ((await docs.update(id, patch, { ifVersion: row.version })).status === 'ok') return { ...row.doc, ...patch };
  }
}
