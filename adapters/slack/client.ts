import { LogLevel, webApi, type Logger as BoltLogger } from '@slack/bolt';
import type { AppConfig } from '../../config/index.js';
import type { Logger } from '../../core/index.js';

/**
 * Web API client options shared by Bolt, the OAuth installer and the outbox sender. The client never
 * retries on its own: a 429 surfaces at once so the outbox owns retry timing.
 */
export function clientOptions(env: AppConfig['env'], logger: BoltLogger): webApi.WebClientOptions {
  return {
    ...(env.SLACK_API_URL ? { slackApiUrl: env.SLACK_API_URL.endsWith('/') ? env.SLACK_API_URL : `${env.SLACK_API_URL}/` } : {}),
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    logger,
  };
}

/**
 * Bolt and the Web API log through this. Debug output is dropped because the SDK's debug lines can
 * carry request arguments (message text).
 */
export function boltLogger(log: Logger): BoltLogger {
  let level = LogLevel.INFO;
  const line = (m: unknown[]) => m.map((x) => (x instanceof Error ? x.message : String(x))).join(' ');
  return {
    debug: () => {},
    info: (...m) => log.info({ sdk: 'slack' }, line(m)),
    warn: (...m) => log.warn({ sdk: 'slack' }, line(m)),
    error: (...m) => log.error({ sdk: 'slack' }, line(m)),
    setLevel: (l) => (level = l),
    getLevel: () => level,
    setName: () => {},
  };
}

/** One WebClient per bot token, reused across sends. */
export class Clients {
  private readonly byToken = new Map<string, webApi.WebClient>();
  constructor(private readonly options: webApi.WebClientOptions) {}

  get(token: string): webApi.WebClient {
    let c = this.byToken.get(token);
    if (!c) this.byToken.set(token, (c = new webApi.WebClient(token, this.options)));
    return c;
  }
}
