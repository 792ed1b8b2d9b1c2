// The answers of one 0.0.3 payload as a table that is never built whole: filtering, sorting and
// grouping work on arrays of row numbers (Int32Array), and a row object exists only for the rows a
// window asks for. The services run it for payloads they hold (downstream.answers), the page's
// worker for plain JSON files it read itself, and the page for small payloads; all three give the
// same rows in the same order. Pure: no Node, no DOM.
import { isObj } from './check';
import { itemNamer, itemPlaces, listsOf, type AnswerRow, type ItemPlace, type ListInfo } from './answers';
import { answersCsv } from './tables-csv';
import type { AnswerColumn, AnswerEntry, AnswerPage, AnswerQuery, AnswerSort, AnswerWindow } from './answer-query';
import { queryKey } from './answer-query';
import { valueShape, valueText, type ItemNamer } from './values';

export * from './answer-query';

interface View {
  /** Row numbers the filter lets through, in the sort's order. */
  order: Int32Array;
  /** Entries: a row number (>= 0), or -1 - h for heading h. */
  entries: Int32Array;
  headings: AnswerEntry[];
}

const strOf = (v: unknown) => (typeof v === 'string' ? v : v === undefined || v === null ? '' : String(v));
const byCodePoint = (x: string, y: string) => (x < y ? -1 : x > y ? 1 : 0);

/**
 * A text's key for sorting as people read (and as the table sorted before it was paged): any case,
 * and runs of digits by their value, so answer-2 comes before answer-10. Each run of digits becomes
 * its length (without leading zeros, three digits) and then its digits: keys then compare by code point.
 */
export function naturalKey(text: string): string {
  return text.toLowerCase().replace(/\d+/g, (digits) => {
    const value = digits.replace(/^0+/, '') || '0';
    return String(value.length).padStart(3, '0') + value;
  });
}

export class AnswerTable {
  readonly total: number;
  readonly hasListItems: boolean;
  readonly lists: ListInfo[];
  private readonly answers: readonly unknown[];
  private readonly places: Map<string, ItemPlace>;
  private readonly name: ItemNamer;
  private readonly itemIds: string[];
  private answerIds?: string[];
  private listNames?: string[];
  private texts?: string[];
  private lower?: Map<AnswerColumn, string[]>;
  private keys?: Map<AnswerColumn, string[]>;
  /** Views by query key, least recently used first. */
  private readonly views = new Map<string, View>();

  /** data: the payload's data object (data.answers, data.lists). */
  constructor(data: unknown) {
    this.answers = isObj(data) && Array.isArray(data.answers) ? data.answers : [];
    this.total = this.answers.length;
    this.lists = listsOf(data);
    this.places = itemPlaces(this.lists);
    this.name = itemNamer(this.places);
    const itemIds = new Array<string>(this.total);
    let any = false;
    for (let i = 0; i < this.total; i++) {
      const a = this.answers[i];
      const id = isObj(a) ? strOf(a.list_item_id) : '';
      itemIds[i] = id;
      if (id) any = true;
    }
    this.itemIds = itemIds;
    this.hasListItems = any;
  }

  /** The row of answer i, made when asked for. */
  row(i: number): AnswerRow {
    const a = this.answers[i];
    const o = isObj(a) ? a : {};
    const listItemId = this.itemIds[i]!;
    const value = isObj(a) ? o.value : a;
    return {
      index: i,
      answerId: strOf(o.answer_id),
      listItemId,
      list: listItemId ? (this.places.get(listItemId)?.list ?? '') : '',
      value,
      shape: valueShape(value),
      text: this.text(i),
    };
  }

  /** The entries [start, end) of the query, and where `find` is when asked. (The contract holds callers to MAX_WINDOW.) */
  page(w: AnswerWindow): AnswerPage {
    const view = this.view(w);
    const count = view.entries.length;
    const start = Math.max(0, Math.min(Math.floor(w.start), count));
    const end = Math.max(start, Math.min(Math.floor(w.end), count));
    const entries: AnswerEntry[] = new Array(end - start);
    for (let p = start; p < end; p++) {
      const e = view.entries[p]!;
      entries[p - start] = e >= 0 ? { kind: 'row', row: this.row(e), key: String(e) } : view.headings[-1 - e]!;
    }
    const page: AnswerPage = { total: this.total, shown: view.order.length, count, hasListItems: this.hasListItems, start, entries };
    if (w.find !== undefined) page.position = view.entries.indexOf(w.find);
    return page;
  }

