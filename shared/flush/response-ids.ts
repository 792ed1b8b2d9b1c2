// Response ids from what testers paste or export: one a line, space, comma or tab separated, or a
// CSV whose header names a response_id column. Shared by the CLI's --from and the Flush screen.
import { readCsv } from '../csv';

export interface ParsedIds {
  ids: string[];
  /** Ids given more than once, flushed once. */
  duplicates: string[];
}

/**
 * "response_id", "Response ID", "responseId" (the Flush screen's own export), "response-id",
 * "response": compared without case, spaces, _ or -.
 */
function isIdHeader(field: string): boolean {
  const name = field
    .trim()
    .toLowerCase()
    .replace(/[\s_-]+/g, '');
  return name === 'responseid' || name === 'response';
}

export function parseResponseIds(text: string): ParsedIds {
  const rows = readCsv(text, { comments: true });
  const column = rows.length ? rows[0]!.findIndex(isIdHeader) : -1;
  const raw = column >= 0 ? rows.slice(1).map((row) => row[column] ?? '') : headerlessIds(rows);
  const seen = new Set<string>();
  const duplicates = new Set<string>();
  const ids: string[] = [];
  // A header name is never an id, wherever it stands: files pasted one after another repeat theirs.
  for (const id of raw.map((r) => r.trim()).filter((r) => r && !isIdHeader(r))) {
    if (seen.has(id)) duplicates.add(id);
    else {
      seen.add(id);
      ids.push(id);
    }
  }
  return { ids, duplicates: [...duplicates] };
}

/**
 * With no header, one line of several fields is a list ("a, b, c"), while several lines of several
 * fields are a table whose first column holds the ids. A field holding spaces is a list on its own
 * ("a b c"): response ids have none.
 */
function headerlessIds(rows: readonly string[][]): string[] {
  const fields = rows.length === 1 ? rows[0]! : rows.map((row) => row[0] ?? '');
  return fields.flatMap((f) => f.split(/\s+/));
}
