// Value formats, each as one side reads it. The runner is Python (marshmallow 3, uuid, jwcrypto),
// the spec is JSON Schema checked upstream with ajv 8 + ajv-formats 2.1.1 (full mode). They disagree
// on UUID case, URL hosts, date-time layouts and dates, so each side gets its own predicate here.
// Pure: no Node imports, the renderer runs this too.

import { trimChars, trimWhere } from '../text';

// ---------------------------------------------------------------------------------------------
// Python string helpers

/** Characters Python's str.isspace() accepts; str.strip() and int() strip exactly these. */
const PY_WS = '\\t\\n\\v\\f\\r\\x1c-\\x1f \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000';
/** One character of Python's whitespace (every one is in the BMP, so a UTF-16 unit is enough). */
export const PY_SPACE = new RegExp(`^[${PY_WS}]$`, 'u');
const isPySpace = (c: string) => PY_SPACE.test(c);

/** Python's str.strip(): differs from String.prototype.trim (no U+FEFF, adds U+001C-U+001F, U+0085). */
export function pyStrip(s: string): string {
  return trimWhere(s, isPySpace);
}

/** Python's len() for str counts code points; JS .length counts UTF-16 units. */
export function pyLen(s: string): number {
  let n = 0;
  for (const _ of s) n++;
  return n;
}

/** Python truthiness of a JSON value: the runner tests claims with `if value:` in several places. */
export function pyTruthy(v: unknown): boolean {
  if (v === null || v === undefined || v === false || v === 0 || v === '') return false;
  if (Array.isArray(v)) return v.length > 0;
  if (typeof v === 'object') return Object.keys(v as object).length > 0;
  return true;
}

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

// Python int(str): optional sign, PEP 515 single underscores between digits, surrounding whitespace.
// (Python also accepts non-ASCII decimal digits; the console treats those as invalid.)
const PY_INT10 = /^[+-]?[0-9](?:_?[0-9])*$/;
const PY_INT16 = /^([+-]?)(?:0[xX]_?)?([0-9a-fA-F](?:_?[0-9a-fA-F])*)$/;

/**
 * What jwcrypto's integer-claim check (`int(value)`, catching only ValueError) makes of a claim:
 * numbers and booleans pass, digit strings pass, other strings raise ValueError (403), and lists
 * or objects raise TypeError, which nothing catches (500).
 */
export function pyIntCheck(v: unknown): 'ok' | 'value-error' | 'type-error' {
  if (typeof v === 'number') return Number.isFinite(v) ? 'ok' : 'type-error';
  if (typeof v === 'boolean') return 'ok';
  if (typeof v === 'string') return PY_INT10.test(pyStrip(v)) ? 'ok' : 'value-error';
  return 'type-error';
}

// ---------------------------------------------------------------------------------------------
// UUIDs

/**
 * Python's uuid.UUID(value) as the runner calls it (marshmallow UUID fields and the jti check):
 * strips "urn:" / "uuid:" anywhere, braces at the ends and every hyphen, then needs 32 characters
 * that int(_, 16) accepts. So upper case, no hyphens, braces and "urn:uuid:" all pass. The version
 * argument of the jti check only rewrites bits and never rejects. Returns the canonical lower-case
 * form, or null.
 */
