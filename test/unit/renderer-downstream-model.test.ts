// The Downstream screen's pure helpers: value rendering by shape, answer rows and list grouping,
// the comparison of two payloads, CSV, batching for the browser-mode request limit, problem
// paths and envelope facts. The official examples (../shared) are read where present.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { answerCodes, answerRows, groupByList, itemPlaces, keyValueRows, listsOf } from '../../renderer/src/screens/downstream/model/answers';
import { BATCH_BYTES, batchSources, jsonStringBytes, SourceBatcher } from '../../renderer/src/screens/downstream/model/batch';
import { answerCodesCsv, answersCsv, keyValueCsv } from '../../renderer/src/screens/downstream/model/csv';
import { diffPayloads } from '../../renderer/src/screens/downstream/model/diff';
import { dataKindOf, envelopeFacts, metadataRows } from '../../renderer/src/screens/downstream/model/envelope';
import { needsSniffing, readableFromFolder } from '../../renderer/src/screens/downstream/model/files';
import { commonFolder, shortTime } from '../../renderer/src/screens/downstream/model/items';
import { messageAfterPath, problemTarget } from '../../renderer/src/screens/downstream/model/problems';
import { addressLines, durationText, plainText, relationshipText, valueLines, valueShape, valueText } from '../../renderer/src/screens/downstream/model/values';
import { readCsv } from '../../shared/csv';
import { ONS, skipReason } from '../support/shared';

const EXAMPLES = path.join(ONS, 'schema-definitions/v2/examples/eq_runner_to_downstream/payload_v2');
const V1_EXAMPLES = path.join(ONS, 'schema-definitions/v1/examples/eq_runner_to_downstream/payload_v1');
const haveExamples = !skipReason(fs.existsSync(EXAMPLES) ? undefined : `[renderer downstream] examples skipped: ${EXAMPLES} is absent`);
const example = (rel: string) => JSON.parse(fs.readFileSync(path.join(EXAMPLES, rel), 'utf8')) as Record<string, unknown>;

describe('answer values by shape', () => {
  it('tells the shapes apart', () => {
    expect(valueShape('Yes')).toBe('text');
    expect(valueShape(4.5)).toBe('number');
    expect(valueShape(['a', 'b'])).toBe('checkbox');
    expect(valueShape({ years: 1, months: 2 })).toBe('duration');
    expect(valueShape({ months: 0 })).toBe('duration');
    expect(valueShape({ line1: 'x', postcode: 'NP10 8XG' })).toBe('address');
    expect(valueShape([{ list_item_id: 'aaaaaa', to_list_item_id: 'bbbbbb', relationship: 'Husband or Wife' }])).toBe('relationships');
    expect(valueShape([])).toBe('relationships');
    expect(valueShape(null)).toBe('empty');
    expect(valueShape(undefined)).toBe('empty');
    expect(valueShape(true)).toBe('boolean');
    expect(valueShape({ years: 'one' })).toBe('other');
    expect(valueShape({ line1: 'x', flat: 2 })).toBe('other');
    expect(valueShape([1, 'a'])).toBe('other');
  });

  it('writes durations in words, only the parts given', () => {
    expect(durationText({ years: 1, months: 6 })).toBe('1 year 6 months');
    expect(durationText({ years: 2, months: 1 })).toBe('2 years 1 month');
    expect(durationText({ years: 0 })).toBe('0 years');
    expect(durationText({ months: 11 })).toBe('11 months');
    expect(valueText({ years: 1, months: 2 })).toBe('1 year 2 months');
  });

  it('writes an address as lines, UPRN last, and on one line with commas', () => {
    const a = { line1: 'Address Line 1', town: 'Town', postcode: 'NP10 8XG', uprn: '12345678912' };
    expect(addressLines(a)).toEqual(['Address Line 1', 'Town', 'NP10 8XG', 'UPRN 12345678912']);
    expect(addressLines({ line1: '1 Road', line2: 'Flat 2' })).toEqual(['1 Road', 'Flat 2']);
    expect(valueText(a)).toBe('Address Line 1, Town, NP10 8XG, UPRN 12345678912');
    expect(valueLines(a)).toHaveLength(4);
  });

  it('writes checkboxes as a list and as comma-separated text', () => {
    expect(valueText(['Broadband or WiFi', 'Public WiFi hotspot'])).toBe('Broadband or WiFi, Public WiFi hotspot');
    expect(valueLines(['a', 'b'])).toEqual(['a', 'b']);
  });

  it('writes relationships from one item to another, naming items when it can', () => {
    const r = { list_item_id: 'zGBdpb', to_list_item_id: 'cWGwcF', relationship: 'Husband or Wife' };
    expect(relationshipText(r)).toBe('zGBdpb → cWGwcF: Husband or Wife');
    const name = (id: string) => (id === 'zGBdpb' ? 'zGBdpb (people 1, primary person)' : id);
    expect(valueText([r, { ...r, to_list_item_id: 'nEMpwe', relationship: 'Son or daughter' }], name)).toBe(
      'zGBdpb (people 1, primary person) → cWGwcF: Husband or Wife; zGBdpb (people 1, primary person) → nEMpwe: Son or daughter',
    );
    expect(valueLines([r])).toEqual(['zGBdpb → cWGwcF: Husband or Wife']);
    expect(valueText([])).toBe('');
  });

  it('keeps numbers and texts as they are, and shows anything else as JSON', () => {
    expect(valueText(4)).toBe('4');
    expect(valueText(4.5)).toBe('4.5');
    expect(valueText('')).toBe('');
    expect(valueText(null)).toBe('');
    expect(valueText({ odd: [1] })).toBe('{"odd":[1]}');
    expect(plainText(false)).toBe('false');
    expect(plainText({ a: 1 })).toBe('{"a":1}');
  });
});

