// Big payloads on the Downstream screen (issue 10, item 4): the answers table as a query over row
// numbers (shared/downstream/answer-table.ts), held to what the table did when it held every row
// itself; the page's pager that fetches it in windows; the worker's host that opens a plain JSON
// file without the services, held to what the services say of the same file; the services'
// downstream.answers; and the Downstream slice opening a picked file through its worker.
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ConsoleApi } from '../../shared/api';
import { checkArgs } from '../../shared/contract-schemas';
import {
  AnswerTable,
  MAX_WINDOW,
  naturalKey,
  PAGED_ANSWERS,
  withoutAnswers,
  type AnswerPage,
  type AnswerQuery,
  type AnswerWindow,
} from '../../shared/downstream/answer-table';
import { answerRows, groupByList, itemPlaces, listsOf, type AnswerRow } from '../../shared/downstream/answers';
import { plainJsonPayload } from '../../shared/downstream/plain';
import { answersCsv } from '../../shared/downstream/tables-csv';
import type { DownstreamItem, DownstreamSource } from '../../shared/downstream/types';
import { candidatesInText } from '../../electron/services/downstream/extract';
import { DownstreamService } from '../../electron/services/downstream/service';
import { AnswerPager, type AnswerSource } from '../../renderer/src/screens/downstream/model/answer-pager';
import { LocalPayloads, type OpenProgress } from '../../renderer/src/screens/downstream/local/payload-host';
import { serveLocalPayloads, type LocalRequest, type LocalResponse } from '../../renderer/src/screens/downstream/local/protocol';
import { createConsoleStore } from '../../renderer/src/state/store';
import { seal, submissionKeys, surveyResponse } from '../support/downstream';
import { withEvents } from '../support/fake-events';

/** Answers of every shape, with ties, mixed case, list items in two lists and one in none. */
function payloadWith(n: number): Record<string, any> {
  const p = surveyResponse(0);
  const items = ['aaa111', 'bbb222', 'ccc333', 'ddd444', 'orphan9'];
  const values = (i: number): unknown => {
    switch (i % 9) {
      case 0:
        return i % 7;
      case 1:
        return `Text ${i % 13}`;
      case 2:
        return `text ${i % 5}`;
      case 3:
        return ['Eggs, boiled', i % 2 ? 'Toast' : 'Jam'];
      case 4:
        return { years: i % 3, months: 2 };
      case 5:
        return { line1: `${i} High St`, town: 'Newport', postcode: 'NP10 8XG' };
      case 6:
        return null;
      case 7:
        return i % 4 ? -1.5 * (i % 4) : 0.5;
      default:
        return [{ list_item_id: 'aaa111', to_list_item_id: 'bbb222', relationship: 'Husband or Wife' }];
    }
  };
  p.data.answers = Array.from({ length: n }, (_, i) => ({
    answer_id: i % 4 === 0 ? `Answer-${i % 11}` : `answer-${String(i % 17).padStart(2, '0')}`,
    value: values(i),
    ...(i % 3 === 0 ? {} : { list_item_id: items[i % items.length] }),
  }));
  p.data.lists = [
    { name: 'people', items: ['bbb222', 'aaa111'], primary_person: 'aaa111' },
    { name: 'visitors', items: ['ddd444', 'ccc333'] },
  ];
  return p;
}