export function parseRunnerUuid(v: unknown): string | null {
  if (typeof v !== 'string') return null;
  let hex = v.replaceAll('urn:', '').replaceAll('uuid:', '');
  hex = trimChars(hex, '{}').replaceAll('-', '');
  if (pyLen(hex) !== 32) return null;
  const m = PY_INT16.exec(pyStrip(hex));
  if (!m) return null;
  const digits = m[2].replaceAll('_', '').toLowerCase();
  const value = BigInt('0x' + digits);
  if (m[1] === '-' && value !== 0n) return null;
  const h = value.toString(16).padStart(32, '0');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** A UUID as the runner accepts it (see parseRunnerUuid). */
export function isUuid(v: unknown): boolean {
  return parseRunnerUuid(v) !== null;
}

/** The spec's uuid pattern: lower-case only, hyphenated, and not limited to hex digits. */
export const SPEC_UUID = /^[a-z0-9]{8}-[a-z0-9]{4}-[a-z0-9]{4}-[a-z0-9]{4}-[a-z0-9]{12}$/u;

export function isSpecUuid(v: unknown): boolean {
  return typeof v === 'string' && SPEC_UUID.test(v);
}

// ---------------------------------------------------------------------------------------------
// URLs

// marshmallow.validate.URL(relative=False, require_tld=True), compiled with re.IGNORECASE; Python's
// \d is any Unicode decimal digit and \S excludes Python's whitespace set, hence \p{Nd} and PY_SPACE.
// Its one regex backtracks polynomially on long hosts and user parts, so the URL is cut where that
// regex can only cut it (no part it allows before the path holds / or ?, the host no : or @), and
// each part is checked by a linear pattern with the same classes and flags.
const URL_SCHEMES = new Set(['http', 'https', 'ftp', 'ftps']);
const SCHEME = /^[a-z0-9.+-]*$/iu;
const USER_INFO = /^(?:[a-z0-9\-._~!$&'()*+,;=:]|%[0-9a-f]{2})*$/iu;
const LABEL = /^[A-Z0-9](?:[A-Z0-9-]{0,61}[A-Z0-9])?$/iu;
// [A-Z]{2,6} or [A-Z0-9-]{2,} in the original: the second holds the first.
const TLD = /^[A-Z0-9-]{2,}$/iu;
const LOCALHOST = /^localhost$/iu;
const IPV4 = /^\p{Nd}{1,3}\.\p{Nd}{1,3}\.\p{Nd}{1,3}\.\p{Nd}{1,3}$/u;
const IPV6 = /^\[[A-F0-9]*:[A-F0-9:]+\]$/iu;
const PORT = /^\p{Nd}+$/u;

function isUrlHost(host: string): boolean {
  if (LOCALHOST.test(host) || IPV4.test(host)) return true;
  // (label.)+ then a TLD and an optional dot: every part but the last is a label.
  const labels = (host.endsWith('.') ? host.slice(0, -1) : host).split('.');
  const tld = labels.pop()!;
  return labels.length > 0 && TLD.test(tld) && labels.every((l) => LABEL.test(l));
}

/**
 * A URL as the runner's marshmallow Url field sees it: http/https/ftp/ftps, a host with a dot
 * (so `http://launcher:8000` fails), `localhost`, an IPv4 or a bracketed IPv6 address, an optional
 * port, then nothing or a path/query without whitespace (so a bare `#fragment` fails).
 */
export function isUrl(v: unknown): boolean {
  if (typeof v !== 'string' || v === '') return false;
  const sep = v.indexOf('://');
  if (sep < 0 || !SCHEME.test(v.slice(0, sep)) || !URL_SCHEMES.has(v.slice(0, sep).toLowerCase())) return false;
  const rest = v.slice(sep + 3);
  const cut = rest.search(/[/?]/);
  const authority = cut < 0 ? rest : rest.slice(0, cut);
  const tail = cut < 0 ? '' : rest.slice(cut);
  // The path: nothing, a lone /, or / or ? followed by at least one character, none of them whitespace.
  if (tail.length > 1 && [...tail.slice(1)].some((c) => isPySpace(c))) return false;
  if (tail.length === 1 && tail !== '/') return false;
  const at = authority.indexOf('@');
  if (at >= 0 && !USER_INFO.test(authority.slice(0, at))) return false;
  const hostPort = authority.slice(at + 1);
  if (hostPort.startsWith('[')) {
    const close = hostPort.indexOf(']');
    const port = close < 0 ? '' : hostPort.slice(close + 1);
    return close > 0 && IPV6.test(hostPort.slice(0, close + 1)) && (port === '' || (port.startsWith(':') && PORT.test(port.slice(1))));
  }
  const colon = hostPort.indexOf(':');
  if (colon >= 0 && !PORT.test(hostPort.slice(colon + 1))) return false;
  return isUrlHost(colon < 0 ? hostPort : hostPort.slice(0, colon));
}

// ---------------------------------------------------------------------------------------------
// Runner dates and date-times

export interface RunnerDateTime {
  /** What marshmallow's DateString returns: Python's datetime.isoformat(). */
  iso: string;
  /** The wall-clock fields read as UTC, in ms, as the runner's future check does (offset ignored). */
  wallClockUtcMs: number;
  /** Microseconds beyond wallClockUtcMs (0-999). */
  extraMicros: number;
}

// marshmallow.utils.from_iso_datetime; the input has already been whitespace-stripped.
const MM_DATETIME = /^(\d{4})-(\d{1,2})-(\d{1,2})[T ](\d{1,2}):(\d{1,2})(?::(\d{1,2})(?:\.(\d{1,6})\d{0,6})?)?(Z|[+-]\d{2}(?::?\d{2})?)?$/;

const DAYS = [0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
function isLeap(y: number): boolean {
  return y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0);
}
function daysIn(y: number, m: number): number {
  return m === 2 && isLeap(y) ? 29 : DAYS[m];
}
function validPyDate(y: number, m: number, d: number): boolean {
  return y >= 1 && y <= 9999 && m >= 1 && m <= 12 && d >= 1 && d <= daysIn(y, m);
}
const p2 = (n: number) => String(n).padStart(2, '0');
const p4 = (n: number) => String(n).padStart(4, '0');

function utcMs(y: number, mo: number, d: number, h: number, mi: number, s: number, ms: number): number {
  const t = new Date(0);
  t.setUTCFullYear(y, mo - 1, d);
  t.setUTCHours(h, mi, s, ms);
  return t.getTime();
}

/**
 * marshmallow's DateTime(format="iso8601"): needs a time (a date alone fails), accepts one-digit
 * fields, "T" or a space, up to 12 fractional digits (6 kept), and an optional Z / ±HH / ±HHMM /
 * ±HH:MM offset under 24 h. Naive values pass.
 */
export function parseRunnerDateTime(v: unknown): RunnerDateTime | null {
  if (typeof v !== 'string') return null;
  const m = MM_DATETIME.exec(v);
  if (!m) return null;
  const [y, mo, d, h, mi] = [1, 2, 3, 4, 5].map((i) => Number(m[i]));
  const s = m[6] === undefined ? 0 : Number(m[6]);
  const us = m[7] === undefined ? 0 : Number(m[7].padEnd(6, '0'));
  if (!validPyDate(y, mo, d) || h > 23 || mi > 59 || s > 59) return null;
  let suffix = '';
  const tz = m[8];
  if (tz !== undefined) {
    let offset = 0;
    if (tz !== 'Z') {
      offset = 60 * Number(tz.slice(1, 3)) + (tz.length > 3 ? Number(tz.slice(-2)) : 0);
      if (offset >= 24 * 60) return null;
      if (tz[0] === '-') offset = -offset;
    }
    const a = Math.abs(offset);
    suffix = `${offset < 0 ? '-' : '+'}${p2(Math.floor(a / 60))}:${p2(a % 60)}`;
  }
  const frac = us ? `.${String(us).padStart(6, '0')}` : '';
  return {
    iso: `${p4(y)}-${p2(mo)}-${p2(d)}T${p2(h)}:${p2(mi)}:${p2(s)}${frac}${suffix}`,
    wallClockUtcMs: utcMs(y, mo, d, h, mi, s, Math.floor(us / 1000)),
    extraMicros: us % 1000,
  };
}

/**
 * The runner's response_expires_at future test: parse_iso_8601_datetime(x).replace(tzinfo=utc)
 * discards the offset, so "07:00+01:00" counts as 07:00 UTC. Strictly later than now.
 */
export function isRunnerFuture(dt: RunnerDateTime, nowSeconds: number): boolean {
  const nowMs = nowSeconds * 1000;
  return dt.wallClockUtcMs > nowMs || (dt.wallClockUtcMs === nowMs && dt.extraMicros > 0);
}

// time.strptime("%Y-%m-%d"): %m and %d take one or two digits, %d also " 5" (space then digit).
const STRPTIME_DATE = /^(\d{4})-(1[0-2]|0[1-9]|[1-9])-(3[01]|[12]\d|0[1-9]|[1-9]| [1-9])$/;

/** The runner's `date` metadata type; returns the value it stores (zero-padded YYYY-MM-DD) or null. */
export function parseRunnerDate(v: unknown): string | null {
  if (typeof v !== 'string') return null;
  const m = STRPTIME_DATE.exec(v);
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3].trim())];
  if (!validPyDate(y, mo, d)) return null;
  return `${p4(y)}-${p2(mo)}-${p2(d)}`;
}

