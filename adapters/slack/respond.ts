import { setTimeout as sleep } from 'node:timers/promises';
import { RespondError, type RespondArguments } from '@slack/bolt';
import { Agent, request } from 'undici';

/** How often a `response_url` post is tried, and the longest Retry-After waited out before giving up on it. */
export const RESPOND_RETRY = { attempts: 3, maxWaitSeconds: 30 };

/**
 * Posts to one host at once (Slack's hooks.slack.com): a burst's answers beyond it wait in the pool's queue, none
 * dropped, instead of each opening a socket of its own. (In the load test 16 and 200 measured the same; this bounds sockets.)
 */
export const RESPOND_CONNECTIONS = 16;

/** Posts one message to a response_url; throws (RespondError) when Slack did not take it. */
export type Respond = (message: RespondArguments) => Promise<void>;

/**
 * Answers through response_url (https://docs.slack.dev/interactivity/handling-user-interaction#message_responses)
 * as Bolt's respond() does (a JSON POST, an error when refused), on keep-alive connections every answer shares: a
 * `fetch` per answer cost the processing thread about as much CPU as running the command. A 429 is waited out
 * (Retry-After) and posted again a bounded number of times; the last refusal is thrown, and the caller falls back
 * to the outbox or the Web API.
 */
export class ResponseUrls {
  private readonly agent: Agent;
  private readonly wait: (ms: number) => Promise<unknown>;

  constructor(opts: { connections?: number; wait?: (ms: number) => Promise<unknown> } = {}) {
    this.agent = new Agent({ connections: opts.connections ?? RESPOND_CONNECTIONS });
    this.wait = opts.wait ?? sleep;
  }

  /** The poster for one response_url. */
  to(url: string): Respond {
    return (message) => this.post(url, message);
  }

  async post(url: string, message: RespondArguments): Promise<void> {
    const body = JSON.stringify(message);
    for (let attempt = 1; ; attempt++) {
      const res = await request(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body, dispatcher: this.agent });
      await res.body.dump();
      if (res.statusCode >= 200 && res.statusCode < 300) return;
      const header = res.headers['retry-after'];
      const seconds = typeof header === 'string' ? Number(header) : NaN;
      if (res.statusCode !== 429 || attempt >= RESPOND_RETRY.attempts || !(seconds >= 0) || seconds > RESPOND_RETRY.maxWaitSeconds) {
        throw new RespondError(`Failed to respond to the response_url: ${res.statusCode}`, res.statusCode);
      }
      await this.wait(seconds * 1000);
    }
  }

  /** Posts to `url`'s host on the wire and waiting for a connection, as the pool counts them. */
  load(url: string): { running: number; waiting: number } {
    const s = this.agent.stats[new URL(url).origin];
    return { running: s?.running ?? 0, waiting: (s?.size ?? 0) - (s?.running ?? 0) };
  }

  close(): Promise<void> {
    return this.agent.close();
  }
}
