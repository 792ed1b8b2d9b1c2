// The page's side of a big payload's answers: they stay where the payload was opened (the services,
// or the page's worker for a plain JSON file) and come in pages of ANSWER_PAGE entries, fetched for
// the rows in view. The filter, sort and grouping are a query the holder answers over arrays of row
// numbers; the page never holds more than a few pages of row objects. Plain TypeScript, so the
// paging rules are tested without React (test/unit/downstream-big-payload.test.ts).
import { ANSWER_PAGE, queryKey, type AnswerEntry, type AnswerPage, type AnswerQuery, type AnswerWindow } from '../../../../../shared/downstream/answer-query';
import type { AnswerRow } from '../../../../../shared/downstream/answers';

/** Whoever holds the answers: downstream.answers for the services, the worker for a file the page read. */
export interface AnswerSource {
  page(window: AnswerWindow): Promise<AnswerPage>;
  csv(query: AnswerQuery): Promise<string>;
}

export interface PagerSnapshot {
  /** The query the entries below answer (queryKey). */
  key: string;
  /** Counts for that query; null until its first page arrives. */
  counts: Pick<AnswerPage, 'total' | 'shown' | 'count' | 'hasListItems'> | null;
  /** Pages held, by number. */
  pages: ReadonlyMap<number, readonly AnswerEntry[]>;
  /** The rows of the pages held, for TanStack Table (a few hundred, never the whole payload). */
  rows: readonly AnswerRow[];
  /** Why the last request failed, until one succeeds. */
  error: string | null;
  /** A query asked for whose first page has not come yet. */
  pending: boolean;
}

export interface PagerOptions {
  pageSize?: number;
  /** Pages kept besides those in view. */
  keepPages?: number;
}

const message = (err: unknown) => (err instanceof Error ? err.message : typeof err === 'object' && err && 'message' in err ? String(err.message) : String(err));

export class AnswerPager {
  private readonly pageSize: number;
  private readonly keepPages: number;
  private query: AnswerQuery;
  /** The query wanted; the snapshot may still show the one before, until this one's first page comes. */
  private wanted: string;
  private snapshot: PagerSnapshot;
  private first = 0;
  private last: number;
  private readonly inflight = new Set<string>();
  private readonly listeners = new Set<() => void>();

  constructor(
    private readonly source: AnswerSource,
    initial?: { query: AnswerQuery; page: AnswerPage },
    options: PagerOptions = {},
  ) {
    this.pageSize = options.pageSize ?? ANSWER_PAGE;
    this.keepPages = options.keepPages ?? 12;
    this.last = this.pageSize - 1;
    this.query = initial?.query ?? {};
    this.wanted = queryKey(this.query);
    this.snapshot = { key: this.wanted, counts: null, pages: new Map(), rows: [], error: null, pending: !initial };
    if (initial) this.accept(this.wanted, initial.page);
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getSnapshot = (): PagerSnapshot => this.snapshot;

  /** The query the table shows now; nothing is fetched again when it is the same one. */
  setQuery(query: AnswerQuery): void {
    const key = queryKey(query);
    if (key === this.wanted && (this.snapshot.counts || this.inflight.size)) return;
    this.query = query;
    this.wanted = key;
    if (this.snapshot.key !== key) this.publish({ ...this.snapshot, pending: true });
    this.fetchMissing();
  }

  /** setRange, bound: for a grid to call with the entries it draws. */
  onRange = (first: number, last: number): void => this.setRange(first, last);

  /** The entries in view (and the overscan): fetch the pages they are on. */
  setRange(first: number, last: number): void {
    this.first = Math.max(0, first);
    this.last = Math.max(this.first, last);
    this.fetchMissing();
  }

  /** The entry at an index of the query shown, when its page has come. */
  at(index: number, snapshot: PagerSnapshot = this.snapshot): AnswerEntry | undefined {
    return snapshot.pages.get(Math.floor(index / this.pageSize))?.[index % this.pageSize];
  }

  /** Where a row (its index in data.answers) is among the entries of a query; -1 when its filter hides it. */
  async find(row: number, query: AnswerQuery = this.query): Promise<number> {
    const page = await this.source.page({ ...query, start: 0, end: 0, find: row });
    return page.position ?? -1;
  }

  /** Every row the current query lets through, as CSV: the whole table, not the pages held. */
  csv(): Promise<string> {
    return this.source.csv(this.query);
  }

  private fetchMissing(): void {
    const key = this.wanted;
    const held = this.snapshot.key === key ? this.snapshot : null;
    let lastPage = Math.floor(this.last / this.pageSize);
    if (held?.counts) lastPage = Math.min(lastPage, Math.max(0, Math.ceil(held.counts.count / this.pageSize) - 1));
    for (let k = Math.floor(this.first / this.pageSize); k <= lastPage; k++) {
      if (held?.pages.has(k)) continue;
      const id = `${key}|${k}`;
      if (this.inflight.has(id)) continue;
      this.inflight.add(id);
      const query = this.query;
      this.source.page({ ...query, start: k * this.pageSize, end: (k + 1) * this.pageSize }).then(
        (page) => {
          this.inflight.delete(id);
          if (key === this.wanted) this.accept(key, page, k);
        },
        (err: unknown) => {
          this.inflight.delete(id);
          if (key === this.wanted) this.publish({ ...this.snapshot, error: message(err), pending: false });
        },
      );
    }
  }

  /**
   * Page k of the wanted query: it replaces what the query before showed, or joins the pages held.
   * A page asked for past the end (the view was further down than the new query reaches) brings
   * only the counts.
   */
  private accept(key: string, page: AnswerPage, k = Math.floor(page.start / this.pageSize)): void {
    const same = this.snapshot.key === key;
    const pages = new Map(same ? this.snapshot.pages : []);
    if (page.start === k * this.pageSize) pages.set(k, page.entries);
    // Beyond what is kept, the pages furthest from the view go first.
    if (pages.size > this.keepPages) {
      const inView = (k: number) => k >= Math.floor(this.first / this.pageSize) && k <= Math.floor(this.last / this.pageSize);
      const centre = (this.first + this.last) / 2 / this.pageSize;
      const far = [...pages.keys()].filter((k) => !inView(k)).sort((a, b) => Math.abs(b - centre) - Math.abs(a - centre));
      for (const k of far.slice(0, pages.size - this.keepPages)) pages.delete(k);
    }
    const rows: AnswerRow[] = [];
    for (const entries of pages.values()) for (const e of entries) if (e.kind === 'row') rows.push(e.row);
    const { total, shown, count, hasListItems } = page;
    this.publish({ key, counts: { total, shown, count, hasListItems }, pages, rows, error: null, pending: false });
    // The counts are known now: the view may need pages it could not ask for before (a new query
    // shown from the top of where the user was), or fewer.
    if (!same) this.fetchMissing();
  }

  private publish(next: PagerSnapshot): void {
    this.snapshot = next;
    for (const listener of [...this.listeners]) listener();
  }
}