/** What the table did with every row in hand: a "contains" on each column's text, any case. */
function referenceRows(data: unknown, q: AnswerQuery): AnswerRow[] {
  const accessor = (r: AnswerRow) => [r.index, r.answerId, r.list, r.listItemId, r.shape === 'number' ? (r.value as number) : r.text];
  const needle = (q.filter ?? '').toLowerCase();
  const rows = answerRows(data).filter((r) => !needle || accessor(r).some((v) => v !== null && v !== undefined && String(v).toLowerCase().includes(needle)));
  const value = (r: AnswerRow, id: string): unknown => (id === 'value' ? accessor(r)[4] : r[id as keyof AnswerRow]);
  const cmp = (x: unknown, y: unknown) => {
    const xn = typeof x === 'number';
    const yn = typeof y === 'number';
    if (xn && yn) return (x as number) - (y as number);
    if (xn !== yn) return xn ? -1 : 1;
    const [a, b] = [naturalKey(String(x)), naturalKey(String(y))];
    return a < b ? -1 : a > b ? 1 : 0;
  };
  return rows.sort((a, b) => {
    for (const s of q.sort ?? []) {
      const c = cmp(value(a, s.id), value(b, s.id));
      if (c) return s.desc ? -c : c;
    }
    return a.index - b.index;
  });
}

const keysOf = (page: AnswerPage) => page.entries.map((e) => e.key);
const all = (q: AnswerQuery): AnswerWindow => ({ ...q, start: 0, end: Infinity });

describe('the answers table as a query over row numbers', () => {
  const payload = payloadWith(1200);
  const table = new AnswerTable(payload.data);
  const queries: AnswerQuery[] = [
    {},
    { filter: 'TEXT 1' },
    { filter: '12' },
    { filter: 'people' },
    { filter: 'eggs, boiled' },
    { sort: [{ id: 'answerId', desc: false }] },
    { sort: [{ id: 'value', desc: true }] },
    {
      sort: [
        { id: 'list', desc: false },
        { id: 'value', desc: false },
      ],
    },
    { sort: [{ id: 'index', desc: true }], filter: 'answer-0' },
    { sort: [{ id: 'listItemId', desc: true }], filter: 'newport' },
  ];

  it('filters and sorts as the table did with every row in hand: same rows, same order, ties in payload order', () => {
    for (const q of queries) {
      const expected = referenceRows(payload.data, q);
      const page = table.page(all(q));
      expect(
        page.entries.map((e) => (e.kind === 'row' ? e.row : null)),
        JSON.stringify(q),
      ).toEqual(expected);
      expect(page).toMatchObject({ total: 1200, shown: expected.length, count: expected.length, hasListItems: true });
    }
  });

  it('sorts texts as people read them: any case, numbers within a text by value', () => {
    const ids = ['answer-10', 'Answer-2', 'answer-1', 'answer-007', 'b', 'A', 'answer-9'];
    const t = new AnswerTable({ answers: ids.map((answer_id) => ({ answer_id, value: 'x' })) });
    const page = t.page(all({ sort: [{ id: 'answerId', desc: false }] }));
    expect(page.entries.map((e) => (e.kind === 'row' ? e.row.answerId : null))).toEqual([
      'A',
      'answer-1',
      'Answer-2',
      'answer-007',
      'answer-9',
      'answer-10',
      'b',
    ]);
    expect(naturalKey('x-0042y')).toBe(naturalKey('X-42Y'));
  });

  it('groups by list as groupByList does, over the filtered and sorted rows', () => {
    const lists = listsOf(payload.data);
    for (const q of queries) {
      const expected = groupByList(
        referenceRows(payload.data, q),
        lists,
        (r) => String(r.index),
        (r) => r.listItemId,
      );
      const page = table.page(all({ ...q, grouped: true }));
      expect(page.entries, JSON.stringify(q)).toEqual(expected.map((d) => (d.kind === 'row' ? { kind: 'row', row: d.row, key: d.key } : d)));
      expect(page.count).toBe(expected.length);
      expect(page.shown).toBe(expected.filter((d) => d.kind === 'row').length);
    }
    // Grouping a payload without list items changes nothing.
    const flat = new AnswerTable(surveyResponse(30).data);
    expect(flat.hasListItems).toBe(false);
    expect(keysOf(flat.page(all({ grouped: true })))).toEqual(keysOf(flat.page(all({}))));
  });

  it('hands out any window of the entries, and finds a row among them', () => {
    const q: AnswerQuery = { sort: [{ id: 'value', desc: false }], grouped: true };
    const whole = keysOf(table.page(all(q)));
    for (const [start, end] of [
      [0, 200],
      [200, 400],
      [1190, 1400],
      [5000, 5200],
    ] as const) {
      const page = table.page({ ...q, start, end });
      expect(page.start).toBe(Math.min(start, whole.length));
      expect(keysOf(page)).toEqual(whole.slice(start, end));
    }
    const position = table.page({ ...q, start: 0, end: 0, find: 777 }).position!;
    expect(whole[position]).toBe('777');
    // A row the filter hides is nowhere.
    expect(table.page({ ...q, filter: 'answer-01', start: 0, end: 0, find: 0 }).position).toBe(-1);
  });

  it('exports every row the query lets through, in its order, not only a window', () => {
    const q: AnswerQuery = { filter: 'text', sort: [{ id: 'answerId', desc: true }], grouped: true };
    const expected = referenceRows(payload.data, q);
    expect(expected.length).toBeGreaterThan(200);
    expect(table.csv(q)).toBe(answersCsv(expected));
  });

  it('makes row objects only for the rows a window asks for', () => {
    let reads = 0;
    const answers = Array.from({ length: 100_000 }, (_, i) => ({
      answer_id: `answer-${String(i).padStart(6, '0')}`,
      get value() {
        reads++;
        return `text ${i}`;
      },
    }));
    const big = new AnswerTable({ answers, lists: [] });
    const first = big.page({ grouped: true, start: 0, end: 200 });
    expect(first).toMatchObject({ total: 100_000, shown: 100_000, count: 100_000 });
    expect(first.entries).toHaveLength(200);
    // Two reads per row shown (its value and its text), none for the 99,800 others.
    expect(reads).toBeLessThanOrEqual(400);
    const last = big.page({ grouped: true, start: 99_990, end: 100_000 });
    expect(last.entries.map((e) => (e.kind === 'row' ? e.row.answerId : ''))).toContain('answer-099999');
    expect(reads).toBeLessThanOrEqual(420);
    // A filter reads every value once, and then the rows it found.
    const found = big.page({ filter: 'text 99999', start: 0, end: 10 });
    expect(found.shown).toBe(1);
    expect(found.entries[0]).toMatchObject({ kind: 'row', row: { index: 99_999, text: 'text 99999' } });
  });

  it('gives the page the payload without its answers, and counts them', () => {
    const outline = withoutAnswers(payload) as Record<string, any>;
    expect(outline.data.answers).toEqual([]);
    expect(outline.data.lists).toEqual(payload.data.lists);
    expect(payload.data.answers).toHaveLength(1200);
    expect(outline.tx_id).toBe(payload.tx_id);
  });
});

