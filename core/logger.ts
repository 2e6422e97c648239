import pino from 'pino';
import pretty from 'pino-pretty';

export type Logger = pino.Logger;

/**
 * Readable lines on a terminal, JSON lines otherwise (a log collector reads those);
 * message bodies and secrets are never logged at info level.
 */
export function createLogger(level = process.env.LOG_LEVEL ?? 'info', terminal = Boolean(process.stdout.isTTY)): Logger {
  const opts = { level, redact: ['*.token', '*.secret', '*.text', 'req.headers.authorization'] };
  if (!terminal) return pino(opts);
  return pino(opts, pretty({ colorize: true, translateTime: 'SYS:HH:MM:ss', ignore: 'pid,hostname', singleLine: true, sync: true }));
}
