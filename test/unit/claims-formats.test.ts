import { fullFormats } from 'ajv-formats/dist/formats';
import { describe, expect, it } from 'vitest';
import {
  isIsoDate,
  isIsoDateTime,
  isRunnerFuture,
  isSpecUuid,
  isUri,
  isUrl,
  isUuid,
  parseRunnerBoolean,
  parseRunnerDate,
  parseRunnerDateTime,
  parseRunnerUuid,
  pyIntCheck,
  pyLen,
  pyStrip,
} from '../../shared/claims/formats';

describe('runner UUIDs (Python uuid.UUID)', () => {
  const u = '6a591d32-6a28-4f7d-85c7-27215cc90705';
  it('accepts the canonical form and returns it', () => {
    expect(parseRunnerUuid(u)).toBe(u);
  });
  it('accepts upper case, no hyphens, braces and urn:uuid:, and canonicalises', () => {
    expect(parseRunnerUuid(u.toUpperCase())).toBe(u);
    expect(parseRunnerUuid(u.replaceAll('-', ''))).toBe(u);
    expect(parseRunnerUuid(`{${u}}`)).toBe(u);
    expect(parseRunnerUuid(`urn:uuid:${u}`)).toBe(u);
    expect(parseRunnerUuid('6a59-1d326a28-4f7d85c7-27215cc90705')).toBe(u);
  });
  it('refuses wrong lengths, non-hex and non-strings', () => {
    expect(isUuid(u.slice(1))).toBe(false);
    expect(isUuid(u.replace('6a', 'zz'))).toBe(false);
    expect(isUuid(123)).toBe(false);
    expect(isUuid(null)).toBe(false);
    expect(isUuid('')).toBe(false);
  });
  it('follows int(_, 16): underscores between digits and a 0x prefix count towards the 32 characters', () => {
    expect(isUuid('0x' + 'a'.repeat(30))).toBe(true);
    expect(isUuid('a_' + 'b'.repeat(30))).toBe(true);
    expect(isUuid('_' + 'b'.repeat(31))).toBe(false);
    expect(isUuid('+' + '1'.repeat(31))).toBe(true);
    expect(isUuid(' ' + 'a'.repeat(31))).toBe(true);
  });
  it('the spec pattern is lower-case only and not limited to hex', () => {
    expect(isSpecUuid(u)).toBe(true);
    expect(isSpecUuid(u.toUpperCase())).toBe(false);
    expect(isSpecUuid('zzzzzzzz-zzzz-zzzz-zzzz-zzzzzzzzzzzz')).toBe(true);
    expect(isSpecUuid(u.replaceAll('-', ''))).toBe(false);
  });
});

describe('runner URLs (marshmallow Url, require_tld)', () => {
  it.each([
    'https://surveys.example.gov.uk',
    'http://localhost:8000',
    'http://LOCALHOST/x',
    'http://127.0.0.1:5000/path?x=1',
    'ftp://files.example.com',
    'https://user:pw@example.com/',
    'http://[::1]:8000',
    'https://example.com?x=1',
  ])('accepts %s', (url) => expect(isUrl(url)).toBe(true));
  it.each([
    'http://launcher:8000',
    'http://launcher',
    'https://example.com#frag',
    'https://example.com/a b',
    'mailto:someone@example.com',
    'gopher://example.com',
    'example.com',
    '',
    'https://a.b',
  ])('refuses %s', (url) => expect(isUrl(url)).toBe(false));
  it('refuses non-strings', () => expect(isUrl(42)).toBe(false));
});

describe('runner date-times (marshmallow iso8601)', () => {
  it('accepts offsets, Z, naive values, a space separator, one-digit fields and no seconds', () => {
    expect(parseRunnerDateTime('2030-01-31T09:00:00+01:00')?.iso).toBe('2030-01-31T09:00:00+01:00');
    expect(parseRunnerDateTime('2030-01-31T09:00:00Z')?.iso).toBe('2030-01-31T09:00:00+00:00');
    expect(parseRunnerDateTime('2030-01-31T09:00:00')?.iso).toBe('2030-01-31T09:00:00');
    expect(parseRunnerDateTime('2030-1-5 9:05')?.iso).toBe('2030-01-05T09:05:00');
    expect(parseRunnerDateTime('2030-01-31T09:00:00.5+0530')?.iso).toBe('2030-01-31T09:00:00.500000+05:30');
  });
  it('refuses a date alone, impossible dates, lower-case t and offsets of 24 h', () => {
    expect(parseRunnerDateTime('2030-01-31')).toBeNull();
    expect(parseRunnerDateTime('2030-02-30T00:00:00')).toBeNull();
    expect(parseRunnerDateTime('2030-01-31t09:00:00')).toBeNull();
    expect(parseRunnerDateTime('2030-01-31T09:00:00+24:00')).toBeNull();
    expect(parseRunnerDateTime('2030-01-31T24:00:00')).toBeNull();
  });
  it('reads the clock time as UTC for the future test, ignoring the offset', () => {
    const dt = parseRunnerDateTime('2030-01-01T10:00:00-05:00')!;
    const tenUtc = Date.UTC(2030, 0, 1, 10) / 1000;
    expect(isRunnerFuture(dt, tenUtc - 1)).toBe(true);
    expect(isRunnerFuture(dt, tenUtc)).toBe(false);
  });
});