/** An AnswerSource over a table whose answers arrive when the test says so. */
function heldSource(table: AnswerTable) {
  const calls: AnswerWindow[] = [];
  const waiting: (() => void)[] = [];
  const source: AnswerSource = {
    page: (w) => {
      calls.push(w);
      return new Promise((resolve) => waiting.push(() => resolve(table.page(w))));
    },
    csv: async (q) => table.csv(q),
  };
  /** Answers what was asked, in the order asked or (late answers overtaken) the other way round. */
  const release = async (order: 'asked' | 'reversed' = 'asked') => {
    const now = waiting.splice(0);
    for (const go of order === 'asked' ? now : now.reverse()) {
      go();
      await new Promise((r) => setTimeout(r, 0));
    }
  };
  return { source, calls, release };
}

describe('the page fetching a big payload in windows', () => {
  const table = new AnswerTable(payloadWith(5000).data);
  const first = { query: { grouped: true }, page: table.page({ grouped: true, start: 0, end: 200 }) };

  it('shows the first window it came with, and asks only for the pages scrolled to', async () => {
    const { source, calls, release } = heldSource(table);
    const pager = new AnswerPager(source, first);
    pager.setQuery({ filter: '', sort: [], grouped: true });
    expect(calls).toEqual([]);
    expect(pager.getSnapshot().counts).toMatchObject({ total: 5000, shown: 5000 });
    expect(pager.at(0)?.key).toBe(first.page.entries[0]!.key);
    expect(pager.at(250)).toBeUndefined();
    pager.setRange(1010, 1060);
    expect(calls.map((c) => [c.start, c.end])).toEqual([[1000, 1200]]);
    // Asked again before it came: not asked twice.
    pager.setRange(1020, 1070);
    expect(calls).toHaveLength(1);
    await release();
    const whole = keysOf(table.page(all({ grouped: true })));
    expect(pager.at(1010)?.key).toBe(whole[1010]);
    expect(pager.getSnapshot().rows.length).toBeLessThanOrEqual(400);
  });

  it('keeps showing the last query until the new one answers, and drops answers to queries since replaced', async () => {
    const { source, calls, release } = heldSource(table);
    const pager = new AnswerPager(source, first);
    const before = pager.getSnapshot();
    pager.setQuery({ filter: 'people', grouped: true });
    expect(pager.getSnapshot()).toMatchObject({ key: before.key, pending: true, counts: before.counts });
    pager.setQuery({ filter: 'visitors', grouped: true });
    // The answer to the replaced query comes last: it must not show.
    await release('reversed');
    expect(calls.map((c) => c.filter)).toEqual(['people', 'visitors']);
    const shown = pager.getSnapshot();
    expect(shown.pending).toBe(false);
    expect(shown.counts!.shown).toBe(table.page({ filter: 'visitors', start: 0, end: 0 }).shown);
    expect(pager.at(1)?.key).toBe(keysOf(table.page(all({ filter: 'visitors', grouped: true })))[1]);
  });

  it('shows a narrower query from the top when the view was further down than it reaches', async () => {
    const { source, calls, release } = heldSource(table);
    const pager = new AnswerPager(source, first);
    pager.setRange(4800, 4840);
    await release();
    pager.setQuery({ filter: 'answer-3', grouped: false });
    await release();
    const { counts } = pager.getSnapshot();
    expect(counts!.count).toBeLessThan(200);
    // The grid draws what the query has: it asks for the first page, which comes with rows.
    pager.setRange(0, 40);
    await release();
    expect(calls.at(-1)).toMatchObject({ filter: 'answer-3', start: 0, end: 200 });
    expect(pager.at(0)?.key).toBe(keysOf(table.page(all({ filter: 'answer-3' }))).at(0));
  });

  it('holds a bounded number of pages, never the whole payload', async () => {
    const { source, release } = heldSource(table);
    const pager = new AnswerPager(source, first, { keepPages: 4 });
    for (let at = 0; at < 5000; at += 200) {
      pager.setRange(at, at + 40);
      await release();
    }
    expect(pager.getSnapshot().pages.size).toBeLessThanOrEqual(4);
    expect(pager.at(4990)).toBeDefined();
    expect(pager.at(0)).toBeUndefined();
  });

  it('exports all the rows of the query shown and finds a row for a problem link', async () => {
    const { source, release } = heldSource(table);
    const pager = new AnswerPager(source, first);
    pager.setQuery({ sort: [{ id: 'value', desc: true }], grouped: false });
    await release();
    expect(await pager.csv()).toBe(table.csv({ sort: [{ id: 'value', desc: true }] }));
    const found = pager.find(4321);
    await release();
    expect(await found).toBe(keysOf(table.page(all({ sort: [{ id: 'value', desc: true }] }))).indexOf('4321'));
  });

  it('says why a window could not be had', async () => {
    const pager = new AnswerPager({ page: async () => Promise.reject(new Error('There is no downstream item ds-9 any more')), csv: async () => '' });
    pager.setQuery({ grouped: true });
    await new Promise((r) => setTimeout(r, 0));
    expect(pager.getSnapshot().error).toBe('There is no downstream item ds-9 any more');
  });
});

