import { LogLevel, webApi, type Logger as BoltLogger } from '@slack/bolt';
import type { AppConfig } from '../../config/index.js';
import type { Logger } from '../../core/index.js';

/**
 * Web API client options for answers (Bolt's clients, the OAuth installer): on a 429 the client itself waits
 * out Retry-After and tries again (and again, per its retry policy), so no answer is lost to a rate limit.
 */
export function clientOptions(env: AppConfig['env'], logger: BoltLogger): webApi.WebClientOptions {
  const apiUrl = env.SLACK_API_URL ? (env.SLACK_API_URL.endsWith('/') ? env.SLACK_API_URL : `${env.SLACK_API_URL}/`) : DEFAULT_API_URL;
  return {
    slackApiUrl: apiUrl,
    retryConfig: webApi.retryPolicies.fiveRetriesInFiveMinutes,
    rejectRateLimitedCalls: false,
    logger,
  };
}

const DEFAULT_API_URL = 'https://slack.com/api/';

/**
 * The outbox's client hands a 429 straight back instead: the outbox holds a lease on the item while it sends,
 * paces each platform, and reschedules the item after Retry-After, so nothing waits inside a lease.
 */
export function outboxClientOptions(options: webApi.WebClientOptions): webApi.WebClientOptions {
  return { ...options, retryConfig: { retries: 0 }, rejectRateLimitedCalls: true };
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
