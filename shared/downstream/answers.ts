// Rows for the answers table of a 0.0.3 payload, and the list grouping around them. Built once per
// payload in one pass each, so 100,000 answers cost a few milliseconds, not a re-render per row.
import { isObj } from './check';
import { valueShape, valueText, type ItemNamer, type ValueShape } from './values';

export interface ListInfo {
  name: string;
  items: string[];
  primaryPerson?: string;
  sameNameItems: string[];
  /** supplementary_data_mappings: which supplementary data item each list item came from. */
  mappings: { listItemId: string; identifier: string }[];
}

/** Where a list item sits: its list, its 1-based position, and whether it is the primary person. */
export interface ItemPlace {
  list: string;
  position: number;
  count: number;
  primary: boolean;
}

export interface AnswerRow {
  /** Position in data.answers: problem paths (data.answers[3]) point here. */
  index: number;
  answerId: string;
  /** '' when the answer is not for a list item. */
  listItemId: string;
  /** The list the item belongs to; '' when there is none or no list holds the item. */
  list: string;
  value: unknown;
  shape: ValueShape;
  text: string;
}

export interface AnswerCode {
  index: number;
  answerId: string;
  answerValue: string;
  code: string;
}

const strOf = (v: unknown) => (typeof v === 'string' ? v : v === undefined || v === null ? '' : String(v));

export function listsOf(data: unknown): ListInfo[] {
  if (!isObj(data) || !Array.isArray(data.lists)) return [];
  return data.lists.filter(isObj).map((l) => ({
    name: strOf(l.name),
    items: Array.isArray(l.items) ? l.items.map(strOf) : [],
    ...(typeof l.primary_person === 'string' ? { primaryPerson: l.primary_person } : {}),
    sameNameItems: Array.isArray(l.same_name_items) ? l.same_name_items.map(strOf) : [],
    mappings: Array.isArray(l.supplementary_data_mappings)
      ? l.supplementary_data_mappings.filter(isObj).map((m) => ({ listItemId: strOf(m.list_item_id), identifier: strOf(m.identifier) }))
      : [],
  }));
}

export function itemPlaces(lists: readonly ListInfo[]): Map<string, ItemPlace> {
  const places = new Map<string, ItemPlace>();
  for (const l of lists) {
    l.items.forEach((id, i) => {
      // An id in two lists is a broken payload; the first list keeps it, as a reader would expect.
      if (!places.has(id)) places.set(id, { list: l.name, position: i + 1, count: l.items.length, primary: l.primaryPerson === id });
    });
  }
  return places;
}

/** "zGBdpb (people 1, primary person)": relationships name both ends this way. */
export function itemNamer(places: Map<string, ItemPlace>): ItemNamer {
  return (id) => {
    const p = places.get(id);
    if (!p) return id;
    return `${id} (${p.list} ${p.position}${p.primary ? ', primary person' : ''})`;
  };
}

export function answerRows(data: unknown, places: Map<string, ItemPlace> = itemPlaces(listsOf(data))): AnswerRow[] {
  if (!isObj(data) || !Array.isArray(data.answers)) return [];
  const name = itemNamer(places);
  const answers = data.answers;
  const rows: AnswerRow[] = new Array(answers.length);
  for (let i = 0; i < answers.length; i++) {
    const a: unknown = answers[i];
    const o = isObj(a) ? a : {};
    const listItemId = strOf(o.list_item_id);
    const value = isObj(a) ? o.value : a;
    rows[i] = {
      index: i,
      answerId: strOf(o.answer_id),
      listItemId,
      list: listItemId ? (places.get(listItemId)?.list ?? '') : '',
      value,
      shape: valueShape(value),
      text: valueText(value, name),
    };
  }
  return rows;
}

export function answerCodes(data: unknown): AnswerCode[] {
  if (!isObj(data) || !Array.isArray(data.answer_codes)) return [];
  return data.answer_codes.map((c, index) => {
    const o = isObj(c) ? c : {};
    return { index, answerId: strOf(o.answer_id), answerValue: strOf(o.answer_value), code: strOf(o.code) };
  });
}

