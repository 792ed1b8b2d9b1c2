// The one rule for a runner's address, for every door: the environment form, --runner, a flush
// request, a launch. A base URL is http(s), with no query, fragment or trailing slash; the
// runner's endpoints hang off it.
import { ConsoleError } from './errors';
import { trimChars } from './text';

/** A runner base URL as the console stores it, or a bad-input error saying why not. */
export function runnerBaseUrl(input: unknown): string {
  const text = typeof input === 'string' ? input.trim() : '';
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new ConsoleError('bad-input', `The runner URL must be an http(s) address such as http://localhost:5000, not "${text}".`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ConsoleError('bad-input', `The runner URL must start with http:// or https://, not ${url.protocol}//.`);
  }
  if (!url.hostname) throw new ConsoleError('bad-input', `The runner URL names no host: "${text}".`);
  if (url.search || url.hash) throw new ConsoleError('bad-input', "The runner URL is the runner's base address: no query string or #fragment.");
  return trimChars(text, '/', 'end');
}

const trim = (base: string) => trimChars(base, '/', 'end');

/** The runner's endpoints (RUNNER-CONTRACT §3-§5), off a base URL (a stray trailing slash is forgiven). */
export const runnerEndpoints = {
  session: (base: string, token: string) => `${trim(base)}/session?token=${token}`,
  flush: (base: string) => `${trim(base)}/flush`,
  schemas: (base: string) => `${trim(base)}/schemas`,
  schema: (base: string, name: string) => `${trim(base)}/schemas/${encodeURIComponent(name)}`,
  dumpSubmission: (base: string) => `${trim(base)}/dump/submission`,
  status: (base: string) => `${trim(base)}/status`,
};
