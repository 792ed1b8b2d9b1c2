// The one CSV reader and writer, for the page and the CLI alike; papaparse does the RFC 4180 work
// (quoted commas, quotes and line breaks) so no caller splits lines or fields by hand.
import Papa from 'papaparse';

export type CsvValue = string | number | boolean | null | undefined;

/** RFC 4180 and spreadsheet imports expect CRLF. */
const NEWLINE = '\r\n';

export interface ReadCsvOptions {
  /** Drop lines starting with #: notes in a hand-written list of ids. */
  comments?: boolean;
}

/**
 * Rows of fields, blank lines left out. A BOM (Excel's "CSV UTF-8") is dropped. The field
 * separator is guessed among comma, tab and semicolon (Excel in some locales writes ;), falling
 * back to comma for a single column.
 */
export function readCsv(text: string, options: ReadCsvOptions = {}): string[][] {
  const result = Papa.parse<string[]>(sameLineEnds(text), {
    newline: '\n',
    delimitersToGuess: [',', '\t', ';'],
    skipEmptyLines: 'greedy',
    ...(options.comments ? { comments: '#' } : {}),
  });
  // A quote left open takes the rest of the text as one field; that field is still returned, and
  // the caller's own rules (a response id has no line breaks) decide what it is worth.
  return result.data;
}

/**
 * Papaparse guesses one line end for the whole text, so a file pasted together from Windows and
 * Unix pieces would keep a stray \r or read two lines as one. A line break inside a quoted field
 * comes back as \n.
 */
function sameLineEnds(text: string): string {
  return text.replace(/\r\n?/g, '\n');
}

/**
 * A header of `columns`, then one line per row with those columns' values, each line ending in
 * CRLF (the last too). Values are written as they are, with no spreadsheet-formula escaping
 * (papaparse's escapeFormulae would prefix a quote to "=…" or "-…"): testers compare the file
 * with what the runner and downstream hold, and an id or an answer starting with - or = must
 * read back the same. null and undefined are empty fields.
 */
export function writeCsv<K extends string>(rows: readonly Readonly<Record<K, CsvValue>>[], columns: readonly K[]): string {
  const out = Papa.unparse(
    // Arrays rather than objects: for no rows at all papaparse would otherwise drop the header.
    { fields: [...columns], data: rows.map((row) => columns.map((c) => row[c])) },
    { newline: NEWLINE, quotes: false, escapeFormulae: false, header: true },
  );
  return out.endsWith(NEWLINE) ? out : out + NEWLINE;
}
