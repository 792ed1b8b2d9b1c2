// The raw JSON editor's line and column: findJsonSyntaxError must call a text JSON exactly when
// JSON.parse does (checked on thousands of seeded mutations of real claims), and point at the
// character where the text first goes wrong.
import { describe, expect, it } from 'vitest';
import { describeJsonSyntaxError, findJsonSyntaxError } from '../../shared/json-syntax';

const CLAIMS = JSON.stringify(
  {
    version: 'v2',
    jti: '0b8e8a5c-52a4-4a8e-9f0e-3d7c4f1a2b3c',
    exp: 1_790_000_000,
    ratio: -12.5e-3,
    flag: true,
    nothing: null,
    text: 'quote " backslash \\ tab \t unicode é \u2028',
    roles: ['dumper', 'flusher'],
    survey_metadata: { data: { ru_ref: '12345678901A', period_id: '201605' }, receipting_keys: [] },
    empty: {},
  },
  null,
  2,
);

/** A small seeded generator, so a failure names a case that can be run again. */
function random(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const PIECES = ['{', '}', '[', ']', ',', ':', '"', '\\', '\n', '-', '0', '1', 'e', '.', 't', 'true', 'nul', ' ', 'x', '\\u12', '\\q', '\t'];

function mutate(text: string, next: () => number): string {
  const at = Math.floor(next() * (text.length + 1));
  const kind = next();
  if (kind < 0.4) return text.slice(0, at) + text.slice(at + 1);
  const piece = PIECES[Math.floor(next() * PIECES.length)];
  return kind < 0.8 ? text.slice(0, at) + piece + text.slice(at) : text.slice(0, at) + piece + text.slice(at + piece.length);
}

const parses = (text: string) => {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
};

describe('findJsonSyntaxError', () => {
  it('agrees with JSON.parse on 20,000 seeded mutations of a claims text', () => {
    const next = random(12);
    let broken = 0;
    for (let round = 0; round < 20_000; round++) {
      let text = CLAIMS;
      const edits = 1 + Math.floor(next() * 3);
      for (let k = 0; k < edits; k++) text = mutate(text, next);
      const error = findJsonSyntaxError(text);
      if (parses(text) !== (error === null)) throw new Error(`round ${round}: JSON.parse ${parses(text) ? 'accepts' : 'refuses'} ${JSON.stringify(text)}`);
      if (error) {
        broken++;
        expect(error.offset).toBeGreaterThanOrEqual(0);
        expect(error.offset).toBeLessThanOrEqual(text.length);
      }
    }
    expect(broken).toBeGreaterThan(10_000);
  });

  it('accepts JSON values of every kind, with any whitespace', () => {
    for (const text of [CLAIMS, '0', '-0.5E+2', '"x"', ' true ', 'null', '[]', '{}', '[[[]]]', '{"a":{"b":[1,{"c":null}]}}', '\n\t\r {"a" : 1 }\n']) {
      expect(findJsonSyntaxError(text), text).toBeNull();
    }
  });

  it.each([
    ['{\n  "a": 1\n  "b": 2\n}', 3, 3, 'expected "," or "}" after a property value'],
    ['{\n  "a": [1, 2,]\n}', 2, 14, 'trailing comma'],
    ['{\n  "a": 1,\n}', 3, 1, 'trailing comma'],
    ['{\n  "a": tru\n}', 2, 8, '"tru" is not a JSON value'],
    ["{ 'a': 1 }", 1, 3, 'expected a property name in double quotes'],
    ['{ "a" 1 }', 1, 7, 'expected ":"'],
    ['{ "a": "line\nbreak" }', 1, 13, 'a line break inside a string'],
    ['{ "a": "\\x" }', 1, 9, 'not a JSON escape'],
    ['{ "a": 01 }', 1, 8, 'cannot start with 0'],
    ['{ "a": 1. }', 1, 10, 'digits after the decimal point'],
    ['{ "a": 1 } x', 1, 12, "'x' after the end"],
    ['{\n  "a": {\n', 3, 1, '2 brackets are closed'],
    ['{ "a": "open', 1, 8, 'never closed'],
    ['', 1, 1, 'where a value should be'],
  ])('%j: line %i, column %i, %s', (text, line, column, reason) => {
    const error = findJsonSyntaxError(text)!;
    expect(error).not.toBeNull();
    expect({ line: error.line, column: error.column }).toEqual({ line, column });
    expect(error.reason).toContain(reason);
    expect(describeJsonSyntaxError(error)).toMatch(new RegExp(`^line ${line}, column ${column}: `));
  });

  it('walks nesting far deeper than the call stack allows', () => {
    const deep = '['.repeat(200_000) + ']'.repeat(200_000);
    expect(findJsonSyntaxError(deep)).toBeNull();
    const error = findJsonSyntaxError('['.repeat(200_000) + '}')!;
    expect(error.column).toBe(200_001);
  });
});