describe('runner dates (strptime %Y-%m-%d) and booleans', () => {
  it('accepts one-digit months and days and normalises', () => {
    expect(parseRunnerDate('2021-1-5')).toBe('2021-01-05');
    expect(parseRunnerDate('2021-01- 5')).toBe('2021-01-05');
    expect(parseRunnerDate('2024-02-29')).toBe('2024-02-29');
  });
  it('refuses impossible dates and other layouts', () => {
    expect(parseRunnerDate('2023-02-29')).toBeNull();
    expect(parseRunnerDate('2021-13-01')).toBeNull();
    expect(parseRunnerDate('21-01-01')).toBeNull();
    expect(parseRunnerDate('2021-01-01T00:00:00')).toBeNull();
    expect(parseRunnerDate('0000-01-01')).toBeNull();
  });
  it('booleans: only marshmallow spellings', () => {
    for (const t of [true, 1, 'true', 'True', 'yes', 'Y', 'on', '1', 't']) expect(parseRunnerBoolean(t)).toBe(true);
    for (const f of [false, 0, 'false', 'NO', 'off', '0', 'f']) expect(parseRunnerBoolean(f)).toBe(false);
    for (const x of ['maybe', 'tRuE', 2, null, [], {}]) expect(parseRunnerBoolean(x)).toBeNull();
  });
});

describe('Python string helpers', () => {
  it('strip uses Python whitespace (not U+FEFF, but U+001F and U+0085)', () => {
    expect(pyStrip('\u001f a \u0085')).toBe('a');
    expect(pyStrip('\ufeffa')).toBe('\ufeffa');
  });
  it('len counts code points', () => expect(pyLen('a😀')).toBe(2));
  it('int() check as jwcrypto applies it', () => {
    expect(pyIntCheck(12)).toBe('ok');
    expect(pyIntCheck(1.5)).toBe('ok');
    expect(pyIntCheck(true)).toBe('ok');
    expect(pyIntCheck(' 1_000 ')).toBe('ok');
    expect(pyIntCheck('1.5')).toBe('value-error');
    expect(pyIntCheck('abc')).toBe('value-error');
    expect(pyIntCheck([1])).toBe('type-error');
    expect(pyIntCheck({})).toBe('type-error');
  });
});

describe('JSON Schema formats (ajv-formats 2.1.1 full mode, as upstream validates its examples)', () => {
  it('date: YYYY-MM-DD and a real calendar date', () => {
    expect(isIsoDate('2024-02-29')).toBe(true);
    expect(isIsoDate('2023-02-29')).toBe(false);
    expect(isIsoDate('2021-1-5')).toBe(false);
    expect(isIsoDate('2021-04-31')).toBe(false);
  });
  it('date-time needs seconds; the offset is optional (ajv-formats 2.1.1, unlike 3)', () => {
    expect(isIsoDateTime('2019-08-21T12:51:57.119678+00:00')).toBe(true);
    expect(isIsoDateTime('2019-08-21T12:51:57Z')).toBe(true);
    expect(isIsoDateTime('2019-08-21 12:51:57z')).toBe(true);
    expect(isIsoDateTime('2019-08-21T12:51:57')).toBe(true);
    expect(isIsoDateTime('2016-05-21T16:37:56.551086')).toBe(true);
    expect(isIsoDateTime('2019-08-21T12:51:57+0100')).toBe(true);
    expect(isIsoDateTime('2019-08-21T12:51:57-01')).toBe(true);
    expect(isIsoDateTime('2019-08-21T12:51+00:00')).toBe(false);
    expect(isIsoDateTime('2019-08-21T12:51')).toBe(false);
    expect(isIsoDateTime('2019-08-21')).toBe(false);
    expect(isIsoDateTime('2019-02-29T12:51:57')).toBe(false);
    expect(isIsoDateTime('2019-08-21T24:00:00')).toBe(false);
    expect(isIsoDateTime('2019-08-21T12:51:57 +00:00')).toBe(false);
    expect(isIsoDateTime('2019-08-21_12:51:57')).toBe(false);
  });
  it('date-time: a leap second only as the literal 23:59:60, and offsets are not range-checked', () => {
    expect(isIsoDateTime('2019-08-21T23:59:60Z')).toBe(true);
    expect(isIsoDateTime('2019-08-21T23:59:60')).toBe(true);
    expect(isIsoDateTime('2019-08-21T23:59:60.5+05:00')).toBe(true);
    expect(isIsoDateTime('2019-08-21T22:59:60+01:00')).toBe(false);
    expect(isIsoDateTime('2019-08-21T12:59:60Z')).toBe(false);
    expect(isIsoDateTime('2019-08-21T12:51:57+24:00')).toBe(true);
    expect(isIsoDateTime('2019-08-21T12:51:57+99:99')).toBe(true);
  });
  it('uri: any scheme, single-label hosts allowed', () => {
    expect(isUri('http://launcher:8000')).toBe(true);
    expect(isUri('mailto:someone@example.com')).toBe(true);
    expect(isUri('https://example.com/a b')).toBe(false);
    expect(isUri('example.com')).toBe(false);
    expect(isUri('/relative/path')).toBe(false);
  });
});

