import { mkdirSync, rmSync, statfsSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ConfigError } from '../config.js';

/** Below this much free space the store would fail on its first busy minute; start-up stops instead. */
export const MIN_FREE_BYTES = 16 * 1024 * 1024;

/** Why a data directory cannot hold the store, from what the file system reported; null when it can. */
export function dataDirProblem(free: { bavail: number; bsize: number } | null, writeError: NodeJS.ErrnoException | null): string | null {
  if (writeError) return `cannot write there (${writeError.code ?? 'error'}: ${writeError.message.replace(/^\w+: /, '').split(',')[0]})`;
  if (free && free.bavail * free.bsize < MIN_FREE_BYTES) return `the disk is full (${Math.floor((free.bavail * free.bsize) / 1024)} KiB free, at least ${MIN_FREE_BYTES / 1024 / 1024} MiB needed)`;
  return null;
}

/** Stops start-up with one line naming CRM_DATA_DIR and the path when the directory is unwritable or full. */
export function checkDataDir(dir: string): void {
  const path = resolve(dir);
  let writeError: NodeJS.ErrnoException | null = null;
  let free: { bavail: number; bsize: number } | null = null;
  try {
    mkdirSync(path, { recursive: true });
    const probe = join(path, `.write-probe-${process.pid}`);
    writeFileSync(probe, 'ok');
    rmSync(probe);
    free = statfsSync(path);
  } catch (e) {
    writeError = e as NodeJS.ErrnoException;
  }
  const problem = dataDirProblem(free, writeError);
  if (problem) throw new ConfigError([`CRM_DATA_DIR ${path}: ${problem}. Point CRM_DATA_DIR at a writable directory with free space.`]);
}