/** A flat data object (0.0.1 q_codes, feedback, user_research) as key/value rows, in payload order. */
export interface KeyValueRow {
  key: string;
  value: unknown;
  text: string;
}

export function keyValueRows(obj: unknown): KeyValueRow[] {
  if (!isObj(obj)) return [];
  return Object.entries(obj).map(([key, value]) => ({ key, value, text: valueText(value) }));
}

// ---------------------------------------------------------------------------------------------
// Grouping

export type DisplayRow<T> =
  { kind: 'row'; row: T; key: string } | { kind: 'heading'; level: 1 | 2; key: string; title: string; detail: string; primary?: boolean };

/**
 * The rows as they come (already sorted and filtered by the table), regrouped: answers that are
 * not for a list item first, then each list in the payload's order with a heading, and under it
 * each item in list order with its own heading. The order within a group is kept, so sorting by
 * a column still sorts inside every group. No headings at all when nothing is in a list.
 */
export function groupByList<T>(rows: readonly T[], lists: readonly ListInfo[], keyOf: (row: T) => string, itemIdOf: (row: T) => string): DisplayRow<T>[] {
  const loose: T[] = [];
  const byItem = new Map<string, T[]>();
  for (const row of rows) {
    const itemId = itemIdOf(row);
    if (!itemId) loose.push(row);
    else {
      let bucket = byItem.get(itemId);
      if (!bucket) byItem.set(itemId, (bucket = []));
      bucket.push(row);
    }
  }
  const asRows = (rs: readonly T[]): DisplayRow<T>[] => rs.map((row) => ({ kind: 'row', row, key: keyOf(row) }));
  if (byItem.size === 0) return asRows(rows);

  const out: DisplayRow<T>[] = [];
  if (loose.length) {
    out.push({ kind: 'heading', level: 1, key: 'h:', title: 'Not in a list', detail: answersCount(loose.length) });
    for (const row of loose) out.push({ kind: 'row', row, key: keyOf(row) });
  }
  const placed = new Set<string>();
  for (const list of lists) {
    const present = list.items.filter((id) => byItem.has(id) && !placed.has(id));
    if (present.length === 0) continue;
    const n = present.reduce((sum, id) => sum + byItem.get(id)!.length, 0);
    out.push({ kind: 'heading', level: 1, key: `h:${list.name}`, title: `List ${list.name}`, detail: `${itemsCount(list.items.length)} · ${answersCount(n)}` });
    for (const id of present) {
      placed.add(id);
      const position = list.items.indexOf(id) + 1;
      const primary = list.primaryPerson === id;
      const bucket = byItem.get(id)!;
      out.push({
        kind: 'heading',
        level: 2,
        key: `h:${list.name}:${id}`,
        title: id,
        detail: `item ${position} of ${list.items.length} · ${answersCount(bucket.length)}`,
        ...(primary ? { primary } : {}),
      });
      for (const row of bucket) out.push({ kind: 'row', row, key: keyOf(row) });
    }
  }
  const orphans = [...byItem.keys()].filter((id) => !placed.has(id));
  if (orphans.length) {
    out.push({ kind: 'heading', level: 1, key: 'h:?', title: 'Items in no list', detail: 'their list_item_id is not in data.lists' });
    for (const id of orphans) {
      const bucket = byItem.get(id)!;
      out.push({ kind: 'heading', level: 2, key: `h:?:${id}`, title: id, detail: answersCount(bucket.length) });
      for (const row of bucket) out.push({ kind: 'row', row, key: keyOf(row) });
    }
  }
  return out;
}

const answersCount = (n: number) => `${n.toLocaleString('en-GB')} answer${n === 1 ? '' : 's'}`;
const itemsCount = (n: number) => `${n} item${n === 1 ? '' : 's'}`;
