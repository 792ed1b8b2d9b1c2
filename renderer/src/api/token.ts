// Browser mode hands the page its access token in the address (?token=…). Keep it for this tab
// only and take it out of the address bar at once, so it does not linger in history, bookmarks
// or a screenshot of the window.
export const TOKEN_STORAGE_KEY = 'eq-console-token';

export interface TokenHost {
  location: { href: string };
  history: { state: unknown; replaceState(data: unknown, unused: string, url?: string | URL | null): void };
  sessionStorage: { getItem(key: string): string | null; setItem(key: string, value: string): void };
}

export function takeAccessToken(host: TokenHost): string | null {
  const url = new URL(host.location.href);
  const fromUrl = url.searchParams.get('token');
  if (fromUrl) {
    try {
      host.sessionStorage.setItem(TOKEN_STORAGE_KEY, fromUrl);
    } catch {
      // Storage can be disabled; the token still works for this page load.
    }
    url.searchParams.delete('token');
    host.history.replaceState(host.history.state, '', url.pathname + url.search + url.hash);
    return fromUrl;
  }
  try {
    return host.sessionStorage.getItem(TOKEN_STORAGE_KEY);
  } catch {
    return null;
  }
}