const MM_TRUTHY = new Set<unknown>(['t', 'T', 'true', 'True', 'TRUE', 'on', 'On', 'ON', 'y', 'Y', 'yes', 'Yes', 'YES', '1', 1, true]);
const MM_FALSY = new Set<unknown>(['f', 'F', 'false', 'False', 'FALSE', 'off', 'Off', 'OFF', 'n', 'N', 'no', 'No', 'NO', '0', 0, false]);

/** marshmallow's Boolean field: only its listed spellings, 1/0 and true/false. */
export function parseRunnerBoolean(v: unknown): boolean | null {
  // Sets compare with SameValueZero, so -0 finds 0 as Python's -0 == 0 does.
  if (MM_TRUTHY.has(v)) return true;
  if (MM_FALSY.has(v)) return false;
  return null;
}

// ---------------------------------------------------------------------------------------------
// JSON Schema formats, as ajv-formats 2.1.1 "full" mode implements them (MIT, ajv-validator).
// Why 2.1.1 and not 3: the ONS schema-definitions repository validates its own examples with ajv 8
// and ajv-formats ^2.1.1, and the console must say what the specification's own tooling says
// (RUNNER-CONTRACT §7: all official examples validate). The two majors differ only in "date-time"
// (and "time"): 2.1.1 lets a missing time-zone offset through, and most official downstream
// examples have none ("submitted_at": "2016-05-21T16:37:56.551086"); 3 rejects it. "date" and
// "uri" are the same in both, checked against 2.1.1's dist/formats.js.

