// The runner validates claims with marshmallow schemas built from a handful of field kinds
// (metadata_parser_v2.VALIDATORS plus List and Nested). This module reproduces one field's load:
// what it accepts, the value it stores, and the message marshmallow would give.
import { isUrl, isRunnerFuture, parseRunnerBoolean, parseRunnerDate, parseRunnerDateTime, parseRunnerUuid, pyLen } from './formats';

export type RunnerFieldKind = 'string' | 'uuid' | 'url' | 'date' | 'iso_8601_date_string' | 'boolean' | 'string-list';

export interface RunnerFieldSpec {
  kind: RunnerFieldKind;
  /** marshmallow Length(min=..) */
  minLength?: number;
  /** marshmallow Regexp validator, as the runner writes it (match at the start, `$` at the end). */
  regex?: RegExp;
  /** marshmallow OneOf validator. */
  oneOf?: readonly string[];
  /** response_expires_at: must be later than now (ctx). */
  future?: boolean;
}

export type FieldFailure = {
  ok: false;
  code: string;
  message: string;
  /** Sub-path below the field, for list items ("0", "1"). */
  subPath?: string;
};
export type FieldResult = { ok: true; value: unknown } | FieldFailure;

const KIND_WORDS: Record<RunnerFieldKind, string> = {
  string: 'a string',
  uuid: 'a UUID',
  url: 'a URL',
  date: 'a date (YYYY-MM-DD)',
  iso_8601_date_string: 'an ISO 8601 date-time',
  boolean: 'a boolean',
  'string-list': 'a list of strings',
};

export function kindWords(kind: RunnerFieldKind): string {
  return KIND_WORDS[kind];
}

/**
 * Loads one present value (the caller handles absence, because required-ness differs by schema).
 * `value` must already be whitespace-stripped where the runner strips it. null is always refused:
 * marshmallow fields default to allow_none=False, optional or not.
 */
export function loadRunnerField(name: string, value: unknown, spec: RunnerFieldSpec, nowSeconds: number): FieldResult {
  if (value === null) {
    return { ok: false, code: 'claim.null', message: `${name} may not be null (the runner refuses null even for optional claims)` };
  }
  const loaded = deserialize(name, value, spec, nowSeconds);
  if (!loaded.ok) return loaded;
  const v = loaded.value;
  if (spec.minLength !== undefined && typeof v === 'string' && pyLen(v) < spec.minLength) {
    return {
      ok: false,
      code: 'claim.empty',
      message:
        spec.minLength === 1 ? `${name} must not be empty (after the runner strips whitespace)` : `${name} must be at least ${spec.minLength} characters`,
    };
  }
  if (spec.oneOf && !spec.oneOf.includes(v as string)) {
    return { ok: false, code: 'claim.value', message: `${name} must be ${spec.oneOf.map((o) => `"${o}"`).join(' or ')}` };
  }
  if (spec.regex && typeof v === 'string' && !spec.regex.test(v)) {
    return { ok: false, code: 'claim.pattern', message: `${name} must match ${spec.regex.source}` };
  }
  return loaded;
}

function deserialize(name: string, value: unknown, spec: RunnerFieldSpec, nowSeconds: number): FieldResult {
  const bad = (code: string, what: string): FieldFailure => ({ ok: false, code, message: `${name} must be ${what}` });
  switch (spec.kind) {
    case 'string':
      return typeof value === 'string' ? { ok: true, value } : bad('claim.type', 'a string');
    case 'url':
      if (typeof value !== 'string') return bad('claim.type', 'a string');
      return isUrl(value)
        ? { ok: true, value }
        : bad(
            'claim.url',
            'a URL the runner accepts: http, https, ftp or ftps, and a host with a dot, localhost or an IP address ' +
              '(single-label hosts such as http://launcher:8000 fail)',
          );
    case 'uuid': {
      const u = parseRunnerUuid(value);
      return u === null ? bad('claim.uuid', 'a UUID') : { ok: true, value: u };
    }
    case 'date': {
      const d = parseRunnerDate(value);
      return d === null ? bad('claim.date', 'a real date written YYYY-MM-DD') : { ok: true, value: d };
    }
    case 'iso_8601_date_string': {
      const dt = parseRunnerDateTime(value);
      if (dt === null) {
        return bad('claim.datetime', 'an ISO 8601 date and time, e.g. 2030-01-31T09:00:00+00:00 (a date alone is not enough)');
      }
      if (spec.future && !isRunnerFuture(dt, nowSeconds)) {
        return {
          ok: false,
          code: 'claim.past',
          message:
            `${name} must be in the future; the runner reads its clock time as UTC and ignores the offset, ` +
            `so ${String(value)} counts as ${new Date(dt.wallClockUtcMs).toISOString()}`,
        };
      }
      return { ok: true, value: dt.iso };
    }
    case 'boolean': {
      const b = parseRunnerBoolean(value);
      return b === null
        ? bad('claim.type', 'a boolean: true/false, 1/0, or one of the strings true, yes, on, y, t, 1, false, no, off, n, f, 0')
        : { ok: true, value: b };
    }
    case 'string-list': {
      if (!Array.isArray(value)) return bad('claim.type', 'a list of strings');
      for (let i = 0; i < value.length; i++) {
        if (typeof value[i] !== 'string') {
          return { ok: false, code: 'claim.type', subPath: String(i), message: `${name}[${i}] must be a string` };
        }
      }
      return { ok: true, value };
    }
  }
}