const PEOPLE = {
  answers: [
    { answer_id: 'first-name', value: 'John', list_item_id: 'zGBdpb' },
    { answer_id: 'anyone-else', value: 'No' },
    { answer_id: 'first-name', value: 'Marie', list_item_id: 'cWGwcF' },
    { answer_id: 'last-name', value: 'Doe', list_item_id: 'zGBdpb' },
    { answer_id: 'bedrooms', value: 4 },
    { answer_id: 'stray', value: 'x', list_item_id: 'qqqqqq' },
  ],
  lists: [
    { name: 'people', items: ['zGBdpb', 'cWGwcF'], primary_person: 'zGBdpb' },
    { name: 'visitors', items: ['vvvvvv'] },
  ],
};

describe('answer rows and grouping by list', () => {
  it('makes one row per answer with its list, in payload order', () => {
    const rows = answerRows(PEOPLE);
    expect(rows.map((r) => [r.index, r.answerId, r.list, r.listItemId, r.text])).toEqual([
      [0, 'first-name', 'people', 'zGBdpb', 'John'],
      [1, 'anyone-else', '', '', 'No'],
      [2, 'first-name', 'people', 'cWGwcF', 'Marie'],
      [3, 'last-name', 'people', 'zGBdpb', 'Doe'],
      [4, 'bedrooms', '', '', '4'],
      [5, 'stray', '', 'qqqqqq', 'x'],
    ]);
    expect(rows[4]!.shape).toBe('number');
    expect(itemPlaces(listsOf(PEOPLE)).get('zGBdpb')).toEqual({ list: 'people', position: 1, count: 2, primary: true });
  });

  it('groups under each list and item in list order, loose answers first, unknown items last', () => {
    const rows = answerRows(PEOPLE);
    const shown = groupByList(
      rows,
      listsOf(PEOPLE),
      (r) => String(r.index),
      (r) => r.listItemId,
    );
    const flat = shown.map((d) => (d.kind === 'heading' ? `${'#'.repeat(d.level)} ${d.title} (${d.detail})` : `${d.row.answerId}=${d.row.text}`));
    expect(flat).toEqual([
      '# Not in a list (2 answers)',
      'anyone-else=No',
      'bedrooms=4',
      '# List people (2 items · 3 answers)',
      '## zGBdpb (item 1 of 2 · 2 answers)',
      'first-name=John',
      'last-name=Doe',
      '## cWGwcF (item 2 of 2 · 1 answer)',
      'first-name=Marie',
      '# Items in no list (their list_item_id is not in data.lists)',
      '## qqqqqq (1 answer)',
      'stray=x',
    ]);
    const primary = shown.find((d) => d.kind === 'heading' && d.title === 'zGBdpb');
    expect(primary).toMatchObject({ primary: true });
  });

  it('keeps the given order inside each group (a sort stays a sort)', () => {
    const rows = answerRows(PEOPLE).reverse();
    const shown = groupByList(
      rows,
      listsOf(PEOPLE),
      (r) => String(r.index),
      (r) => r.listItemId,
    ).filter((d) => d.kind === 'row');
    expect(shown.map((d) => (d.kind === 'row' ? d.row.index : -1))).toEqual([4, 1, 3, 0, 2, 5]);
  });

  it('adds no headings when no answer is for a list item', () => {
    const rows = answerRows({ answers: [{ answer_id: 'a', value: 1 }] });
    expect(
      groupByList(
        rows,
        [],
        (r) => String(r.index),
        (r) => r.listItemId,
      ),
    ).toEqual([{ kind: 'row', row: rows[0], key: '0' }]);
  });

  it('reads answer codes and flat data', () => {
    expect(
      answerCodes({
        answer_codes: [
          { answer_id: 'a', code: '1' },
          { answer_id: 'b', answer_value: 'x', code: '2a' },
        ],
      }),
    ).toEqual([
      { index: 0, answerId: 'a', answerValue: '', code: '1' },
      { index: 1, answerId: 'b', answerValue: 'x', code: '2a' },
    ]);
    expect(keyValueRows({ '0001': 'yes', feedback_count: 7 }).map((r) => [r.key, r.text])).toEqual([
      ['0001', 'yes'],
      ['feedback_count', '7'],
    ]);
  });

  it('makes 100,000 rows and their groups quickly enough to open at once', () => {
    const answers = Array.from({ length: 100_000 }, (_, i) => ({
      answer_id: `answer-${i}`,
      value: i % 3 ? `text ${i}` : i,
      ...(i % 2 ? { list_item_id: i % 4 === 1 ? 'aaaaaa' : 'bbbbbb' } : {}),
    }));
    const data = { answers, lists: [{ name: 'people', items: ['aaaaaa', 'bbbbbb'] }] };
    const rows = answerRows(data);
    expect(rows).toHaveLength(100_000);
    const grouped = groupByList(
      rows,
      listsOf(data),
      (r) => String(r.index),
      (r) => r.listItemId,
    );
    expect(grouped.filter((d) => d.kind === 'heading')).toHaveLength(4);
    expect(grouped).toHaveLength(100_004);
  });
});