const DATE = /^(\d\d\d\d)-(\d\d)-(\d\d)$/;

/** JSON Schema "date": YYYY-MM-DD and a real calendar date (ajv-formats 2.1.1 full mode, date()). */
export function isIsoDate(v: unknown): boolean {
  if (typeof v !== 'string') return false;
  const m = DATE.exec(v);
  if (!m) return false;
  const [y, mo, d] = [+m[1], +m[2], +m[3]];
  return mo >= 1 && mo <= 12 && d >= 1 && d <= daysIn(y, mo);
}

const TIME = /^(\d\d):(\d\d):(\d\d)(\.\d+)?(z|[+-]\d\d(?::?\d\d)?)?$/i;

/**
 * ajv-formats 2.1.1's time(str, withTimeZone): seconds required, any fraction, an optional Z /
 * ±HH / ±HHMM / ±HH:MM whose hours and minutes are not range-checked, and a leap second only as
 * the literal 23:59:60 (whatever the offset). Its zone test is `timeZone !== ""`, but an absent
 * zone is undefined, never "", so the test never rejects: a time without an offset passes.
 */
function isTime(str: string, withTimeZone: boolean): boolean {
  const m = TIME.exec(str);
  if (!m) return false;
  const hour = +m[1];
  const minute = +m[2];
  const second = +m[3];
  const timeZone: string | undefined = m[5];
  return ((hour <= 23 && minute <= 59 && second <= 59) || (hour === 23 && minute === 59 && second === 60)) && (!withTimeZone || timeZone !== '');
}

const DATE_TIME_SEPARATOR = /t|\s/i;

