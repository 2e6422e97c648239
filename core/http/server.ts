import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Logger } from '../logger.js';

const QUIET_ROUTES = new Set(['GET /web/api/inbox', 'GET /healthz', 'GET /metrics', 'GET /favicon.svg']);

export interface HttpRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
  /** The raw bytes as received: signatures are checked against these, never a re-serialization. */
  body: Buffer;
  /** The peer's address as the socket sees it (never a forwarded header, which anyone can write). */
  remote: string;
}

export interface HttpResponse {
  status: number;
  headers?: Record<string, string>;
  body?: string | Buffer | object;
}

export type Handler = (req: HttpRequest) => Promise<HttpResponse>;

const MAX_BODY = 1024 * 1024;

/** One HTTP server for the whole process; adapters mount their routes on it. */
export class HttpServer {
  private readonly routes = new Map<string, Handler>();
  private server: Server | null = null;
  private inFlight = 0;
  private closing = false;

  constructor(private readonly log: Logger, private readonly onDone: (route: string, status: number) => void = () => {}) {}

  route(method: string, path: string, handler: Handler): void {
    const key = `${method} ${path}`;
    if (this.routes.has(key)) throw new Error(`route ${key} mounted twice`);
    this.routes.set(key, handler);
  }

  private async dispatch(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const handler = this.routes.get(`${req.method} ${url.pathname}`);
    if (this.closing) return send(res, { status: 503, body: { error: 'shutting down' } });
    if (!handler) {
      this.onDone('unmatched', 404);
      return send(res, { status: 404, body: { error: `no route ${req.method} ${url.pathname}` } });
    }
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const c of req) {
      size += (c as Buffer).length;
      if (size > MAX_BODY) return send(res, { status: 413, body: { error: 'body larger than 1 MB' } });
      chunks.push(c as Buffer);
    }
    const started = performance.now();
    const out = await handler({ method: req.method ?? 'GET', path: url.pathname, query: url.searchParams, headers: req.headers, body: Buffer.concat(chunks), remote: req.socket.remoteAddress ?? '' });
    send(res, out);
    const route = `${req.method} ${url.pathname}`;
    this.onDone(route, out.status);
    // Request line only: bodies carry customer data and never reach the log at info level.
    // Polling (the web inbox every 2 s) and probes would drown the log: debug level unless they fail.
    const level = QUIET_ROUTES.has(route) && out.status < 400 ? 'debug' : 'info';
    this.log[level]({ reqId: req.headers['x-request-id'] ?? randomUUID(), route, status: out.status, ms: Math.round(performance.now() - started) }, 'request');
  }

  /**
   * Answers a request without a socket, through the same routes (as Fastify's `app.inject`): tests call the
   * HTTP surface without listening. An object body is sent as JSON; Host and `remote` default to the loopback.
   */
  async inject(req: { method: string; url: string; headers?: Record<string, string>; body?: string | Buffer | object; remote?: string }): Promise<HttpResponse> {
    const url = new URL(req.url, 'http://localhost');
    const handler = this.routes.get(`${req.method} ${url.pathname}`);
    if (!handler) return { status: 404, body: { error: `no route ${req.method} ${url.pathname}` } };
    const isObj = req.body !== undefined && typeof req.body === 'object' && !Buffer.isBuffer(req.body);
    const body = Buffer.from(isObj ? JSON.stringify(req.body) : (req.body as string | Buffer | undefined) ?? '');
    const headers = { host: 'localhost', ...(isObj ? { 'content-type': 'application/json' } : {}), ...req.headers };
    const out = await handler({ method: req.method, path: url.pathname, query: url.searchParams, headers, body, remote: req.remote ?? '127.0.0.1' });
    this.onDone(`${req.method} ${url.pathname}`, out.status);
    return out;
  }

  listen(port: number, host: string): Promise<number> {
    this.server = createServer((req, res) => {
      this.inFlight++;
      this.dispatch(req, res)
        .catch((e) => {
          this.log.error({ err: String(e), path: req.url }, 'request failed');
          if (!res.headersSent) send(res, { status: 500, body: { error: 'internal error' } });
        })
        .finally(() => this.inFlight--);
    });
    return new Promise((ok, fail) => {
      this.server!.once('error', fail);
      this.server!.listen(port, host, () => {
        const addr = this.server!.address();
        ok(typeof addr === 'object' && addr ? addr.port : port);
      });
    });
  }

  /** Stops accepting, lets requests in flight finish (up to the deadline), then closes. */
  async close(deadlineMs = 10_000): Promise<void> {
    this.closing = true;
    const s = this.server;
    if (!s) return;
    const closed = new Promise<void>((ok) => s.close(() => ok()));
    const until = Date.now() + deadlineMs;
    while (this.inFlight > 0 && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
    s.closeAllConnections();
    await closed;
  }
}

function send(res: ServerResponse, out: HttpResponse): void {
  const isObj = out.body !== undefined && typeof out.body === 'object' && !Buffer.isBuffer(out.body);
  const body = isObj ? JSON.stringify(out.body) : (out.body as string | Buffer | undefined);
  res.writeHead(out.status, { ...(isObj ? { 'content-type': 'application/json; charset=utf-8' } : {}), ...out.headers });
  res.end(body);
}

export function json(status: number, body: object): HttpResponse {
  return { status, body };
}
