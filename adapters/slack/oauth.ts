import type { IncomingMessage, ServerResponse } from 'node:http';
import type { InstallProvider } from '@slack/oauth';
import type { HttpRequest, HttpResponse, HttpServer, Logger } from '../../core/index.js';

/**
 * InstallProvider writes to a Node ServerResponse; our routes return values. This records the few
 * calls it makes (headers, status, body) and turns them into the route's answer.
 */
class Recorder {
  status = 200;
  private readonly headers = new Map<string, string | string[]>();
  private chunks: string[] = [];

  setHeader(name: string, value: string | string[]): this {
    this.headers.set(name.toLowerCase(), value);
    return this;
  }

  getHeader(name: string): string | string[] | undefined {
    return this.headers.get(name.toLowerCase());
  }

  writeHead(status: number, headers?: Record<string, string>): this {
    this.status = status;
    for (const [k, v] of Object.entries(headers ?? {})) this.setHeader(k, v);
    return this;
  }

  end(body?: string): this {
    if (body) this.chunks.push(body);
    return this;
  }

  response(): HttpResponse {
    const headers: Record<string, string> = {};
    for (const [k, v] of this.headers) headers[k] = Array.isArray(v) ? v.join(', ') : v;
    return { status: this.status, headers, body: this.chunks.join('') };
  }
}

function nodeRequest(req: HttpRequest): IncomingMessage {
  const qs = req.query.toString();
  return { url: `${req.path}${qs ? `?${qs}` : ''}`, headers: req.headers } as IncomingMessage;
}

/** `GET /slack/install` (Add to Slack) and `GET /slack/oauth_redirect` (stores the workspace's installation). */
export function mountOAuth(http: HttpServer, installer: InstallProvider, log: Logger): void {
  const run = (fn: (req: IncomingMessage, res: ServerResponse) => Promise<void>) => async (req: HttpRequest): Promise<HttpResponse> => {
    const res = new Recorder();
    try {
      await fn(nodeRequest(req), res as unknown as ServerResponse);
    } catch (e) {
      log.error({ err: String(e) }, 'slack oauth step failed');
      return { status: 500, headers: { 'content-type': 'text/plain; charset=utf-8' }, body: 'Slack installation failed. Try again from /slack/install.' };
    }
    return res.response();
  };
  http.route('GET', '/slack/install', run((req, res) => installer.handleInstallPath(req, res)));
  http.route('GET', '/slack/oauth_redirect', run((req, res) => installer.handleCallback(req, res)));
}
