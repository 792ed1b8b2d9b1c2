// What the answers table asks of a payload's answers, wherever they are held (the services, the
// page's worker, the page): the query, the window of entries, and the page that comes back. Types
// and constants only, so the contract's argument schemas can use them without the table itself.
import type { AnswerRow, DisplayRow } from './answers';

/** The answers table's columns, by the ids its column definitions use. */
export const ANSWER_COLUMNS = ['index', 'answerId', 'list', 'listItemId', 'value'] as const;
export type AnswerColumn = (typeof ANSWER_COLUMNS)[number];

/** One sort key, as TanStack Table's sorting state has it: the first is the primary one. */
export interface AnswerSort {
  id: AnswerColumn;
  desc: boolean;
}

/** What the table shows: rows whose text in any column contains `filter` (any case), sorted, grouped by list. */
export interface AnswerQuery {
  filter?: string;
  sort?: AnswerSort[];
  /** Headings for each list and list item, the rows regrouped under them (when any answer is for a list item). */
  grouped?: boolean;
}

/** A query and the entries wanted: [start, end) of the rows and headings it shows. */
export interface AnswerWindow extends AnswerQuery {
  start: number;
  end: number;
  /** A row (its index in data.answers) to find among the entries: AnswerPage.position says where. */
  find?: number;
}

/** An answer row or a list heading, as the answers table draws it. */
export type AnswerEntry = DisplayRow<AnswerRow>;

export interface AnswerPage {
  /** Answers in the payload. */
  total: number;
  /** Rows the query's filter lets through. */
  shown: number;
  /** Entries the query shows: those rows and the headings between them. */
  count: number;
  /** Whether any answer is for a list item (so grouping means something). */
  hasListItems: boolean;
  start: number;
  entries: AnswerEntry[];
  /** Where `find` is among the entries; -1 when the filter hides it. Only when asked for. */
  position?: number;
}

/** The most entries one window may ask for. */
export const MAX_WINDOW = 2000;
/** The query the answers table starts with: the payload's order, grouped by list. */
export const FIRST_QUERY: AnswerQuery = { grouped: true };

/** The entries the page asks for at a time, and the first window sent with a big payload's outline. */
export const ANSWER_PAGE = 200;
/** Up to this many answers the page holds the whole payload; past it, it asks for windows. */
export const PAGED_ANSWERS = 2000;

/** A query in one canonical form, so equal queries share a cached view. */
export function queryKey(q: AnswerQuery): string {
  const sort = (q.sort ?? []).map((s) => `${s.id}:${s.desc ? 'd' : 'a'}`).join(',');
  return JSON.stringify([q.filter ?? '', sort, q.grouped === true]);
}