  /** Every row the query lets through, in its order (headings left out), as the answers table's CSV. */
  csv(q: AnswerQuery): string {
    const order = this.view({ ...q, grouped: false }).order;
    const rows: AnswerRow[] = new Array(order.length);
    for (let p = 0; p < order.length; p++) rows[p] = this.row(order[p]!);
    return answersCsv(rows);
  }

  private view(q: AnswerQuery): View {
    const key = queryKey(q);
    const cached = this.views.get(key);
    if (cached) {
      this.views.delete(key);
      this.views.set(key, cached);
      return cached;
    }
    const grouped = q.grouped === true && this.hasListItems;
    const order = grouped ? this.view({ ...q, grouped: false }).order : this.sorted(this.filtered(q.filter ?? ''), q.sort ?? []);
    const view: View = grouped ? this.grouped(order) : { order, entries: order, headings: [] };
    this.views.set(key, view);
    // A few views are kept: the one shown, the one before (a sort toggled back), and the ungrouped one a grouped one came from.
    for (const oldest of this.views.keys()) {
      if (this.views.size <= 6) break;
      this.views.delete(oldest);
    }
    return view;
  }

  private text(i: number): string {
    if (this.texts) return this.texts[i]!;
    const a = this.answers[i];
    return valueText(isObj(a) ? a.value : a, this.name);
  }

  private allTexts(): string[] {
    if (!this.texts) {
      const texts = new Array<string>(this.total);
      for (let i = 0; i < this.total; i++) texts[i] = this.text(i);
      this.texts = texts;
    }
    return this.texts;
  }

  private column(id: Exclude<AnswerColumn, 'index' | 'value'>): string[] {
    if (id === 'listItemId') return this.itemIds;
    if (id === 'answerId') {
      this.answerIds ??= this.answers.map((a) => (isObj(a) ? strOf(a.answer_id) : ''));
      return this.answerIds;
    }
    this.listNames ??= this.itemIds.map((id) => (id ? (this.places.get(id)?.list ?? '') : ''));
    return this.listNames;
  }

  /** A column's natural sort keys (naturalKey), made the first time it is sorted by. */
  private sortKeys(id: Exclude<AnswerColumn, 'index'>): string[] {
    this.keys ??= new Map();
    let out = this.keys.get(id);
    if (!out) {
      const source = id === 'value' ? this.allTexts() : this.column(id);
      out = source.map(naturalKey);
      this.keys.set(id, out);
    }
    return out;
  }

  /** A column's texts in lower case, for the filter; the value column is its one-line text. */
  private lowered(id: Exclude<AnswerColumn, 'index'>): string[] {
    this.lower ??= new Map();
    let out = this.lower.get(id);
    if (!out) {
      const source = id === 'value' ? this.allTexts() : this.column(id);
      out = source.map((s) => s.toLowerCase());
      this.lower.set(id, out);
    }
    return out;
  }

  /**
   * Rows whose text in any column contains the filter, in any case: what the answers table did
   * when it filtered 16 rows itself (TanStack's global filter with a "contains" on each cell).
   */
  private filtered(filter: string): Int32Array {
    if (!filter) return identity(this.total);
    const needle = filter.toLowerCase();
    const columns = (['answerId', 'list', 'listItemId', 'value'] as const).map((id) => this.lowered(id));
    const out = new Int32Array(this.total);
    let n = 0;
    for (let i = 0; i < this.total; i++) {
      if (String(i).includes(needle) || columns.some((c) => c[i]!.includes(needle))) out[n++] = i;
    }
    return out.slice(0, n);
  }

  /**
   * Sorted by each key in turn, ties kept in payload order (TanStack's rule). Numbers by value;
   * texts by their natural keys, which stays fast for 100,000 rows; in the value column, numbers before texts.
   */
  private sorted(rows: Int32Array, sort: readonly AnswerSort[]): Int32Array {
    if (sort.length === 0) return rows;
    const compares = sort.map((s) => {
      const cmp = this.comparer(s.id);
      return s.desc ? (a: number, b: number) => -cmp(a, b) : cmp;
    });
    const out = rows.slice();
    out.sort((a, b) => {
      for (const cmp of compares) {
        const c = cmp(a, b);
        if (c !== 0) return c;
      }
      return a - b;
    });
    return out;
  }

