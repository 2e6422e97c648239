import type { AckFn, App, Receiver } from '@slack/bolt';
import type { HttpRequest, HttpResponse, Logger } from '../../core/index.js';
import { json } from '../../core/index.js';
import { incomingSchema, parseBody, urlVerificationSchema } from './payloads.js';
import { verifySlackRequest } from './verify.js';

export interface RouteReceiverOptions {
  signingSecret: string;
  /** Milliseconds since the epoch; the engine's clock, so tests can move time. */
  now: () => number;
  log: Logger;
  /** Slack gives up after 3 s; a listener that has not acknowledged by then is answered 200 anyway. */
  ackDeadlineMs?: number;
}

function header(req: HttpRequest, name: string): string | undefined {
  const v = req.headers[name];
  return typeof v === 'string' ? v : undefined;
}

function ackResponse(response: unknown): HttpResponse {
  if (response === undefined || response === '') return { status: 200, body: '' };
  if (typeof response === 'string') return { status: 200, headers: { 'content-type': 'text/plain; charset=utf-8' }, body: response };
  return json(200, response as object);
}

/**
 * A Bolt receiver fed by the shared HTTP server's `POST /slack/events` route instead of a server of its
 * own: checks the signature on the raw bytes, validates, answers url_verification, and hands the rest
 * to Bolt, answering HTTP as soon as the listener acknowledges while the work goes on.
 */
export class RouteReceiver implements Receiver {
  private app: App | null = null;
  private readonly pending = new Set<Promise<void>>();

  constructor(private readonly opts: RouteReceiverOptions) {}

  init(app: App): void {
    this.app = app;
  }

  /** The core starts and stops the HTTP server; there is nothing to listen on here. */
  async start(): Promise<void> {}

  /** Waits for work still running after its acknowledgement (replies being delivered). */
  async stop(): Promise<void> {
    await Promise.allSettled([...this.pending]);
  }

  async handle(req: HttpRequest): Promise<HttpResponse> {
    const verdict = verifySlackRequest(req.headers, req.body, this.opts.signingSecret, Math.floor(this.opts.now() / 1000));
    if (!verdict.ok) return json(401, { error: verdict.reason });
    const body = parseBody(header(req, 'content-type'), req.body);
    if (!body) return json(400, { error: 'body is neither Slack JSON nor a Slack form' });
    const parsed = incomingSchema.safeParse(body);
    if (!parsed.success) return json(400, { error: 'not a Slack payload this app handles' });
    const challenge = urlVerificationSchema.safeParse(body);
    if (challenge.success) return json(200, { challenge: challenge.data.challenge });
    if (body.type === 'app_rate_limited' || body.ssl_check === '1') return { status: 200, body: '' };
    const retry = Number(header(req, 'x-slack-retry-num'));
    return this.dispatch(parsed.data as Record<string, unknown>, Number.isInteger(retry) ? retry : undefined, header(req, 'x-slack-retry-reason'));
  }

  private dispatch(body: Record<string, unknown>, retryNum: number | undefined, retryReason: string | undefined): Promise<HttpResponse> {
    const app = this.app;
    if (!app) return Promise.resolve(json(503, { error: 'Slack app not initialised' }));
    return new Promise((resolve) => {
      let answered = false;
      const answer = (res: HttpResponse) => {
        if (answered) return;
        answered = true;
        clearTimeout(timer);
        resolve(res);
      };
      const timer = setTimeout(() => {
        this.opts.log.warn('slack listener did not acknowledge in time; answered 200');
        answer({ status: 200, body: '' });
      }, this.opts.ackDeadlineMs ?? 2500);
      const ack: AckFn<any> = async (response) => answer(ackResponse(response));
      const work: Promise<void> = app
        .processEvent({ body, ack, retryNum, retryReason })
        .catch((e) => this.opts.log.error({ err: String(e) }, 'slack listener failed'))
        // Nothing listened (an event type we do not use): still a 200, so Slack does not retry.
        .finally(() => {
          answer({ status: 200, body: '' });
          this.pending.delete(work);
        });
      this.pending.add(work);
    });
  }
}