const keys = submissionKeys();
const fileOf = (text: string, name = 'big.json') => new File([text], name, { type: 'application/json' });

describe("the page's worker opening a plain JSON file as the services would", () => {
  it('lists it with the same verdict and summary, and hands out the same answers', async () => {
    const p = payloadWith(3000);
    p.survey_metadata.survey_id = 9;
    const text = JSON.stringify(p);
    const service = new DownstreamService({ ring: async () => keys.ring });
    const [served] = (await service.open([{ kind: 'text', name: 'big.json', text }])).items;
    const host = new LocalPayloads();
    const progress: OpenProgress['stage'][] = [];
    const opened = await host.open('page-1', fileOf(text), (s) => progress.push(s.stage));
    expect(opened.kind).toBe('opened');
    if (opened.kind !== 'opened') return;
    const { id: _id, source: _source, ...fields } = served!;
    expect(opened.item).toEqual(fields);
    expect(opened.item.valid).toBe(false);
    expect(progress).toEqual(['reading', 'parsing', 'checking', 'indexing']);
    // Many answers: the page gets the payload without them, and the first window.
    expect(opened.paged).toBe(true);
    expect(opened.payload).toEqual(withoutAnswers(p));
    expect(opened.payload).toEqual(await service.payload(served!.id, { withoutAnswers: true }));
    const w: AnswerWindow = { filter: 'text', sort: [{ id: 'value', desc: false }], grouped: true, start: 100, end: 300 };
    expect(await host.answers('page-1', w)).toEqual(await service.answers(served!.id, w));
    expect(await host.csv('page-1', w)).toBe(await service.answersCsv(served!.id, w));
    expect(JSON.parse(await host.json('page-1'))).toEqual(p);
    await service.stopAll();
  });

  it('gives a small payload whole, and reads a dropped one again from its file', async () => {
    const p = surveyResponse(16);
    const host = new LocalPayloads(1);
    const opened = await host.open('page-1', fileOf(JSON.stringify(p)));
    expect(opened).toMatchObject({ kind: 'opened', paged: false, payload: p });
    await host.open('page-2', fileOf(JSON.stringify(surveyResponse(2))));
    // Over its memory bound the first went, and comes back from the file.
    expect(await host.full('page-1')).toEqual(p);
    host.drop(['page-1']);
    await expect(host.full('page-1')).rejects.toThrow(/open its file again/);
  });

  it('leaves to the services what is not one plain JSON payload, as extract.ts reads it', async () => {
    const jwe = await seal(surveyResponse(), keys);
    const texts = [
      JSON.stringify(surveyResponse(2)),
      `  ${JSON.stringify({ tx_id: 'x' })}\n`,
      JSON.stringify({ event: 'submission', message: jwe }),
      JSON.stringify({ event: 'submission', message: 'not a jwe' }),
      `${JSON.stringify({ a: 1 })}\n${JSON.stringify({ message: jwe })}\n`,
      JSON.stringify([surveyResponse(1)]),
      '{"tx_id": ',
      jwe,
      '',
    ];
    const host = new LocalPayloads();
    for (const [i, text] of texts.entries()) {
      const candidates = [...candidatesInText(text, 'f.json', 'json')];
      const plain = candidates.length === 1 && candidates[0]!.kind === 'json' && candidates[0]!.source === 'f.json' && !candidates[0]!.parseError;
      expect(plainJsonPayload(text) !== null, text).toBe(plain);
      const opened = await host.open(`page-${i}`, fileOf(text));
      expect(opened.kind, text).toBe(plain ? 'opened' : 'not-plain');
      if (opened.kind === 'not-plain') expect(opened.text).toBe(text);
    }
  });
});