describe('comparing two payloads', () => {
  const before = {
    tx_id: 'a',
    flushed: false,
    survey_metadata: { survey_id: '009', ru_ref: '1' },
    data: {
      answers: [
        { answer_id: 'name', value: 'John', list_item_id: 'aaaaaa' },
        { answer_id: 'name', value: 'Jane', list_item_id: 'bbbbbb' },
        { answer_id: 'gone', value: 'x' },
        { answer_id: 'rooms', value: 4 },
        { answer_id: 'same', value: ['a', 'b'] },
      ],
      lists: [{ name: 'people', items: ['aaaaaa', 'bbbbbb'] }],
    },
  };
  const after = {
    tx_id: 'b',
    flushed: false,
    channel: 'RH',
    survey_metadata: { survey_id: '009', ru_ref: '2', extra: 'y' },
    data: {
      answers: [
        { answer_id: 'name', value: 'Joan', list_item_id: 'aaaaaa' },
        { answer_id: 'name', value: 'Jane', list_item_id: 'bbbbbb' },
        { answer_id: 'rooms', value: 5 },
        { answer_id: 'same', value: ['a', 'b'] },
        { answer_id: 'new', value: { years: 1 } },
      ],
      lists: [{ name: 'people', items: ['aaaaaa', 'bbbbbb'], primary_person: 'aaaaaa' }],
    },
  };

  it('counts and lists answers added, removed and changed, keyed by answer_id and list_item_id', () => {
    const d = diffPayloads(before, after);
    expect(d).toMatchObject({ compared: 'answers', added: 1, removed: 1, changed: 2, unchanged: 2 });
    expect(d.answers.map((c) => [c.change, c.answerId, c.listItemId, c.beforeText, c.afterText])).toEqual([
      ['changed', 'name', 'aaaaaa', 'John', 'Joan'],
      ['removed', 'gone', '', 'x', ''],
      ['changed', 'rooms', '', '4', '5'],
      ['added', 'new', '', '', '1 year'],
    ]);
  });

  it('lists envelope, metadata and list differences', () => {
    const d = diffPayloads(before, after);
    expect(d.envelope).toEqual([
      { change: 'changed', path: 'tx_id', beforeText: 'a', afterText: 'b' },
      { change: 'added', path: 'channel', beforeText: '', afterText: 'RH' },
    ]);
    expect(d.metadata).toEqual([
      { change: 'changed', path: 'survey_metadata.ru_ref', beforeText: '1', afterText: '2' },
      { change: 'added', path: 'survey_metadata.extra', beforeText: '', afterText: 'y' },
    ]);
    expect(d.lists).toEqual([{ change: 'added', path: 'lists.people.primary_person', beforeText: '', afterText: 'aaaaaa' }]);
  });

  it('compares answer_codes and supplementary_data, which the answers alone would call the same', () => {
    const answers = [{ answer_id: 'a1', value: 'x' }];
    const one = { data: { answers, answer_codes: [{ answer_id: 'a1', code: '1' }] } };
    const two = {
      data: {
        answers,
        answer_codes: [
          { answer_id: 'a1', code: '2' },
          { answer_id: 'a2', code: '3', answer_value: 'Yes' },
        ],
        supplementary_data: { identifier: '12346789012A', items: { employees: [{ identifier: '429001', name: { forename: 'Henry' } }] } },
      },
    };
    const d = diffPayloads(one, two);
    expect(d).toMatchObject({ added: 0, removed: 0, changed: 0, unchanged: 1 });
    expect(d.answerCodes).toEqual([
      { change: 'changed', path: 'answer_codes.a1', beforeText: '1', afterText: '2' },
      { change: 'added', path: 'answer_codes.a2=Yes', beforeText: '', afterText: '3' },
    ]);
    expect(d.supplementary).toEqual([
      { change: 'added', path: 'supplementary_data.identifier', beforeText: '', afterText: '12346789012A' },
      { change: 'added', path: 'supplementary_data.items.employees[0].identifier', beforeText: '', afterText: '429001' },
      { change: 'added', path: 'supplementary_data.items.employees[0].name.forename', beforeText: '', afterText: 'Henry' },
    ]);
    expect(diffPayloads(two, two)).toMatchObject({ answerCodes: [], supplementary: [] });
  });

  it('matches a repeated answer by occurrence instead of merging the copies', () => {
    const one = { data: { answers: [{ answer_id: 'x', value: 1 }] } };
    const two = {
      data: {
        answers: [
          { answer_id: 'x', value: 1 },
          { answer_id: 'x', value: 2 },
        ],
      },
    };
    expect(diffPayloads(one, two)).toMatchObject({ added: 1, removed: 0, changed: 0, unchanged: 1 });
  });

  it('compares q_codes and feedback fields by key', () => {
    const a = { version: 'v2', data_version: '0.0.1', type: 'uk.gov.ons.edc.eq:surveyresponse', data: { '0001': 'a', '0002': 'b' } };
    const b = { ...a, data: { '0001': 'a', '0002': 'c', '0003': 'd' } };
    expect(diffPayloads(a, b)).toMatchObject({ compared: 'qcodes', added: 1, changed: 1, unchanged: 1 });
    const f = { version: 'v2', type: 'uk.gov.ons.edc.eq:feedback', data: { feedback_rating: 'Easy' } };
    expect(diffPayloads(f, { ...f, data: { feedback_rating: 'Hard' } })).toMatchObject({ compared: 'fields', changed: 1 });
  });

  it.skipIf(!haveExamples)('finds the flushed example differs from the complete one only where it should', () => {
    const full = example('business/surveyresponse_0_0_3.json');
    const flushed = example('business/surveyresponse_0_0_3_flushed.json');
    const d = diffPayloads(full, flushed);
    expect(d.envelope.map((c) => c.path)).toContain('flushed');
    expect(d.envelope.find((c) => c.path === 'submission_language_code')?.change).toBe('removed');
  });
});