  private comparer(id: AnswerColumn): (a: number, b: number) => number {
    if (id === 'index') return (a, b) => a - b;
    if (id !== 'value') {
      const keys = this.sortKeys(id);
      return (a, b) => byCodePoint(keys[a]!, keys[b]!);
    }
    const texts = this.sortKeys('value');
    const numbers = new Float64Array(this.total);
    const isNumber = new Uint8Array(this.total);
    for (let i = 0; i < this.total; i++) {
      const a = this.answers[i];
      const v = isObj(a) ? a.value : a;
      if (typeof v === 'number') {
        numbers[i] = v;
        isNumber[i] = 1;
      }
    }
    return (a, b) => {
      if (isNumber[a] && isNumber[b]) return numbers[a]! - numbers[b]!;
      if (isNumber[a] !== isNumber[b]) return isNumber[a] ? -1 : 1;
      return byCodePoint(texts[a]!, texts[b]!);
    };
  }

  /** groupByList (answers.ts) on row numbers: loose answers first, then each list and item in list order, unknown items last. */
  private grouped(order: Int32Array): View {
    const loose: number[] = [];
    const byItem = new Map<string, number[]>();
    for (let p = 0; p < order.length; p++) {
      const i = order[p]!;
      const itemId = this.itemIds[i]!;
      if (!itemId) loose.push(i);
      else {
        let bucket = byItem.get(itemId);
        if (!bucket) byItem.set(itemId, (bucket = []));
        bucket.push(i);
      }
    }
    if (byItem.size === 0) return { order, entries: order, headings: [] };
    const entries = new Int32Array(order.length + 2 * byItem.size + this.lists.length + 2);
    const headings: AnswerEntry[] = [];
    let n = 0;
    const heading = (h: AnswerEntry) => {
      headings.push(h);
      entries[n++] = -headings.length;
    };
    const rows = (bucket: readonly number[]) => {
      for (const i of bucket) entries[n++] = i;
    };
    if (loose.length) {
      heading({ kind: 'heading', level: 1, key: 'h:', title: 'Not in a list', detail: answersCount(loose.length) });
      rows(loose);
    }
    const placed = new Set<string>();
    for (const list of this.lists) {
      const present = list.items.filter((id) => byItem.has(id) && !placed.has(id));
      if (present.length === 0) continue;
      const inList = present.reduce((sum, id) => sum + byItem.get(id)!.length, 0);
      heading({
        kind: 'heading',
        level: 1,
        key: `h:${list.name}`,
        title: `List ${list.name}`,
        detail: `${itemsCount(list.items.length)} · ${answersCount(inList)}`,
      });
      for (const id of present) {
        placed.add(id);
        const bucket = byItem.get(id)!;
        heading({
          kind: 'heading',
          level: 2,
          key: `h:${list.name}:${id}`,
          title: id,
          detail: `item ${list.items.indexOf(id) + 1} of ${list.items.length} · ${answersCount(bucket.length)}`,
          ...(list.primaryPerson === id ? { primary: true } : {}),
        });
        rows(bucket);
      }
    }
    const orphans = [...byItem.keys()].filter((id) => !placed.has(id));
    if (orphans.length) {
      heading({ kind: 'heading', level: 1, key: 'h:?', title: 'Items in no list', detail: 'their list_item_id is not in data.lists' });
      for (const id of orphans) {
        const bucket = byItem.get(id)!;
        heading({ kind: 'heading', level: 2, key: `h:?:${id}`, title: id, detail: answersCount(bucket.length) });
        rows(bucket);
      }
    }
    return { order, entries: entries.slice(0, n), headings };
  }
}

function identity(n: number): Int32Array {
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) out[i] = i;
  return out;
}

const answersCount = (n: number) => `${n.toLocaleString('en-GB')} answer${n === 1 ? '' : 's'}`;
const itemsCount = (n: number) => `${n} item${n === 1 ? '' : 's'}`;

/**
 * The payload with data.answers emptied: what the page holds of a big payload while its answers
 * stay where they were opened (the services or the page's worker) and arrive in windows.
 */
export function withoutAnswers(payload: unknown): unknown {
  if (!isObj(payload) || !isObj(payload.data) || !Array.isArray(payload.data.answers)) return payload;
  return { ...payload, data: { ...payload.data, answers: [] } };
}

/** The number of answers in a payload's data.answers, 0 when it has none. */
export function answerCount(payload: unknown): number {
  return isObj(payload) && isObj(payload.data) && Array.isArray(payload.data.answers) ? payload.data.answers.length : 0;
}