describe('downstream.answers over the contract', () => {
  it('checks the window it is asked for', () => {
    expect(checkArgs('downstream.answers', ['ds-1', { start: 0, end: 200, grouped: true, sort: [{ id: 'value', desc: true }] }])).toHaveLength(2);
    expect(() => checkArgs('downstream.answers', ['ds-1', { start: 0, end: MAX_WINDOW + 1 }])).toThrow(/window must ask for at most 2000 entries/);
    expect(() => checkArgs('downstream.answers', ['ds-1', { start: -1, end: 10 }])).toThrow(/window\.start/);
    expect(() => checkArgs('downstream.answers', ['ds-1', { start: 0, end: 10, sort: [{ id: 'secret', desc: true }] }])).toThrow(/window\.sort\[0\]\.id/);
    expect(() => checkArgs('downstream.answersCsv', ['ds-1', { filter: 7 }])).toThrow(/query\.filter/);
    expect(checkArgs('downstream.payload', ['ds-1', { withoutAnswers: true }])).toEqual(['ds-1', { withoutAnswers: true }]);
  });

  it('hands out windows of a payload the services opened from a JWE', async () => {
    const p = payloadWith(PAGED_ANSWERS + 500);
    const service = new DownstreamService({ ring: async () => keys.ring });
    const [item] = (await service.open([{ kind: 'text', name: 'big.jwe', text: await seal(p, keys) }])).items;
    expect(item!.summary.answers).toBe(PAGED_ANSWERS + 500);
    const page = await service.answers(item!.id, { start: 2490, end: 2700 });
    expect(page).toMatchObject({ total: 2500, shown: 2500, count: 2500, start: 2490 });
    expect(page.entries.map((e) => e.key)).toEqual(Array.from({ length: 10 }, (_, i) => String(2490 + i)));
    expect(await service.answersCsv(item!.id, {})).toBe(answersCsv(answerRows(p.data, itemPlaces(listsOf(p.data)))));
    expect(((await service.payload(item!.id, { withoutAnswers: true })) as any).data.answers).toEqual([]);
    expect(((await service.payload(item!.id)) as any).data.answers).toHaveLength(2500);
    await service.stopAll();
  });
});

