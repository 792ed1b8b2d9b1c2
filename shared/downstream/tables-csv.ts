// The Downstream screen's tables as CSV, in the order and with the rows the table shows. Pure, so the
// page, its worker and the services (a big payload's answers, exported whole) write the same CSV.
import { writeCsv, type CsvValue } from '../csv';
import type { AnswerCode, AnswerRow } from './answers';

export const ANSWERS_CSV_COLUMNS = ['answer_id', 'list', 'list_item_id', 'value', 'raw'] as const;

/**
 * `value` is for reading: the table's text, but a checkbox's choices each in double quotes
 * ("Eggs, boiled", "Toast"), because choices hold commas and ", " alone cannot say where one
 * ends; a person still reads it as a list, and a program parses it as a JSON array once wrapped
 * in [ ]. `raw` is the value exactly as the payload has it, as JSON (durations, addresses,
 * relationships, checkboxes, numbers); empty for text, which `value` already holds exactly.
 */
export function answersCsv(rows: readonly AnswerRow[]): string {
  return writeCsv(
    rows.map((r) => ({
      answer_id: r.answerId,
      list: r.list,
      list_item_id: r.listItemId,
      value: r.shape === 'checkbox' ? checkboxText(r.value as string[]) : r.text,
      raw: rawJson(r.value),
    })),
    ANSWERS_CSV_COLUMNS,
  );
}

export function checkboxText(choices: readonly string[]): string {
  return choices.map((c) => JSON.stringify(c)).join(', ');
}

function rawJson(value: unknown): string {
  return typeof value === 'string' || value === undefined ? '' : JSON.stringify(value);
}

/** Survey metadata, q_codes, feedback and user research: the key under its own header, then the value. */
export function keyValueCsv(keyHeader: string, rows: readonly { key: string; text: string }[]): string {
  return writeCsv<string>(
    rows.map((r): Record<string, CsvValue> => ({ [keyHeader]: r.key, value: r.text })),
    [keyHeader, 'value'],
  );
}

export function answerCodesCsv(rows: readonly AnswerCode[]): string {
  return writeCsv(
    rows.map((r) => ({ answer_id: r.answerId, answer_value: r.answerValue, code: r.code })),
    ['answer_id', 'answer_value', 'code'],
  );
}