/**
 * JSON Schema "date-time" as the spec's own tooling checks it (ajv-formats 2.1.1 full mode,
 * date_time()): split on "T", "t" or any whitespace into exactly two parts, a "date" and a time
 * with seconds. The offset is optional, so "2016-05-21T16:37:56.551086" passes (ajv-formats 3
 * would reject it); "2016-05-21T16:37+00:00" (no seconds) and "2016-05-21" still fail.
 */
export function isIsoDateTime(v: unknown): boolean {
  if (typeof v !== 'string') return false;
  const parts = v.split(DATE_TIME_SEPARATOR);
  return parts.length === 2 && isIsoDate(parts[0]) && isTime(parts[1], true);
}

const NOT_URI_FRAGMENT = /\/|:/;
const URI =
  /^(?:[a-z][a-z0-9+\-.]*:)(?:\/?\/(?:(?:[a-z0-9\-._~!$&'()*+,;=:]|%[0-9a-f]{2})*@)?(?:\[(?:(?:(?:(?:[0-9a-f]{1,4}:){6}|::(?:[0-9a-f]{1,4}:){5}|(?:[0-9a-f]{1,4})?::(?:[0-9a-f]{1,4}:){4}|(?:(?:[0-9a-f]{1,4}:){0,1}[0-9a-f]{1,4})?::(?:[0-9a-f]{1,4}:){3}|(?:(?:[0-9a-f]{1,4}:){0,2}[0-9a-f]{1,4})?::(?:[0-9a-f]{1,4}:){2}|(?:(?:[0-9a-f]{1,4}:){0,3}[0-9a-f]{1,4})?::[0-9a-f]{1,4}:|(?:(?:[0-9a-f]{1,4}:){0,4}[0-9a-f]{1,4})?::)(?:[0-9a-f]{1,4}:[0-9a-f]{1,4}|(?:(?:25[0-5]|2[0-4]\d|[01]?\d\d?)\.){3}(?:25[0-5]|2[0-4]\d|[01]?\d\d?))|(?:(?:[0-9a-f]{1,4}:){0,5}[0-9a-f]{1,4})?::[0-9a-f]{1,4}|(?:(?:[0-9a-f]{1,4}:){0,6}[0-9a-f]{1,4})?::)|[Vv][0-9a-f]+\.[a-z0-9\-._~!$&'()*+,;=:]+)\]|(?:(?:25[0-5]|2[0-4]\d|[01]?\d\d?)\.){3}(?:25[0-5]|2[0-4]\d|[01]?\d\d?)|(?:[a-z0-9\-._~!$&'()*+,;=]|%[0-9a-f]{2})*)(?::\d*)?(?:\/(?:[a-z0-9\-._~!$&'()*+,;=:@]|%[0-9a-f]{2})*)*|\/(?:(?:[a-z0-9\-._~!$&'()*+,;=:@]|%[0-9a-f]{2})+(?:\/(?:[a-z0-9\-._~!$&'()*+,;=:@]|%[0-9a-f]{2})*)*)?|(?:[a-z0-9\-._~!$&'()*+,;=:@]|%[0-9a-f]{2})+(?:\/(?:[a-z0-9\-._~!$&'()*+,;=:@]|%[0-9a-f]{2})*)*)(?:\?(?:[a-z0-9\-._~!$&'()*+,;=:@/?]|%[0-9a-f]{2})*)?(?:#(?:[a-z0-9\-._~!$&'()*+,;=:@/?]|%[0-9a-f]{2})*)?$/i;

/**
 * JSON Schema "uri" (ajv-formats 2.1.1 full mode, uri()): an absolute RFC 3986 URI. Unlike the
 * runner it takes any scheme and single-label hosts (`http://launcher:8000` passes here and fails
 * at the runner).
 */
export function isUri(v: unknown): boolean {
  return typeof v === 'string' && NOT_URI_FRAGMENT.test(v) && URI.test(v);
}

/** The three JSON Schema formats the launch schemas use, by name. */
export const JSON_SCHEMA_FORMATS = {
  uri: isUri,
  'date-time': isIsoDateTime,
  date: isIsoDate,
} as const;
export type JsonSchemaFormat = keyof typeof JSON_SCHEMA_FORMATS;