/** A Worker that runs the worker's side in this process, messages crossing asynchronously as they would. */
class InProcessWorker {
  private readonly listeners: ((event: MessageEvent<LocalResponse>) => void)[] = [];
  private readonly handle = serveLocalPayloads((response) => setTimeout(() => this.listeners.forEach((l) => l({ data: response } as MessageEvent))));
  static started = 0;
  constructor() {
    InProcessWorker.started++;
  }
  postMessage(request: LocalRequest) {
    setTimeout(() => this.handle(request));
  }
  addEventListener(type: string, listener: (event: MessageEvent<LocalResponse>) => void) {
    if (type === 'message') this.listeners.push(listener);
  }
}

function fakeApi(mode: 'browser' | 'electron') {
  let n = 0;
  return withEvents({
    app: {
      info: vi.fn(async () => ({
        mode,
        version: '0',
        configDir: '/x',
        secretStorage: '',
        activeEnvironment: { id: 'local', name: 'Local', runnerUrl: 'http://localhost:5000' },
      })),
    },
    downstream: {
      open: vi.fn(async (sources: DownstreamSource[]) => ({
        items: sources.map((s): DownstreamItem => ({
          id: `ds-${++n}`,
          source: s.kind === 'text' ? s.name : s.path,
          kind: 'json',
          decrypted: false,
          signatureValid: null,
          payloadVersion: 'v2',
          type: 'surveyresponse',
          dataVersion: '0.0.3',
          valid: true,
          problems: [],
          summary: {},
        })),
        errors: [],
      })),
      payload: vi.fn(async () => ({})),
    },
  });
}

const picked = (file: File) => ({ name: file.name, size: file.size, text: () => file.text(), file });

