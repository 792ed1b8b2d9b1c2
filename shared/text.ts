// Trimming runs of characters at the ends of a text. The obvious /x+$/ backtracks quadratically
// on a long run that is not at the end (the engine retries from every position), and every
// pattern in the console must be linear (test/unit/regex-linear.test.ts); these loops are.

type Ends = 'both' | 'start' | 'end';

/** `text` without the characters at its ends for which `strip` holds (UTF-16 units). */
export function trimWhere(text: string, strip: (char: string) => boolean, ends: Ends = 'both'): string {
  let start = 0;
  let end = text.length;
  if (ends !== 'end') while (start < end && strip(text[start]!)) start++;
  if (ends !== 'start') while (end > start && strip(text[end - 1]!)) end--;
  return text.slice(start, end);
}

/** `text` without any of `chars` at its ends. */
export function trimChars(text: string, chars: string, ends: Ends = 'both'): string {
  return trimWhere(text, (c) => chars.includes(c), ends);
}
