// Response ids from what testers paste or export: one a line, comma/space separated, or a CSV
// whose header names a response_id column. Shared by the CLI's --from and the Flush screen.

const HEADER_NAMES = ['response_id', 'responseid', 'response id', 'response'];

export interface ParsedIds {
  ids: string[];
  /** Ids given more than once, flushed once. */
  duplicates: string[];
}

export function parseResponseIds(text: string): ParsedIds {
  const lines = text.split(/\r?\n/).map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
  let column = -1;
  if (lines.length && lines[0]!.includes(',')) {
    const header = splitCsvLine(lines[0]!).map((h) => h.toLowerCase());
    column = header.findIndex((h) => HEADER_NAMES.includes(h));
    if (column >= 0) lines.shift();
  }
  const raw =
    column >= 0
      ? lines.map((l) => splitCsvLine(l)[column] ?? '')
      : lines.flatMap((l) => (l.includes(',') ? [splitCsvLine(l)[0] ?? ''] : l.split(/\s+/)));
  const seen = new Set<string>();
  const duplicates = new Set<string>();
  const ids: string[] = [];
  for (const id of raw.map((r) => r.trim()).filter(Boolean)) {
    if (seen.has(id)) duplicates.add(id);
    else {
      seen.add(id);
      ids.push(id);
    }
  }
  return { ids, duplicates: [...duplicates] };
}

/** RFC 4180 fields: quoted fields may hold commas and doubled quotes. */
export function splitCsvLine(line: string): string[] {
  const out: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') (field += '"'), i++;
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') (out.push(field), (field = ''));
    else field += c;
  }
  out.push(field);
  return out.map((f) => f.trim());
}
