// The token's clock claims in words: epoch seconds as UTC dates, and how long until (or since) exp.
// Pure, so the Inspect screen's ticking countdown and its tests share one formatter.

/** The claims a launch token carries as seconds since 1970, in the order a reader wants them. */
export const EPOCH_CLAIMS = ['iat', 'nbf', 'exp'] as const;

// The largest moment a Date holds (±8.64e15 ms); beyond it there is no date to show.
const MAX_DATE_SECONDS = 8.64e12;
const p2 = (n: number) => String(n).padStart(2, '0');

/**
 * Seconds since 1970 as read from a claim: a number, or a string of digits (first-generation
 * tokens wrote them as strings, seed 003). Anything else has no date.
 */
export function epochSeconds(value: unknown): number | null {
  const n = typeof value === 'number' ? value : typeof value === 'string' && /^\s*-?\d+(\.\d+)?\s*$/.test(value) ? Number(value) : NaN;
  return Number.isFinite(n) && Math.abs(n) <= MAX_DATE_SECONDS ? n : null;
}

/** ISO 8601 in UTC with an explicit offset, "2026-12-02T10:15:00+00:00"; fractions of a second kept. */
export function utcDate(seconds: number): string {
  const d = new Date(seconds * 1000);
  const year = d.getUTCFullYear();
  const y = year < 0 ? `-${String(-year).padStart(6, '0')}` : year > 9999 ? `+${String(year).padStart(6, '0')}` : String(year).padStart(4, '0');
  const ms = d.getUTCMilliseconds();
  const fraction = ms ? `.${String(ms).padStart(3, '0')}` : '';
  return `${y}-${p2(d.getUTCMonth() + 1)}-${p2(d.getUTCDate())}T${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())}${fraction}+00:00`;
}

/** A claim's date, or null when the claim is not seconds since 1970. */
export function claimDate(value: unknown): string | null {
  const s = epochSeconds(value);
  return s === null ? null : utcDate(s);
}

const UNITS: [number, string][] = [
  [86_400, 'd'],
  [3_600, 'h'],
  [60, 'min'],
  [1, 's'],
];

/** Whole seconds as its two largest units, a zero second unit left out: "4 min 12 s", "3 min", "2 d 5 h". */
export function duration(totalSeconds: number): string {
  let rest = Math.max(0, Math.floor(totalSeconds));
  if (rest === 0) return '0 s';
  const first = UNITS.findIndex(([size]) => rest >= size);
  return UNITS.slice(first, first + 2)
    .map(([size, unit]) => {
      const n = Math.floor(rest / size);
      rest -= n * size;
      return n > 0 ? `${n} ${unit}` : '';
    })
    .filter(Boolean)
    .join(' ');
}

export interface Countdown {
  expired: boolean;
  text: string;
}

/**
 * How long until exp, or since: "expires in 4 min 12 s", "expired 3 min ago". The runner compares
 * exp with its sub-second clock and allows no leeway, so the token is expired from the instant
 * now reaches exp (RUNNER-CONTRACT §3); a part-second left counts as a whole one, so a token
 * still valid never reads "expires in 0 s".
 */
export function countdown(expSeconds: number, nowMs: number): Countdown {
  const leftMs = expSeconds * 1000 - nowMs;
  if (leftMs > 0) return { expired: false, text: `expires in ${duration(Math.ceil(leftMs / 1000))}` };
  const agoSeconds = Math.floor(-leftMs / 1000);
  return { expired: true, text: agoSeconds < 1 ? 'expired just now' : `expired ${duration(agoSeconds)} ago` };
}