describe('CSV', () => {
  const csvRows = (csv: string) => {
    const [header, ...rows] = readCsv(csv);
    return rows.map((r) => Object.fromEntries(header!.map((h, i) => [h, r[i]])));
  };

  it('exports the answers table as answer_id, list, list_item_id, the value as text, and raw', () => {
    const csv = answersCsv(answerRows({ ...PEOPLE, answers: [...PEOPLE.answers, { answer_id: 'where', value: { line1: '1 Road', town: 'Town' } }] }));
    const lines = csv.split('\r\n');
    expect(lines[0]).toBe('answer_id,list,list_item_id,value,raw');
    expect(lines[1]).toBe('first-name,people,zGBdpb,John,');
    expect(lines[2]).toBe('anyone-else,,,No,');
    expect(lines[5]).toBe('bedrooms,,,4,4');
    expect(lines[7]).toBe('where,,,"1 Road, Town","{""line1"":""1 Road"",""town"":""Town""}"');
    expect(lines.at(-1)).toBe('');
  });

  it('writes the raw value of durations, addresses, relationships and checkboxes beside the readable one', () => {
    const values = {
      duration: { years: 1, months: 6 },
      address: { line1: '1 Road', town: 'Town', postcode: 'NP10 8XG', uprn: '12345678912' },
      relationships: [{ list_item_id: 'aaaaaa', to_list_item_id: 'bbbbbb', relationship: 'Husband or Wife' }],
      checkbox: ['Eggs, boiled', 'Toast', 'Tea "builder\'s"'],
    };
    const rows = csvRows(answersCsv(answerRows({ answers: Object.entries(values).map(([answer_id, value]) => ({ answer_id, value })) })));
    expect(rows.map((r) => [r.answer_id, r.value])).toEqual([
      ['duration', '1 year 6 months'],
      ['address', '1 Road, Town, NP10 8XG, UPRN 12345678912'],
      ['relationships', 'aaaaaa → bbbbbb: Husband or Wife'],
      ['checkbox', '"Eggs, boiled", "Toast", "Tea \\"builder\'s\\""'],
    ]);
    for (const r of rows) expect(JSON.parse(r.raw!)).toEqual(values[r.answer_id as keyof typeof values]);
  });

  it('keeps commas inside checkbox choices through write and read: both columns split back into the choices', () => {
    const choices = ['Eggs, boiled', 'Bread, white, sliced', 'Tea'];
    const [row] = csvRows(answersCsv(answerRows({ answers: [{ answer_id: 'breakfast', value: choices }] })));
    expect(JSON.parse(row!.raw!)).toEqual(choices);
    expect(JSON.parse(`[${row!.value}]`)).toEqual(choices);
  });

  it('exports key/value tables and answer codes under their own headers', () => {
    expect(keyValueCsv('q_code', [{ key: '0001', text: 'a, b' }])).toBe('q_code,value\r\n0001,"a, b"\r\n');
    expect(answerCodesCsv([{ index: 0, answerId: 'a', answerValue: 'Yes', code: '1' }])).toBe('answer_id,answer_value,code\r\na,Yes,1\r\n');
  });
});

