import type { DownstreamItem } from '../../../../../shared/downstream/types';

/**
 * True when there is a payload behind the item to fetch and read. An item that stopped opening
 * has none, whatever stage it stopped at: a JWE whose signature fails was decrypted, but the
 * services never hand out a payload they could not verify.
 */
export function canRead(item: DownstreamItem): boolean {
  if (item.failure) return false;
  return item.kind === 'json' || item.decrypted;
}

/**
 * The folder every source shares ("/tmp/x/payloads/"), so the list can show what differs
 * ("adhoc/feedback_0_0_1.jwe") instead of a column of identical beginnings cut short.
 */
export function commonFolder(sources: readonly string[]): string {
  const paths = sources.filter((s) => s.includes('/'));
  if (paths.length === 0 || paths.length !== sources.length) return '';
  let prefix = paths[0]!.slice(0, paths[0]!.lastIndexOf('/') + 1);
  for (const s of paths) {
    while (prefix && !s.startsWith(prefix)) prefix = prefix.slice(0, prefix.lastIndexOf('/', prefix.length - 2) + 1);
    if (!prefix) break;
  }
  return prefix;
}

/** "2016-05-21T16:37:56.551086+00:00" → "2016-05-21 16:37:56"; anything else as it is. */
export function shortTime(iso: string): string {
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2}(?::\d{2})?)/.exec(iso);
  return m ? `${m[1]} ${m[2]}` : iso;
}
