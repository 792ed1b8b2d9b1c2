// The one Content-Security-Policy for the app page, whichever front door serves it: the
// browser-mode server sends it as a header, the Electron shell as a header on dev-server pages,
// and the production build carries it as a <meta> tag because Electron's webRequest hooks never
// see file:// loads.

export type CspDirectives = Readonly<Record<string, string>>;

/**
 * Everything is refused unless named. The bundle needs its own scripts, stylesheet and API
 * (browser mode's fetch); the favicon is a data: URL. React sets styles through the CSSOM,
 * which style-src does not govern, so no 'unsafe-inline' is needed.
 */
export const APP_CSP_DIRECTIVES: CspDirectives = {
  'default-src': "'none'",
  'script-src': "'self'",
  'style-src': "'self'",
  'img-src': "'self' data:",
  'font-src': "'self'",
  'connect-src': "'self'",
  'object-src': "'none'",
  'base-uri': "'none'",
  'form-action': "'none'",
  'frame-ancestors': "'none'",
};

// Browsers ignore these in a <meta> policy and log a console error for each.
const HEADER_ONLY = new Set(['frame-ancestors', 'report-uri', 'sandbox']);

export function serializeCsp(directives: CspDirectives, delivery: 'header' | 'meta' = 'header'): string {
  return Object.entries(directives)
    .filter(([name]) => delivery === 'header' || !HEADER_ONLY.has(name))
    .map(([name, value]) => `${name} ${value}`)
    .join('; ');
}

/** For a Content-Security-Policy response header. */
export const APP_CSP = serializeCsp(APP_CSP_DIRECTIVES);

/** For <meta http-equiv="Content-Security-Policy">: the same policy less what a meta tag cannot carry. */
export const APP_CSP_META = serializeCsp(APP_CSP_DIRECTIVES, 'meta');
