import pino from 'pino';

export type Logger = pino.Logger;

/** JSON logs; message bodies and secrets are never logged at info level. */
export function createLogger(level = process.env.LOG_LEVEL ?? 'info'): Logger {
  return pino({ level, redact: ['*.token', '*.secret', '*.text', 'req.headers.authorization'] });
}