describe('batching page sources under the request limit', () => {
  it('measures JSON string bytes with escapes and UTF-8', () => {
    for (const s of ['', 'abc', 'a"b\\c', 'line\nbreak\ttab', '\u0001', 'é', '€', '😀', 'Cymraeg: ŵ ŷ']) {
      expect(jsonStringBytes(s)).toBe(Buffer.byteLength(JSON.stringify(s)));
    }
  });

  it('packs sources in order into batches under the limit and refuses one too big alone', () => {
    const text = (name: string, n: number) => ({ kind: 'text' as const, name, text: 'x'.repeat(n) });
    const { batches, tooBig } = batchSources([text('a', 400), text('b', 400), text('c', 5000), text('d', 100)], 1000);
    expect(batches.map((b) => b.map((s) => (s.kind === 'text' ? s.name : s.path)))).toEqual([['a', 'b'], ['d']]);
    expect(tooBig.map((s) => (s.kind === 'text' ? s.name : ''))).toEqual(['c']);
    const b = new SourceBatcher(1000);
    expect(b.add(text('a', 900))).toEqual({});
    expect(b.add(text('b', 900)).ready).toHaveLength(1);
    expect(b.flush()).toHaveLength(1);
    expect(b.flush()).toBeNull();
    expect(BATCH_BYTES).toBeLessThan(20 * 1024 * 1024);
  });
});

