import type { IncomingMessage, ServerResponse } from 'node:http';
import { HTTPModuleFunctions as http, HTTPResponseAck, type AckFn, type App, type BufferedIncomingMessage, type Logger as BoltLogger, type Receiver } from '@slack/bolt';
import type { HttpRequest, HttpResponse } from '../../core/index.js';
import { json } from '../../core/index.js';
import { incomingSchema } from './payloads.js';

/**
 * Bolt's HTTP handling writes to a Node ServerResponse; our routes return values. This takes the few calls
 * it makes (writeHead, end) and resolves the route's answer from them.
 */
class ResponseRecorder {
  headersSent = false;
  private status = 200;
  private headers: Record<string, string> = {};
  private resolve!: (r: HttpResponse) => void;
  readonly answered = new Promise<HttpResponse>((ok) => (this.resolve = ok));

  writeHead(status: number, headers?: Record<string, string>): this {
    this.status = status;
    this.headers = { ...this.headers, ...headers };
    return this;
  }

  end(body?: string): this {
    if (this.headersSent) return this;
    this.headersSent = true;
    this.resolve({ status: this.status, headers: this.headers, body: body ?? '' });
    return this;
  }
}

/**
 * A Bolt receiver behind the shared server's `POST /slack/events`, doing what Bolt's HTTPReceiver does with
 * Bolt's own pieces: signature and timestamp check, ssl_check, url_verification, retry headers, and the
 * 3-second ack timer. Added here: bodies that are no Slack payload we handle get a 400, and stop() waits for
 * work still running after its acknowledgement.
 */
export class RouteReceiver implements Receiver {
  private app: App | null = null;
  private readonly pending = new Set<Promise<void>>();

  constructor(private readonly opts: { signingSecret: string; logger: BoltLogger }) {}

  init(app: App): void {
    this.app = app;
  }

  /** The core starts and stops the HTTP server; there is nothing to listen on here. */
  async start(): Promise<void> {}

  async stop(): Promise<void> {
    await Promise.allSettled([...this.pending]);
  }

  async handle(req: HttpRequest): Promise<HttpResponse> {
    const logger = this.opts.logger;
    // Already buffered by our server: Bolt reads `rawBody` instead of the stream.
    const incoming = { method: req.method, url: req.path, headers: req.headers, rawBody: req.body } as unknown as BufferedIncomingMessage;
    const res = new ResponseRecorder();
    const response = res as unknown as ServerResponse;
    let body: Record<string, unknown>;
    try {
      body = http.parseHTTPRequestBody(await http.parseAndVerifyHTTPRequest({ signingSecret: this.opts.signingSecret, logger }, incoming));
    } catch (e) {
      logger.warn(`slack request refused: ${(e as Error).message}`);
      return json(401, { error: 'missing, stale or invalid Slack signature' });
    }
    if (body.ssl_check === '1') {
      http.buildSSLCheckResponse(response);
      return res.answered;
    }
    if (body.type === 'url_verification') {
      http.buildUrlVerificationResponse(response, body);
      return res.answered;
    }
    if (!incomingSchema.safeParse(body).success) return json(400, { error: 'not a Slack payload this app handles' });
    if (body.type === 'app_rate_limited') return { status: 200, body: '' };
    const app = this.app;
    if (!app) return json(503, { error: 'Slack app not initialised' });

    const bolt = new HTTPResponseAck({ logger, processBeforeResponse: false, httpRequest: incoming, httpRequestBody: body, httpResponse: response });
    const boundAck = bolt.bind();
    let acked = false;
    const ack: AckFn<unknown> = (r) => ((acked = true), boundAck(r));
    const work: Promise<void> = app
      .processEvent({ body, ack, retryNum: http.extractRetryNumFromHTTPRequest(incoming as IncomingMessage), retryReason: http.extractRetryReasonFromHTTPRequest(incoming as IncomingMessage) })
      // Nothing listened (a payload type we do not use): still a 200, so Slack does not retry it.
      .then(async () => {
        if (!acked) await ack();
      })
      .catch(async (error: Error) => {
        await http.defaultProcessEventErrorHandler({ error, logger, request: incoming, response, storedResponse: undefined });
      })
      .finally(() => this.pending.delete(work));
    this.pending.add(work);
    return res.answered;
  }
}
