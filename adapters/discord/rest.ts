import type { RenderedMessage } from './render.js';

export const DEFAULT_API_URL = 'https://discord.com/api/v10';

export interface RestResponse {
  status: number;
  headers: Headers;
  /** Parsed JSON body, or null when there was none. */
  json: any;
}

export interface Rest {
  /** A JSON request. `auth` false for interaction webhooks, which the interaction token authorizes. */
  call(method: string, path: string, body?: object, auth?: boolean): Promise<RestResponse>;
  /** Creates or edits a message: JSON, or multipart when it carries files. */
  message(method: 'POST' | 'PATCH', path: string, msg: RenderedMessage, auth?: boolean): Promise<RestResponse>;
}

/**
 * Plain fetch against DISCORD_API_URL. No retries here: the outbox (or the interaction follow-up code)
 * decides what a 429 or a 5xx means.
 */
export function createRest(apiUrl: string | undefined, botToken: string | undefined): Rest {
  const base = (apiUrl ?? DEFAULT_API_URL).replace(/\/+$/, '');
  const send = async (method: string, path: string, body: string | FormData | undefined, contentType: string | null, auth: boolean) => {
    const headers: Record<string, string> = { 'user-agent': 'DiscordBot (https://github.com/chat-crm, 0.1)' };
    if (auth && botToken) headers.authorization = `Bot ${botToken}`;
    if (contentType) headers['content-type'] = contentType;
    const res = await fetch(`${base}${path}`, { method, headers, body });
    const text = await res.text();
    let json: unknown = null;
    try {
      json = text ? JSON.parse(text) : null;
    } catch {
      json = null;
    }
    return { status: res.status, headers: res.headers, json };
  };
  return {
    call: (method, path, body, auth = true) =>
      send(method, path, body ? JSON.stringify(body) : undefined, body ? 'application/json' : null, auth),
    message(method, path, msg, auth = true) {
      if (!msg.files.length) return send(method, path, JSON.stringify(msg.body), 'application/json', auth);
      // Attachments go as multipart: the JSON in payload_json, each file as files[n]; fetch sets the boundary.
      const form = new FormData();
      form.append('payload_json', JSON.stringify(msg.body));
      msg.files.forEach((f, i) => form.append(`files[${i}]`, new Blob([new Uint8Array(f.data)], { type: f.contentType }), f.name));
      return send(method, path, form, null, auth);
    },
  };
}

/** Milliseconds to wait after a 429: `retry_after` (seconds, float) from the body, else the Retry-After header. */
export function retryAfterMs(res: RestResponse): number {
  const seconds = [res.json?.retry_after, res.headers.get('retry-after')]
    .filter((v) => v !== null && v !== undefined && v !== '')
    .map(Number)
    .find((n) => Number.isFinite(n) && n >= 0);
  return seconds === undefined ? 1000 : Math.ceil(seconds * 1000);
}
