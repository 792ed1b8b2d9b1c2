// Where a JSON text first goes wrong, as a line and column a person can find. JSON.parse's
// messages differ between engines and often give no position at all ("Unexpected token '}', ... is
// not valid JSON"), so the text is walked here by the JSON grammar itself. Iterative, with an
// explicit stack, so nesting depth costs no call stack; linear in the text, and no regular expressions.

export interface JsonSyntaxError {
  /** Offset in the text (UTF-16 code units) where the error is. */
  offset: number;
  /** 1-based. */
  line: number;
  /** 1-based, counted in characters from the start of the line. */
  column: number;
  /** What is wrong there, in words. */
  reason: string;
}

type Expect = 'value' | 'value-or-close' | 'key' | 'key-or-close' | 'colon' | 'comma-or-close' | 'end';

const WHITESPACE = new Set([' ', '\t', '\n', '\r']);
const ESCAPES = new Set(['"', '\\', '/', 'b', 'f', 'n', 'r', 't']);

const isDigit = (c: string | undefined) => c !== undefined && c >= '0' && c <= '9';
const isHex = (c: string | undefined) => c !== undefined && ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'));
const isWordChar = (c: string | undefined) => c !== undefined && ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c === '_' || isDigit(c));

/** The 1-based line and column of an offset. */
export function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text[i] === '\n') {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

function found(c: string): string {
  if (c === '\n' || c === '\r') return 'a line break';
  if (c === '\t') return 'a tab';
  return c === "'" ? `"'"` : `'${c}'`;
}

/** The first syntax error in `text`, or null when it is JSON. */
export function findJsonSyntaxError(text: string): JsonSyntaxError | null {
  const n = text.length;
  const stack: ('{' | '[')[] = [];
  let expect: Expect = 'value';
  // Set right after a comma: a closing bracket there is a trailing comma, which JSON does not allow.
  let afterComma = false;
  let i = 0;
  const fail = (offset: number, reason: string): JsonSyntaxError => ({ offset, ...lineAndColumn(text, offset), reason });
  // Returned rather than assigned inside, so the compiler sees every change to `expect`.
  const afterValue = (): Expect => {
    afterComma = false;
    return stack.length ? 'comma-or-close' : 'end';
  };

  /** From an opening quote to just past its closing quote, or the error inside the string. */
  function scanString(): JsonSyntaxError | null {
    const start = i;
    i++;
    while (i < n) {
      const c = text[i];
      if (c === '"') {
        i++;
        return null;
      }
      if (c === '\\') {
        const e = text[i + 1];
        if (e === 'u') {
          for (let k = 2; k < 6; k++) if (!isHex(text[i + k])) return fail(i, 'a \\u escape needs four hex digits');
          i += 6;
          continue;
        }
        if (e === undefined || !ESCAPES.has(e)) return fail(i, `"\\${e ?? ''}" is not a JSON escape (use \\" \\\\ \\/ \\b \\f \\n \\r \\t or \\uXXXX)`);
        i += 2;
        continue;
      }
      if (c.charCodeAt(0) < 0x20) return fail(i, `${found(c)} inside a string: write it as an escape such as \\n or \\t`);
      i++;
    }
    return fail(start, 'this string is never closed (no closing ")');
  }

  function scanNumber(): JsonSyntaxError | null {
    const start = i;
    if (text[i] === '-') i++;
    if (text[i] === '0') i++;
    else if (isDigit(text[i])) while (isDigit(text[i])) i++;
    else return fail(start, 'a number needs a digit after "-"');
    if (isDigit(text[i])) return fail(start, 'a number cannot start with 0 followed by more digits');
    if (text[i] === '.') {
      i++;
      if (!isDigit(text[i])) return fail(i, 'a number needs digits after the decimal point');
      while (isDigit(text[i])) i++;
    }
    if (text[i] === 'e' || text[i] === 'E') {
      i++;
      if (text[i] === '+' || text[i] === '-') i++;
      if (!isDigit(text[i])) return fail(i, 'a number needs digits in its exponent');
      while (isDigit(text[i])) i++;
    }
    return null;
  }

  while (true) {
    while (i < n && WHITESPACE.has(text[i])) i++;
    if (i >= n) {
      if (expect === 'end') return null;
      const open = stack.length;
      return fail(n, open ? `the text ends before ${open === 1 ? 'a bracket is' : `${open} brackets are`} closed` : 'the text ends where a value should be');
    }
    const c = text[i];
    switch (expect) {
      case 'end':
        return fail(i, `${found(c)} after the end of the JSON value`);
      case 'colon':
        if (c !== ':') return fail(i, `expected ":" after the property name, found ${found(c)}`);
        i++;
        expect = 'value';
        break;
      case 'key':
      case 'key-or-close':
        if (c === '}' && expect === 'key-or-close') {
          stack.pop();
          i++;
          expect = afterValue();
        } else if (c === '"') {
          const error = scanString();
          if (error) return error;
          expect = 'colon';
        } else if (c === '}' && afterComma) {
          return fail(i, 'a comma before "}": JSON allows no trailing comma');
        } else {
          return fail(i, `expected a property name in double quotes, found ${found(c)}`);
        }
        break;
      case 'comma-or-close': {
        const top = stack[stack.length - 1];
        const close = top === '{' ? '}' : ']';
        if (c === ',') {
          i++;
          expect = top === '{' ? 'key' : 'value';
          afterComma = true;
        } else if (c === close) {
          stack.pop();
          i++;
          expect = afterValue();
        } else {
          return fail(i, `expected "," or "${close}" after ${top === '{' ? 'a property value' : 'an array element'}, found ${found(c)}`);
        }
        break;
      }
      default: {
        // A value, or (just after "[") the end of an empty array.
        if (c === ']' && expect === 'value-or-close') {
          stack.pop();
          i++;
          expect = afterValue();
        } else if (c === '{' || c === '[') {
          stack.push(c);
          i++;
          expect = c === '{' ? 'key-or-close' : 'value-or-close';
          afterComma = false;
        } else if (c === '"') {
          const error = scanString();
          if (error) return error;
          expect = afterValue();
        } else if (c === '-' || isDigit(c)) {
          const error = scanNumber();
          if (error) return error;
          expect = afterValue();
        } else if (isWordChar(c)) {
          const start = i;
          while (isWordChar(text[i])) i++;
          const word = text.slice(start, i);
          if (word !== 'true' && word !== 'false' && word !== 'null') {
            return fail(
              start,
              `"${word.length > 20 ? `${word.slice(0, 20)}…` : word}" is not a JSON value (strings need double quotes; the words are true, false and null)`,
            );
          }
          expect = afterValue();
        } else if (c === ']' && afterComma) {
          return fail(i, 'a comma before "]": JSON allows no trailing comma');
        } else {
          return fail(i, `expected a value, found ${found(c)}`);
        }
      }
    }
  }
}

/** "line 3, column 5: <reason>", the words the Launch screen and its tests use. */
export function describeJsonSyntaxError(error: JsonSyntaxError): string {
  return `line ${error.line}, column ${error.column}: ${error.reason}`;
}
