/**
 * Fetches one source politely and defensively: conditional GET (ETag / Last-Modified), a time limit on
 * the whole exchange (headers and body), and a size limit enforced while streaming, so a huge or
 * never-ending response is cut off instead of filling memory.
 */

export interface FetchLimits {
  timeoutMs: number;
  maxBytes: number;
}

export interface Validators {
  etag: string | null;
  lastModified: string | null;
}

export type FetchOutcome =
  | { kind: 'ok'; body: string; contentType: string; validators: Validators }
  | { kind: 'not-modified' }
  | { kind: 'skipped'; reason: string };

/** Null when the URL is acceptable; otherwise what is wrong with it. */
export function urlProblem(raw: string): string | null {
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    return `"${raw}" is not a URL (write it like https://example.com/feed.xml)`;
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') return `only http and https URLs can be polled, not ${u.protocol.replace(':', '')}:`;
  if (u.username || u.password) return 'URLs with a user name or password are not accepted';
  return null;
}

export async function fetchSource(url: string, validators: Validators, limits: FetchLimits, fetchImpl: typeof fetch = fetch): Promise<FetchOutcome> {
  const problem = urlProblem(url);
  if (problem) return { kind: 'skipped', reason: problem };
  const abort = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    abort.abort();
  }, limits.timeoutMs);
  try {
    const headers: Record<string, string> = { accept: 'application/rss+xml, application/atom+xml, application/xml, application/json;q=0.9, */*;q=0.5' };
    if (validators.etag) headers['if-none-match'] = validators.etag;
    if (validators.lastModified) headers['if-modified-since'] = validators.lastModified;
    const res = await fetchImpl(url, { headers, signal: abort.signal, redirect: 'follow' });
    if (res.status === 304) {
      await res.body?.cancel().catch(() => undefined);
      return { kind: 'not-modified' };
    }
    if (!res.ok) {
      await res.body?.cancel().catch(() => undefined);
      return { kind: 'skipped', reason: `HTTP ${res.status}` };
    }
    const declared = Number(res.headers.get('content-length'));
    if (declared > limits.maxBytes) {
      abort.abort();
      return { kind: 'skipped', reason: `response of ${declared} bytes is over the ${limits.maxBytes}-byte limit` };
    }
    const chunks: Uint8Array[] = [];
    let size = 0;
    const reader = res.body?.getReader();
    for (;;) {
      if (!reader) break;
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > limits.maxBytes) {
        abort.abort();
        return { kind: 'skipped', reason: `response grew over the ${limits.maxBytes}-byte limit; stopped reading` };
      }
      chunks.push(value);
    }
    const body = new TextDecoder('utf-8').decode(Buffer.concat(chunks));
    return {
      kind: 'ok',
      body,
      contentType: res.headers.get('content-type') ?? '',
      validators: { etag: res.headers.get('etag'), lastModified: res.headers.get('last-modified') },
    };
  } catch (e) {
    if (timedOut) return { kind: 'skipped', reason: `no complete answer within ${limits.timeoutMs / 1000} s` };
    return { kind: 'skipped', reason: `fetch failed: ${(e as Error).message}` };
  } finally {
    clearTimeout(timer);
  }
}
