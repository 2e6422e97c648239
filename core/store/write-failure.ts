/** Errors that mean "the store cannot write right now" (disk full, read-only, I/O, no writable primary), as opposed to bugs. */
const SQLITE = /^SQLITE_(FULL|READONLY|IOERR|CANTOPEN|PERM|NOLFS)/;
const ERRNO = new Set(['ENOSPC', 'EROFS', 'EACCES', 'EPERM', 'EDQUOT', 'EIO']);
const MONGO_NAMES = new Set(['MongoNetworkError', 'MongoServerSelectionError', 'MongoNotConnectedError', 'MongoWriteConcernError', 'MongoNetworkTimeoutError']);
// NotWritablePrimary, NotPrimaryNoSecondaryOk, NotPrimaryOrSecondary, PrimarySteppedDown, ShutdownInProgress,
// InterruptedAtShutdown, WriteConcernFailed, UnsatisfiableWriteConcern, OutOfDiskSpace.
const MONGO_CODES = new Set([10107, 13435, 13436, 189, 91, 11600, 64, 100, 14031]);

export function writeFailure(e: unknown): string | null {
  if (!e || typeof e !== 'object') return null;
  const { code, name, message, errorLabels } = e as { code?: unknown; name?: string; message?: string; errorLabels?: unknown };
  const said = (message ?? '').split('\n')[0]!.slice(0, 200);
  if (typeof code === 'string' && (SQLITE.test(code) || ERRNO.has(code))) return `${said} (${code})`;
  if (name && MONGO_NAMES.has(name)) return `${said} (${name})`;
  if (typeof code === 'number' && MONGO_CODES.has(code)) return `${said} (MongoDB code ${code})`;
  if (Array.isArray(errorLabels) && errorLabels.includes('RetryableWriteError')) return `${said} (retryable write error)`;
  return null;
}
