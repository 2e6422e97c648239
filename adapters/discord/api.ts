import { DiscordAPIError, HTTPError, RateLimitError, REST, type RawFile, type RequestData } from 'discord.js';
import type { RenderedMessage } from './render.js';

export const DEFAULT_API_URL = 'https://discord.com/api/v10';

/** Rate limits longer than this are not waited out inside a call; they surface as a RateLimitError. */
export const LONGEST_WAIT_MS = 10_000;

/** discord.js takes the API root and the version apart: https://discord.com/api/v10 -> (…/api, 10). */
export function restRoot(apiUrl: string | undefined): { api: string; version: string } {
  const m = /^(.*?)\/v(\d+)\/*$/.exec(apiUrl ?? DEFAULT_API_URL);
  return m ? { api: m[1]!, version: m[2]! } : { api: (apiUrl ?? DEFAULT_API_URL).replace(/\/+$/, ''), version: '10' };
}

/**
 * The one REST client of the adapter: discord.js's own, with its per-route buckets, global limit,
 * 429 waits and 5xx retries. Interaction replies, outbox sends, gateway replies and command
 * registration all share it, so they share the buckets too. A wait longer than LONGEST_WAIT_MS is
 * thrown instead, so the outbox reschedules rather than holding its lease.
 */
export function createRest(apiUrl: string | undefined, botToken: string | undefined): REST {
  const rest = new REST({ ...restRoot(apiUrl), rejectOnRateLimit: (limit) => limit.retryAfter > LONGEST_WAIT_MS || limit.timeToReset > LONGEST_WAIT_MS });
  if (botToken) rest.setToken(botToken);
  return rest;
}

/** A rendered message as request data: JSON, or multipart (`payload_json` + `files[n]`) when it carries files. */
export function messageData(msg: RenderedMessage, extra: { auth?: boolean; flags?: number } = {}): RequestData {
  const files: RawFile[] = msg.files.map((f) => ({ name: f.name, contentType: f.contentType, data: f.data }));
  const body = extra.flags ? { ...msg.body, flags: extra.flags } : msg.body;
  return { body, ...(files.length ? { files } : {}), ...(extra.auth === false ? { auth: false } : {}) };
}

/** What a failed call said, in the terms callers decide on. */
export type RestFailure =
  | { kind: 'rate-limited'; retryAfterMs: number; global: boolean }
  | { kind: 'refused'; status: number; code: number | string | null }
  | { kind: 'unavailable'; reason: string };

export function restFailure(e: unknown): RestFailure {
  if (e instanceof RateLimitError) return { kind: 'rate-limited', retryAfterMs: Math.max(e.retryAfter, e.timeToReset), global: e.global };
  if (e instanceof DiscordAPIError) return { kind: 'refused', status: e.status, code: e.code ?? null };
  if (e instanceof HTTPError) return { kind: 'unavailable', reason: `discord answered ${e.status}` };
  return { kind: 'unavailable', reason: String((e as Error)?.message ?? e) };
}
