import Database from 'better-sqlite3';
import { existsSync } from 'node:fs';
import { doorFile } from './engine.js';

export interface ScanHit {
  table: string;
  column: string;
  needle: string;
  value: string;
}

/**
 * Every text cell of every table of a SQLite file that contains one of the needles (case-insensitive).
 * Erasure and "nothing stored" checks read the file itself, so a table nobody remembered still counts.
 */
export function scanSqliteFile(file: string, needles: readonly string[]): ScanHit[] {
  // The door file holds the requests not yet handled: what a person typed waits there.
  return [file, doorFile(file)].filter((f, i) => i === 0 || existsSync(f)).flatMap((f) => scanOne(f, needles));
}

function scanOne(file: string, needles: readonly string[]): ScanHit[] {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const hits: ScanHit[] = [];
    const tables = db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'`).all() as { name: string }[];
    for (const { name } of tables) {
      const columns = (db.prepare(`SELECT name FROM pragma_table_info(?)`).all(name) as { name: string }[]).map((c) => c.name);
      for (const column of columns) {
        for (const needle of needles) {
          const rows = db.prepare(`SELECT CAST("${column}" AS TEXT) v FROM "${name}" WHERE instr(lower(CAST("${column}" AS TEXT)), lower(?)) > 0 LIMIT 5`).all(needle) as { v: string }[];
          for (const r of rows) hits.push({ table: name, column, needle, value: r.v.slice(0, 200) });
        }
      }
    }
    return hits;
  } finally {
    db.close();
  }
}
