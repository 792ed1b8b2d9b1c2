// Browser mode's half of the contract: every ConsoleApi call becomes POST /api/<channel> to the
// loopback server (electron/web), which runs the same services the Electron preload reaches.
import type { Channel, ConsoleApi } from '../../../shared/api';
import type { Envelope } from '../../../shared/errors';
import { createApiClient } from '../../../shared/transport';

export interface BrowserApiOptions {
  token: string | null;
  /** Where the server is; the page's own origin by default. */
  baseUrl?: string;
  fetch?: typeof fetch;
}

export function createBrowserApi(options: BrowserApiOptions): ConsoleApi {
  const doFetch = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  const base = (options.baseUrl ?? '').replace(/\/$/, '');

  return createApiClient(async (channel: Channel, args: unknown[]): Promise<Envelope<unknown>> => {
    if (!options.token) {
      return failure('forbidden', 'This page was opened without its access token. Open the address the console printed when it started (it ends in ?token=…).');
    }
    let response: Response;
    try {
      response = await doFetch(`${base}/api/${channel}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'X-EQ-Token': options.token },
        body: JSON.stringify({ args: wireArgs(args) }),
        credentials: 'omit',
        cache: 'no-store',
      });
    } catch {
      return failure('network', 'Cannot reach the console server. Is it still running?');
    }
    const body: unknown = await response.json().catch(() => null);
    if (isEnvelope(body)) return body;
    return failure('network', `The console server answered ${response.status} ${response.statusText}`.trim());
  });
}

/**
 * JSON turns an omitted optional argument into null, which a service's `options = {}` default
 * would not replace; drop trailing undefined so the service sees the call as it was written.
 */
export function wireArgs(args: unknown[]): unknown[] {
  let end = args.length;
  while (end > 0 && args[end - 1] === undefined) end--;
  return args.slice(0, end);
}

function failure(code: 'forbidden' | 'network', message: string): Envelope<unknown> {
  return { ok: false, error: { code, message } };
}

function isEnvelope(value: unknown): value is Envelope<unknown> {
  if (value === null || typeof value !== 'object') return false;
  const v = value as { ok?: unknown; error?: { message?: unknown } };
  if (v.ok === true) return 'value' in v;
  return v.ok === false && typeof v.error?.message === 'string';
}