// The predicates against the installed ajv-formats 2.1.1 itself, value by value.
function ajvFormat(name: 'date' | 'date-time' | 'uri'): (s: string) => boolean {
  const f = fullFormats[name] as unknown;
  const validate = typeof f === 'function' ? f : (f as { validate: unknown }).validate;
  if (typeof validate !== 'function') throw new Error(`ajv-formats ${name} is not a function format`);
  return validate as (s: string) => boolean;
}

describe('JSON Schema formats agree with ajv-formats 2.1.1 value by value', () => {
  const DATES = [
    '2024-02-29',
    '2023-02-29',
    '2000-02-29',
    '1900-02-29',
    '0000-01-01',
    '2021-00-10',
    '2021-12-31',
    '2021-12-32',
    '2021-13-01',
    '2021-1-5',
    '2021-01-05 ',
    '20210105',
    '',
  ];
  const TIMES = [
    '00:00:00',
    '12:51:57',
    '12:51:57.1',
    '12:51:57.119678',
    '12:51:57.',
    '23:59:59',
    '23:59:60',
    '23:59:60.999',
    '23:59:61',
    '22:59:60',
    '12:59:60',
    '24:00:00',
    '12:60:00',
    '12:51',
    '1:02:03',
    '12:51:57Z',
    '12:51:57z',
    '12:51:57+00:00',
    '12:51:57-05:30',
    '12:51:57+0530',
    '12:51:57+05',
    '12:51:57+5',
    '12:51:57+05:3',
    '12:51:57+24:00',
    '12:51:57+99:99',
    '23:59:60+01:00',
    '22:59:60+01:00',
    '23:59:60-23:59',
    '12:51:57 Z',
    '',
  ];
  const SEPARATORS = ['T', 't', ' ', '\t', '\n', '\u00a0', '\u2003', '_', 'TT', ''];
  const dateTimes = [...DATES.flatMap((d) => TIMES.flatMap((t) => SEPARATORS.map((sep) => `${d}${sep}${t}`))), 'T', 't12:00:00', '2021-01-05T12:00:00T', ''];
  const URIS = [
    'https://surveys.example.gov.uk',
    'http://launcher:8000',
    'mailto:someone@example.com',
    'urn:isbn:0451450523',
    'https://example.com/a b',
    'example.com',
    '//example.com/x',
    'https://[::1]:8000/x?y#z',
    'https://[v1.x]/',
    'http://a"b.example.com',
    'file:///tmp/x',
    'a:b',
    'a:',
    '1a:b',
    '',
    'https://%zz.example.com',
  ];
  it.each([
    ['date', DATES, isIsoDate],
    ['date-time', dateTimes, isIsoDateTime],
    ['uri', URIS, isUri],
  ] as const)('%s', (name, values, ours) => {
    const theirs = ajvFormat(name);
    const differ = values.filter((v) => ours(v) !== theirs(v)).map((v) => `${JSON.stringify(v)}: ajv-formats ${theirs(v)}`);
    expect(differ).toEqual([]);
    expect(values.filter((v) => theirs(v)).length).toBeGreaterThan(values.length / 10);
  });
});