describe('files from folders', () => {
  it('reads payload and log files and extension-less ones, and leaves out hidden, tool and other files', () => {
    expect(readableFromFolder('out/ea82c224-0f80-41cc-b877-8a7804b56c26')).toBe(true);
    expect(needsSniffing('out/ea82c224-0f80-41cc-b877-8a7804b56c26')).toBe(true);
    expect(readableFromFolder('out/a.json')).toBe(true);
    expect(readableFromFolder('out/a.JWE')).toBe(true);
    expect(needsSniffing('out/a.json')).toBe(false);
    expect(readableFromFolder('logs/runner.log')).toBe(true);
    expect(readableFromFolder('out/.DS_Store')).toBe(false);
    expect(readableFromFolder('.git/config')).toBe(false);
    expect(readableFromFolder('x/node_modules/a.json')).toBe(false);
    expect(readableFromFolder('x/photo.png')).toBe(false);
    expect(readableFromFolder('x/notes.md')).toBe(false);
  });
});

describe('items list', () => {
  it('finds the folder all sources share, so the list shows what differs', () => {
    expect(commonFolder(['/tmp/p/adhoc/a.jwe', '/tmp/p/business/b.jwe', '/tmp/p/c.jwe'])).toBe('/tmp/p/');
    expect(commonFolder(['/tmp/p/a.jwe'])).toBe('/tmp/p/');
    expect(commonFolder(['/tmp/pa/a.jwe', '/tmp/pb/b.jwe'])).toBe('/tmp/');
    expect(commonFolder(['/tmp/p/a.log:3', '/tmp/p/a.log:7'])).toBe('/tmp/p/');
    expect(commonFolder(['/tmp/p/a.jwe', 'pasted text'])).toBe('');
    expect(commonFolder([])).toBe('');
    expect(commonFolder(['a/x.jwe', 'b/y.jwe'])).toBe('');
  });

  it('shortens ISO times for the list', () => {
    expect(shortTime('2016-05-21T16:37:56.551086')).toBe('2016-05-21 16:37:56');
    expect(shortTime('2023-08-23T08:17:34+00:00')).toBe('2023-08-23 08:17:34');
    expect(shortTime('yesterday')).toBe('yesterday');
  });
});

describe('problem paths', () => {
  it('points at the row or fact a problem is about', () => {
    expect(problemTarget('data.answers[3].value')).toEqual({ section: 'answers', rowId: '3' });
    expect(problemTarget('data.answers[12]')).toEqual({ section: 'answers', rowId: '12' });
    expect(problemTarget('data.answer_codes[1].code')).toEqual({ section: 'answer_codes', rowId: '1' });
    expect(problemTarget('data.lists[0].items[2]')).toEqual({ section: 'lists', rowId: '0' });
    expect(problemTarget('survey_metadata.ru_ref')).toEqual({ section: 'metadata', rowId: 'ru_ref' });
    expect(problemTarget('survey_metadata["odd key"]')).toEqual({ section: 'metadata', rowId: 'odd key' });
    expect(problemTarget('metadata.user_id')).toEqual({ section: 'metadata', rowId: 'user_id' });
    expect(problemTarget('data.0001')).toEqual({ section: 'data', rowId: '0001' });
    expect(problemTarget('data["q code"]')).toEqual({ section: 'data', rowId: 'q code' });
    expect(problemTarget('collection.period')).toEqual({ section: 'envelope', rowId: 'collection.period' });
    expect(problemTarget('tx_id')).toEqual({ section: 'envelope', rowId: 'tx_id' });
    expect(problemTarget('data.answers')).toBeNull();
    expect(problemTarget('data')).toBeNull();
    expect(problemTarget('')).toBeNull();
  });

  it('drops the path a message starts with, since the list shows it beside', () => {
    expect(messageAfterPath('data.answers[3].value', 'data.answers[3].value must be a string')).toBe('must be a string');
    expect(messageAfterPath('', 'the payload is not an object')).toBe('is not an object');
    expect(messageAfterPath('tx_id', 'answer codes must be unique')).toBe('answer codes must be unique');
  });
});

