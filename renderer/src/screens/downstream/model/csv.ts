// RFC 4180 CSV: fields holding a comma, a quote, a line break or edge spaces are quoted, with
// quotes doubled; lines end in CRLF. Values are written exactly as the payload has them (no
// spreadsheet-formula escaping), because testers compare them with what downstream received.
import type { AnswerRow } from './answers';

const NEEDS_QUOTES = /[",\r\n]|^\s|\s$/;

export function csvField(value: string): string {
  return NEEDS_QUOTES.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

export function toCsv(header: readonly string[], rows: readonly (readonly string[])[]): string {
  let out = header.map(csvField).join(',') + '\r\n';
  for (const row of rows) out += row.map(csvField).join(',') + '\r\n';
  return out;
}

export const ANSWERS_CSV_HEADER = ['answer_id', 'list', 'list_item_id', 'value'] as const;

/** The answers table as CSV, in the order given (the table's sort and filter). */
export function answersCsv(rows: readonly AnswerRow[]): string {
  return toCsv(
    ANSWERS_CSV_HEADER,
    rows.map((r) => [r.answerId, r.list, r.listItemId, r.text]),
  );
}