describe('the Downstream screen opening a picked JSON file in its worker (browser mode)', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  async function ready(mode: 'browser' | 'electron') {
    vi.stubGlobal('Worker', InProcessWorker);
    const api = fakeApi(mode);
    const store = createConsoleStore(api as unknown as ConsoleApi & typeof api);
    await store.getState().loadInfo();
    return { api, s: () => store.getState(), store };
  }

  it('lists a big payload without sending it, shows progress, and pages its answers from the worker', async () => {
    const { api, s, store } = await ready('browser');
    const p = payloadWith(PAGED_ANSWERS * 3);
    const progress: string[] = [];
    store.subscribe((state) => state.downstreamOpening && progress.push(state.downstreamOpening.progress.stage));
    const found = await s().openDownstreamFiles([picked(fileOf(JSON.stringify(p)))]);
    expect(api.downstream.open).not.toHaveBeenCalled();
    expect(found.map((i) => [i.id, i.source, i.summary.answers])).toEqual([['page-1', 'big.json', 6000]]);
    expect(progress).toEqual(expect.arrayContaining(['reading', 'parsing', 'checking', 'indexing']));
    expect(s().downstreamOpening).toBeNull();
    expect(s().downstreamSelected).toEqual(['page-1']);
    const entry = s().downstreamPayloads['page-1']!;
    expect(entry).toMatchObject({ status: 'ready', paged: true });
    expect((entry.data as any).data.answers).toEqual([]);
    expect(api.downstream.payload).not.toHaveBeenCalled();

    const { source, initial } = s().downstreamAnswers('page-1');
    expect(initial?.page).toMatchObject({ total: 6000, start: 0 });
    expect(initial?.page.entries).toHaveLength(200);
    const table = new AnswerTable(p.data);
    const w: AnswerWindow = { filter: 'newport', sort: [{ id: 'answerId', desc: true }], start: 10, end: 50 };
    expect(await source.page(w)).toEqual(table.page(w));
    expect(await source.csv(w)).toBe(table.csv(w));
    expect(await s().downstreamFullPayload('page-1')).toEqual(p);
    expect(JSON.parse(await s().downstreamPayloadJson('page-1'))).toEqual(p);

    // Cleared: the worker lets the payload go.
    s().clearDownstream();
    await expect(source.page(w)).rejects.toThrow(/no payload page-1/);
  });

  it('sends to the services what the worker finds is not a plain payload, keeping the order of the files', async () => {
    const { api, s } = await ready('browser');
    const log = `${JSON.stringify({ message: 'x' })}\n${JSON.stringify({ message: 'y' })}\n`;
    const small = surveyResponse(3);
    const found = await s().openDownstreamFiles([
      picked(fileOf('eyJhbGciOi.a.b.c.d', 'one.jwe')),
      picked(fileOf(log, 'runner.json')),
      picked(fileOf(JSON.stringify(small), 'small.json')),
      picked(fileOf('eyJhbGciOi.a.b.c.e', 'two.jwe')),
    ]);
    expect(found.map((i) => i.source)).toEqual(['one.jwe', 'runner.json', 'small.json', 'two.jwe']);
    // What the services open is sent before the worker's next file, so the list keeps the files' order.
    expect(api.downstream.open.mock.calls.map((c) => c[0].map((src) => (src.kind === 'text' ? src.name : '')))).toEqual([
      ['one.jwe'],
      ['runner.json'],
      ['two.jwe'],
    ]);
    // A small payload is held whole: its table needs no windows.
    expect(found[2]!.id).toMatch(/^page-/);
    expect(s().downstreamPayloads[found[2]!.id]).toEqual({ status: 'ready', data: small });
  });

  it('in the desktop app, hands the file to the Node side as before', async () => {
    InProcessWorker.started = 0;
    const { api, s } = await ready('electron');
    await s().openDownstreamFiles([picked(fileOf(JSON.stringify(surveyResponse(3))))]);
    expect(api.downstream.open).toHaveBeenCalledTimes(1);
    expect(InProcessWorker.started).toBe(0);
  });
});