describe.skipIf(!haveExamples)('envelope and metadata of the official examples', () => {
  it('lists a v2 envelope in reading order, with the schema as it was chosen', () => {
    const p = example('business/surveyresponse_0_0_1.json');
    const facts = envelopeFacts(p);
    const by = Object.fromEntries(facts.map((f) => [f.term, f.value]));
    expect(facts[0]).toMatchObject({ term: 'Type', value: 'surveyresponse' });
    expect(by).toMatchObject({ 'Data version': '0.0.1', 'Schema name': 'mbs_0001', Flushed: 'no', Channel: 'RAS', Region: 'GB-ENG', 'Launch language': 'en' });
    expect(by['Schema URL']).toBeUndefined();
    expect(dataKindOf(p)).toBe('qcodes');
    expect(metadataRows(p)[0]).toEqual({ key: 'survey_id', value: '345', path: 'survey_metadata.survey_id' });

    const cir = envelopeFacts(example('business/surveyresponse_0_0_3_with_cir.json'));
    expect(cir.find((f) => f.term === 'CIR instrument id')?.value).toBe('c7b0cfa8-147d-4345-8948-813dcbc1539f');
    expect(cir.find((f) => f.term === 'Schema name')).toBeUndefined();

    const flushed = envelopeFacts(example('business/surveyresponse_0_0_3_flushed.json'));
    expect(flushed.find((f) => f.term === 'Submission language')).toMatchObject({ value: 'not sent', absent: true });
  });

  it('reads v1 payloads: collection in the envelope, metadata as the metadata', () => {
    const p = JSON.parse(fs.readFileSync(path.join(V1_EXAMPLES, 'surveyresponse_0_0_1.json'), 'utf8'));
    const by = Object.fromEntries(envelopeFacts(p).map((f) => [f.term, f.value]));
    expect(by).toMatchObject({ 'Schema name': 'test_relationships', Period: '201605', 'Instrument id': '0234', 'Survey id': '0', 'Form type': '0234' });
    expect(metadataRows(p).map((m) => m.key)).toContain('ref_period_start_date');
    expect(metadataRows(p)[0]!.path).toBe('metadata.user_id');
  });

  it('picks the reader for every example by type and data version', () => {
    const kinds: Record<string, string> = {};
    for (const dir of ['business', 'adhoc']) {
      for (const f of fs.readdirSync(path.join(EXAMPLES, dir))) kinds[`${dir}/${f}`] = dataKindOf(example(`${dir}/${f}`));
    }
    for (const [name, kind] of Object.entries(kinds)) {
      const expected = name.includes('feedback')
        ? 'feedback'
        : name.includes('user_research')
          ? 'user_research'
          : name.includes('0_0_1')
            ? 'qcodes'
            : 'answers';
      expect([name, kind]).toEqual([name, expected]);
    }
  });

  it('renders every answer of the 0.0.3 example by its shape', () => {
    const p = example('adhoc/surveyresponse_0_0_3.json');
    const data = p.data;
    const rows = answerRows(data);
    const byId = (id: string) => rows.find((r) => r.answerId === id)!;
    expect(byId('number-of-items-answer')).toMatchObject({ shape: 'number', text: '4.5' });
    expect(byId('internet-answer').shape).toBe('checkbox');
    expect(byId('duration-answer').text).toBe('1 year 2 months');
    expect(byId('other-address-uk-answer').text).toBe('Address Line 1, Town, NP10 8XG, UPRN 12345678912');
    expect(byId('relationship-answer').text).toContain('zGBdpb (people 1, primary person) → cWGwcF (people 2): Husband or Wife');
    expect(rows.filter((r) => r.list === 'people')).toHaveLength(9);
  });
});
