// The hand-written downstream validators against ajv running the official ONS submission schemas:
// for the official examples and a corpus of mutated payloads, validateSubmissionV2/V1 must find
// no schema problem exactly when ajv (2020-12, allErrors, strict false, ajv-formats 2.1.1 full
// mode: what the schema-definitions repository validates its own examples with) calls the
// payload valid. Consistency problems are upstream rules ajv does not know, so they are left out
// here and tested in downstream-consistency.test.ts.
import fs from 'node:fs';
import path from 'node:path';
import Ajv2020, { type ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import type { DownstreamProblem } from '../../shared/downstream/check';
import { validateDownstream } from '../../shared/downstream/index';
import { validateSubmissionV1 } from '../../shared/downstream/validate-v1';
import { validateSubmissionV2 } from '../../shared/downstream/validate-v2';
import { SHARED, skipReason } from '../support/shared';

const DEFS = path.join(SHARED, 'ons/schema-definitions');
const missing =
  fs.existsSync(path.join(DEFS, 'v2/schemas/submission_v2.json')) && fs.existsSync(path.join(DEFS, 'v1/schemas/submission_v1.json'))
    ? undefined
    : skipReason(`skipped: ${DEFS} is absent (the ONS schema definitions live in ../shared beside the checkout)`);

type Json = Record<string, unknown>;
type Version = 'v1' | 'v2';
type Case = [name: string, payload: unknown];

const readJson = (file: string) => JSON.parse(fs.readFileSync(file, 'utf8')) as Json;

const compiled = new Map<Version, ValidateFunction>();
function compile(version: Version): ValidateFunction {
  let validate = compiled.get(version);
  if (!validate) {
    const dir = path.join(DEFS, version, 'schemas');
    const ajv = new Ajv2020({ allErrors: true, strict: false });
    addFormats(ajv);
    for (const f of fs.readdirSync(path.join(dir, 'common'))) ajv.addSchema(readJson(path.join(dir, 'common', f)));
    validate = ajv.compile(readJson(path.join(dir, `submission_${version}.json`)));
    compiled.set(version, validate);
  }
  return validate;
}

/** Every official runner-to-downstream example, by path under examples/eq_runner_to_downstream. */
function examples(version: Version): Map<string, Json> {
  const dir = path.join(DEFS, version, 'examples/eq_runner_to_downstream');
  const files = (fs.readdirSync(dir, { recursive: true }) as string[]).filter((f) => f.endsWith('.json')).sort();
  return new Map(files.map((f) => [f, readJson(path.join(dir, f))]));
}

const schemaOnly = (ps: DownstreamProblem[]) => ps.filter((p) => p.rule === 'schema');

function disagreements(version: Version, cases: Case[]): string[] {
  const validate = compile(version);
  const check = version === 'v2' ? validateSubmissionV2 : validateSubmissionV1;
  const out: string[] = [];
  for (const [name, payload] of cases) {
    const ajvValid = validate(payload) as boolean;
    const ours = schemaOnly(check(payload));
    if (ajvValid !== (ours.length === 0)) {
      out.push(
        `${name}: ajv ${ajvValid ? 'valid' : JSON.stringify(validate.errors?.map((e) => `${e.instancePath} ${e.message}`))}, ` +
          `ours ${JSON.stringify(ours.map((p) => `${p.path}: ${p.message}`))}`,
      );
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Mutations: a path into the payload and the value to put there (DROP deletes the key).

const DROP = Symbol('drop');
type Step = [path: Array<string | number>, value: unknown];
type Mutation = [name: string, steps: Step[]];

function apply(base: unknown, steps: Step[]): unknown {
  const c = structuredClone(base) as Json;
  for (const [p, value] of steps) {
    let node = c as Record<string | number, unknown>;
    for (let i = 0; i < p.length - 1; i++) {
      const k = p[i];
      if (typeof node[k] !== 'object' || node[k] === null) node[k] = typeof p[i + 1] === 'number' ? [] : {};
      node = node[k] as Record<string | number, unknown>;
    }
    const last = p[p.length - 1];
    if (value === DROP) {
      if (Array.isArray(node) && typeof last === 'number') node.splice(last, 1);
      else delete node[last];
    } else node[last] = structuredClone(value);
  }
  return c;
}

const set = (name: string, p: Array<string | number>, value: unknown): Mutation => [name, [[p, value]]];

/** A deterministic PRNG (mulberry32) so a failing combination can be reproduced. */
function prng(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function combine(base: unknown, mutations: Mutation[], n: number, seed: number): Case[] {
  const rand = prng(seed);
  const cases: Case[] = [];
  for (let i = 0; i < n; i++) {
    const picked = [0, 1, 2].slice(0, 2 + Math.floor(rand() * 2)).map(() => mutations[Math.floor(rand() * mutations.length)]);
    cases.push([
      picked.map(([name]) => name).join(' & '),
      apply(
        base,
        picked.flatMap(([, steps]) => steps),
      ),
    ]);
  }
  return cases;
}

const WRONG_TYPES: unknown[] = [123, 1.5, 'text', '', null, true, [], {}];
const UUIDS: unknown[] = [
  'a386b2de-a615-42c8-a0f4-e274f9eb28ee',
  'A386B2DE-A615-42C8-A0F4-E274F9EB28EE',
  'a386b2de-a615-42c8-a0f4-E274f9eb28ee',
  'a386b2dea61542c8a0f4e274f9eb28ee',
  '{a386b2de-a615-42c8-a0f4-e274f9eb28ee}',
  'a386b2de-a615-42c8-a0f4-e274f9eb28e',
  'zzzzzzzz-zzzz-zzzz-zzzz-zzzzzzzzzzzz',
  ' a386b2de-a615-42c8-a0f4-e274f9eb28ee',
  'urn:uuid:a386b2de-a615-42c8-a0f4-e274f9eb28ee',
];
const DATE_TIMES: unknown[] = [
  '2016-05-21T16:37:56+00:00',
  '2016-05-21T16:37:56.551086+01:00',
  '2016-05-21T16:37:56Z',
  '2016-05-21t16:37:56z',
  '2016-05-21 16:37:56+00:00',
  '2016-05-21T16:37:56.551086',
  '2016-05-21T16:37:56',
  '2016-05-21 16:37:56',
  '2016-05-21',
  '2016-05-21T16:37+00:00',
  '2016-05-21T16:37',
  '2016-02-30T16:37:56Z',
  '2016-02-30T16:37:56',
  '2016-05-21T24:00:00',
  '2016-06-30T23:59:60Z',
  '2016-06-30T23:59:60',
  '2016-06-30T23:59:60+05:00',
  '2016-06-30T22:59:60+01:00',
  '2016-05-21T16:37:56+24:00',
  '2016-05-21T16:37:56+99:99',
  '2016-05-21T16:37:56+0100',
  '2016-05-21T16:37:56-01',
  '2016-05-21T16:37:56 +00:00',
  '21/05/2016 16:37',
  '',
];
const REL = { list_item_id: 'zGBdpb', to_list_item_id: 'cWGwcF', relationship: 'Husband or Wife' };
const ANSWER_VALUES: unknown[] = [
  'x',
  '',
  ' ',
  0,
  -1.5,
  1e21,
  null,
  true,
  [],
  ['a'],
  [''],
  ['a', 1],
  ['a', 'a'],
  [['a']],
  { years: 1 },
  { months: 2 },
  { years: 1, months: 2 },
  { years: 1.5 },
  { years: 1.0 },
  { years: '1' },
  { years: null },
  {},
  { days: 3 },
  { years: 1, days: 3 },
  { years: 1, line1: 'x' },
  { line1: 'x' },
  { line1: '' },
  { town: 'x' },
  { line1: 'x', line2: 'y', town: 'z', postcode: 'AB1 2CD', uprn: '123' },
  { line1: 'x', uprn: 123 },
  { line1: 'x', county: 'y' },
  [REL],
  [REL, REL],
  [REL, { ...REL, relationship: 'Son or daughter' }],
  [{ ...REL, to_list_item_id: 'abc' }],
  [{ ...REL, list_item_id: 'zGBdp1' }],
  [{ list_item_id: 'zGBdpb', to_list_item_id: 'cWGwcF' }],
  [{ ...REL, relationship: '' }],
  [{ ...REL, extra: 1 }],
  [{}],
  [REL, 'a'],
  ['a', REL],
  [null],
];
const LIST_ITEM_IDS: unknown[] = ['zGBdpb', 'ABCDEF', 'abcde', 'abcdefg', 'abc12f', 'ab-def', '', 'éabcde', 'abcdé', 6, null];
const ANSWER_IDS: unknown[] = ['first-name', 'ab', 'a', '1', 'a-', '-a', 'First-name', 'a_b', 'a--b', 'a b', '', 5];

function answerIndex(p: Json, id: string): number {
  const answers = (p.data as Json).answers as Json[];
  return answers.findIndex((a) => a.answer_id === id);
}

function v2Mutations(sr: Json, version: Version): Mutation[] {
  const m: Mutation[] = [];
  const required =
    version === 'v2'
      ? [
          'tx_id',
          'type',
          'version',
          'data_version',
          'origin',
          'flushed',
          'submitted_at',
          'launch_language_code',
          'collection_exercise_sid',
          'case_id',
          'survey_metadata',
          'data',
        ]
      : ['tx_id', 'type', 'version', 'origin', 'survey_id', 'submitted_at', 'collection', 'metadata', 'data'];
  const optional =
    version === 'v2'
      ? ['channel', 'region_code', 'started_at', 'submission_language_code', 'schema_name']
      : [
          'case_id',
          'flushed',
          'case_ref',
          'case_type',
          'channel',
          'form_type',
          'launch_language_code',
          'region_code',
          'started_at',
          'submission_language_code',
        ];
  for (const k of [...required, ...optional]) m.push(set(`drop ${k}`, [k], DROP));
  for (const k of [...required, ...optional]) for (const v of WRONG_TYPES) m.push(set(`${k}=${JSON.stringify(v)}`, [k], v));
  for (const [k, v] of Object.entries({ foo: 1, roles: ['x'], collection: {}, metadata: {}, survey_id: '009', data_version: '0.0.3', version_: 1 })) {
    if (!(k in sr)) m.push(set(`extra ${k}`, [k], v));
  }
  const uuidFields = version === 'v2' ? ['tx_id', 'case_id', 'collection_exercise_sid'] : ['tx_id', 'case_id'];
  for (const k of uuidFields) for (const v of UUIDS) m.push(set(`${k}=${String(v)}`, [k], v));
  for (const k of ['submitted_at', 'started_at']) for (const v of DATE_TIMES) m.push(set(`${k}=${String(v)}`, [k], v));
  for (const v of [
    'uk.gov.ons.edc.eq:surveyresponse',
    'uk.gov.ons.edc.eq:feedback',
    'uk.gov.ons.edc.eq:user_research',
    'surveyresponse',
    'uk.gov.ons.edc.eq:SurveyResponse',
    'uk.gov.ons.edc.eq:surveyresponse ',
  ]) {
    m.push(set(`type=${v}`, ['type'], v));
  }
  for (const v of ['v2', 'V2', 'v1', '0.0.1', '0.0.3', '0.0.2', 2]) m.push(set(`version=${String(v)}`, ['version'], v));
  for (const v of ['uk.gov.ons.edc.eq', 'uk.gov.ons.edc.eq:', 'eq']) m.push(set(`origin=${v}`, ['origin'], v));
  for (const k of ['launch_language_code', 'submission_language_code'])
    for (const v of ['en', 'cy', 'ga', 'eo', 'fr', 'EN', '']) m.push(set(`${k}=${v}`, [k], v));
  for (const v of ['GB-ENG', 'GB-WLS', 'GB-eng', 'GB-ENGL', 'XGB-ENG', 'gb-eng', '']) m.push(set(`region_code=${v}`, ['region_code'], v));
  for (const v of ['', 'RAS', 5]) m.push(set(`channel=${JSON.stringify(v)}`, ['channel'], v));

  // data, 0.0.3
  const iText = answerIndex(sr, 'anyone-else');
  const iCheckbox = answerIndex(sr, 'internet-answer');
  const iRel = answerIndex(sr, 'relationship-answer');
  const iAddress = answerIndex(sr, 'other-address-uk-answer');
  const iListed = answerIndex(sr, 'first-name');
  for (const [i, label] of [
    [iText, 'text'],
    [iCheckbox, 'checkbox'],
    [iRel, 'relationships'],
    [iAddress, 'address'],
  ] as const) {
    for (const v of ANSWER_VALUES) m.push(set(`${label} answer value=${JSON.stringify(v)}`, ['data', 'answers', i, 'value'], v));
  }
  for (const v of LIST_ITEM_IDS) m.push(set(`answer list_item_id=${JSON.stringify(v)}`, ['data', 'answers', iListed, 'list_item_id'], v));
  for (const v of ANSWER_IDS) m.push(set(`answer_id=${JSON.stringify(v)}`, ['data', 'answers', iText, 'answer_id'], v));
  m.push(set('answer without answer_id', ['data', 'answers', iText, 'answer_id'], DROP));
  m.push(set('answer without value', ['data', 'answers', iText, 'value'], DROP));
  m.push(set('answer with extra', ['data', 'answers', iText, 'extra'], 1));
  for (const v of [null, 'x', [], {}, [1]]) m.push(set(`answer item=${JSON.stringify(v)}`, ['data', 'answers', iText], v));
  for (const v of [[], {}, 'x', null]) m.push(set(`answers=${JSON.stringify(v)}`, ['data', 'answers'], v));
  m.push(set('drop answers', ['data', 'answers'], DROP));
  m.push(set('drop lists', ['data', 'lists'], DROP));
  m.push(set('data extra', ['data', 'extra'], []));
  for (const v of [[], {}, 'x', null, [{}], [{ name: 'people' }], [{ items: [] }], [{ items: [], name: '' }], [{ items: [], name: 'x', extra: 1 }]]) {
    m.push(set(`lists=${JSON.stringify(v)}`, ['data', 'lists'], v));
  }
  for (const v of LIST_ITEM_IDS) {
    m.push(set(`primary_person=${JSON.stringify(v)}`, ['data', 'lists', 0, 'primary_person'], v));
    m.push(set(`list items[0]=${JSON.stringify(v)}`, ['data', 'lists', 0, 'items', 0], v));
  }
  for (const v of [[], ['zGBdpb'], ['zGBdpb', 'zGBdpb'], ['abc'], 'zGBdpb'])
    m.push(set(`same_name_items=${JSON.stringify(v)}`, ['data', 'lists', 0, 'same_name_items'], v));
  const mapping = { identifier: '429001', list_item_id: 'zGBdpb' };
  for (const v of [
    [],
    [mapping],
    [mapping, mapping],
    [mapping, { ...mapping, identifier: 429001 }],
    [{ ...mapping, identifier: 0 }],
    [{ ...mapping, identifier: -1 }],
    [{ ...mapping, identifier: 1.5 }],
    [{ ...mapping, identifier: 2.0 }],
    [{ ...mapping, identifier: '' }],
    [{ ...mapping, identifier: null }],
    [{ ...mapping, identifier: true }],
    [{ ...mapping, list_item_id: 'abc' }],
    [{ identifier: '1' }],
    [{ ...mapping, extra: 1 }],
    mapping,
  ]) {
    m.push(set(`supplementary_data_mappings=${JSON.stringify(v)}`, ['data', 'lists', 0, 'supplementary_data_mappings'], v));
  }
  const code = { answer_id: 'anyone-else', code: '3' };
  for (const v of [
    [],
    {},
    [code],
    [code, code],
    [code, { code: '3', answer_id: 'anyone-else' }],
    [code, { ...code, answer_value: 'Yes' }],
    [{ ...code, answer_value: '' }],
    [{ ...code, answer_value: ['a'] }],
    [{ ...code, answer_value: { years: 1 } }],
    [{ ...code, answer_value: null }],
    [{ ...code, code: 'a b' }],
    [{ ...code, code: '' }],
    [{ ...code, code: 3 }],
    [{ ...code, answer_id: 'Bad_Id' }],
    [{ answer_id: 'anyone-else' }],
    [{ code: '3' }],
    [{ ...code, extra: 1 }],
    ['3'],
  ]) {
    m.push(set(`answer_codes=${JSON.stringify(v)}`, ['data', 'answer_codes'], v));
  }
  for (const v of [{}, { a: 1 }, [], 'x', null]) m.push(set(`supplementary_data=${JSON.stringify(v)}`, ['data', 'supplementary_data'], v));
  m.push(['data 0.0.1-shaped', [[['data'], { '0001': 'x' }]]]);
  m.push(['data feedback-shaped', [[['data'], { feedback_rating: 'Easy' }]]]);
  for (const v of WRONG_TYPES) m.push(set(`data=${JSON.stringify(v)}`, ['data'], v));
  return m;
}

function surveyMetadataMutations(business: Json, adhoc: Json): Mutation[] {
  const m: Mutation[] = [];
  const sm = (name: string, value: unknown): Mutation => set(name, ['survey_metadata'], value);
  const { survey_id: _b, ...b } = business;
  const { survey_id: _a, ...a } = adhoc;
  m.push(sm('sm adhoc', { ...a, survey_id: '009' }));
  m.push(sm('sm business', { ...b, survey_id: '009' }));
  m.push(sm('sm both shapes', { ...b, ...a, survey_id: '009' }));
  m.push(sm('sm only survey_id', { survey_id: '009' }));
  m.push(sm('sm business without survey_id', b));
  m.push(sm('sm adhoc without survey_id', a));
  m.push(sm('sm business+extra', { ...b, survey_id: '009', flag: true }));
  m.push(sm('sm business+qid', { ...b, survey_id: '009', qid: '0130000000000300' }));
  m.push(sm('sm adhoc+ru_name', { ...a, survey_id: '009', ru_name: 'x' }));
  m.push(sm('sm adhoc+sds_dataset_id', { ...a, survey_id: '009', sds_dataset_id: 'c067f6de-6d64-42b1-8b02-431a3486c178' }));
  m.push(sm('sm adhoc+case_ref', { ...a, survey_id: '009', case_ref: '1' }));
  m.push(sm('sm nested launch form', { data: { ...b }, survey_id: '009' }));
  for (const k of Object.keys(b))
    m.push(set(`sm business drop ${k}`, ['survey_metadata'], { ...Object.fromEntries(Object.entries(b).filter(([x]) => x !== k)), survey_id: '009' }));
  for (const k of Object.keys(a))
    m.push(set(`sm adhoc drop ${k}`, ['survey_metadata'], { ...Object.fromEntries(Object.entries(a).filter(([x]) => x !== k)), survey_id: '009' }));
  const values: Array<[string, unknown[]]> = [
    ['survey_id', ['009', 'abc', 'ABC', '', 9, '0-9']],
    ['ru_ref', ['49900000001A', '49900000001a', '4990000000A', '499000000012', 'ABCDEFGHIJKL', 123]],
    ['form_type', ['0001', 'a_b', 'a-b', '', 1]],
    ['case_type', ['B', 'b', 'xBx', '']],
    ['employment_date', ['2021-03-01', '2021-3-1', '2021-02-29', '2024-02-29', '2021-03-01T00:00:00Z']],
    ['ref_p_start_date', ['2021-13-01', '']],
    ['period_id', ['', 'x', null]],
    ['sds_dataset_id', [...UUIDS, 5]],
  ];
  for (const [k, vs] of values)
    for (const v of vs) m.push(set(`sm business ${k}=${JSON.stringify(v)}`, ['survey_metadata'], { ...b, survey_id: '009', [k]: v }));
  const adhocValues: Array<[string, unknown[]]> = [
    ['qid', ['0130000000000300', '013000000000030', 'x0130000000000300x', 130]],
    ['PARTICIPANT_ID', ['DHRF-123456789012', 'DHRF-1234567890123', '', '😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀']],
    ['PARTICIPANT_WINDOW_ID', ['DHRF-123456789012-001', 'DHRF-123456789012-0012', '']],
    ['PORTAL_ID', ['1', '1234567', '12345678', '12a', '', 1]],
    ['TEST_QUESTIONS', ['T', 'F', 'X']],
    ['WINDOW_START_DATE', ['2023-01-08', '08 Jan 2023']],
    ['BLOOD_TEST_BARCODE', ['', 5]],
  ];
  for (const [k, vs] of adhocValues)
    for (const v of vs) m.push(set(`sm adhoc ${k}=${JSON.stringify(v)}`, ['survey_metadata'], { ...a, survey_id: '009', [k]: v }));
  return m;
}

function v2Corpus(ex: Map<string, Json>): { cases: Case[]; combos: Case[] } {
  const get = (f: string) => ex.get(`payload_v2/${f}`)!;
  const sr = get('business/surveyresponse_0_0_3_with_answer_codes.json');
  const adhocSr = get('adhoc/surveyresponse_0_0_3.json');
  const supp = get('business/surveyresponse_0_0_3_with_supplementary_data.json');
  const cases: Case[] = [];
  const add = (base: unknown, prefix: string, ms: Mutation[]) => {
    for (const [name, steps] of ms) cases.push([`${prefix}: ${name}`, apply(base, steps)]);
  };

  const srMutations = [...v2Mutations(sr, 'v2'), ...surveyMetadataMutations(sr.survey_metadata as Json, adhocSr.survey_metadata as Json)];
  // Schema selection, data_version and flushed against the 0.0.3 response.
  srMutations.push(
    set('no schema selection', ['schema_name'], DROP),
    set('schema_name+schema_url', ['schema_url'], 'https://schemas.example.com/a.json'),
    set('schema_name+cir', ['cir_instrument_id'], 'c7b0cfa8-147d-4345-8948-813dcbc1539f'),
    [
      'schema_url only',
      [
        [['schema_name'], DROP],
        [['schema_url'], 'https://schemas.example.com/a.json'],
      ],
    ],
    [
      'cir only',
      [
        [['schema_name'], DROP],
        [['cir_instrument_id'], 'c7b0cfa8-147d-4345-8948-813dcbc1539f'],
      ],
    ],
    [
      'cir only, upper case',
      [
        [['schema_name'], DROP],
        [['cir_instrument_id'], 'C7B0CFA8-147D-4345-8948-813DCBC1539F'],
      ],
    ],
    [
      'schema_url only, not a URI',
      [
        [['schema_name'], DROP],
        [['schema_url'], 'schemas/a.json'],
      ],
    ],
    [
      'all three selectors',
      [
        [['schema_url'], 'https://s.example.com/a.json'],
        [['cir_instrument_id'], 'c7b0cfa8-147d-4345-8948-813dcbc1539f'],
      ],
    ],
    [
      'schema_name null still counts',
      [
        [['schema_name'], null],
        [['schema_url'], 'https://s.example.com/a.json'],
      ],
    ],
    ...['mbs_0001', 'a_b', 'X a_b Y', 'mbs-0001', 'MBS_0001', '_'].map((v) => set(`schema_name=${v}`, ['schema_name'], v)),
    [
      'flushed true, no submission_language_code',
      [
        [['flushed'], true],
        [['submission_language_code'], DROP],
      ],
    ],
    [
      'flushed false, no submission_language_code',
      [
        [['flushed'], false],
        [['submission_language_code'], DROP],
      ],
    ],
    [
      'flushed missing, no submission_language_code',
      [
        [['flushed'], DROP],
        [['submission_language_code'], DROP],
      ],
    ],
    [
      'flushed "false", no submission_language_code',
      [
        [['flushed'], 'false'],
        [['submission_language_code'], DROP],
      ],
    ],
    [
      'flushed 0, no submission_language_code',
      [
        [['flushed'], 0],
        [['submission_language_code'], DROP],
      ],
    ],
    set('data_version 0.0.1 with 0.0.3 data', ['data_version'], '0.0.1'),
    [
      'type missing, feedback data',
      [
        [['type'], DROP],
        [['data'], { feedback_rating: 'Easy' }],
      ],
    ],
    ['data_version missing, 0.0.3 data', [[['data_version'], DROP]]],
    [
      'data_version missing, 0.0.1 data',
      [
        [['data_version'], DROP],
        [['data'], { '0001': 'x' }],
      ],
    ],
    [
      'type user_research, user research data',
      [
        [['type'], 'uk.gov.ons.edc.eq:user_research'],
        [['data'], { email_address: 'a@b.c' }],
      ],
    ],
    ['sds_dataset_id without supplementary_data', [[['survey_metadata', 'sds_dataset_id'], 'c067f6de-6d64-42b1-8b02-431a3486c178']]],
    ['supplementary_data without sds_dataset_id', [[['data', 'supplementary_data'], { a: 1 }]]],
    [
      'sds_dataset_id and supplementary_data',
      [
        [['survey_metadata', 'sds_dataset_id'], 'c067f6de-6d64-42b1-8b02-431a3486c178'],
        [['data', 'supplementary_data'], { a: 1 }],
      ],
    ],
    [
      'upper-case sds_dataset_id and supplementary_data',
      [
        [['survey_metadata', 'sds_dataset_id'], 'C067F6DE-6D64-42B1-8B02-431A3486C178'],
        [['data', 'supplementary_data'], { a: 1 }],
      ],
    ],
  );
  add(sr, 'sr 0.0.3', srMutations);

  // The supplementary data example, where sds_dataset_id and supplementary_data must go together.
  add(supp, 'supplementary', [
    set('drop sds_dataset_id', ['survey_metadata', 'sds_dataset_id'], DROP),
    set('drop supplementary_data', ['data', 'supplementary_data'], DROP),
    set('supplementary_data {}', ['data', 'supplementary_data'], {}),
    set('supplementary_data []', ['data', 'supplementary_data'], []),
    set('supplementary_data "x"', ['data', 'supplementary_data'], 'x'),
    set('sds_dataset_id bad', ['survey_metadata', 'sds_dataset_id'], 'nope'),
    set('sds_dataset_id upper', ['survey_metadata', 'sds_dataset_id'], 'C067F6DE-6D64-42B1-8B02-431A3486C178'),
    [
      'as 0.0.1 with a supplementary_data q_code',
      [
        [['data_version'], '0.0.1'],
        [['data'], { supplementary_data: 'x' }],
      ],
    ],
    [
      'as feedback',
      [
        [['type'], 'uk.gov.ons.edc.eq:feedback'],
        [['data'], { feedback_rating: 'Easy' }],
      ],
    ],
    set('survey_metadata a string', ['survey_metadata'], 'x'),
    set('data a string', ['data'], 'x'),
  ]);

  // Feedback and user research data against their own examples.
  const feedback = get('business/feedback_0_0_3.json');
  const feedbackData: unknown[] = [
    { feedback_rating: 'Easy' },
    { feedback_rating: 'Very Difficult', feedback_text: 'x' },
    { feedback_rating: 'Very difficult' },
    { feedback_rating: 'easy' },
    { feedback_rating: 5 },
    { feedback_rating: 'Easy', feedback_text: '' },
    { feedback_text: 'x' },
    { feedback_rating: 'Easy', extra: 1 },
    { feedback_type: 'Page design', feedback_text: 'x', feedback_count: '7' },
    { feedback_type: 'Page design', feedback_text: 'x', feedback_count: 7 },
    { feedback_type: 'Page design', feedback_text: 'x', feedback_count: '7a' },
    { feedback_type: 'Page design', feedback_text: 'x' },
    { feedback_type: '', feedback_text: 'x', feedback_count: '1' },
    { feedback_type: 'Page design', feedback_text: 'x', feedback_count: '7', feedback_rating: 'Easy' },
    { name: 'John', email: 'j@example.com', message: 'x' },
    { email_address: 'a@b.c' },
    {},
    [],
    'Easy',
    null,
  ];
  for (const fd of feedbackData) cases.push([`feedback data=${JSON.stringify(fd)}`, apply(feedback, [[['data'], fd]])]);
  for (const dv of ['0.0.1', '0.0.3']) cases.push([`feedback data_version ${dv}`, apply(feedback, [[['data_version'], dv]])]);
  cases.push([
    'feedback flushed, no submission_language_code',
    apply(feedback, [
      [['flushed'], true],
      [['submission_language_code'], DROP],
    ]),
  ]);
  const research = get('adhoc/user_research_0_0_3.json');
  for (const rd of [
    { email_address: 'a@b.c' },
    { email_address: 'a@b.c', full_name: 'A B' },
    { email_address: '' },
    { full_name: 'A B' },
    { email_address: 'a@b.c', full_name: '' },
    { email_address: 'a@b.c', x: 1 },
    {},
    'a@b.c',
  ]) {
    cases.push([`user research data=${JSON.stringify(rd)}`, apply(research, [[['data'], rd]])]);
  }
  cases.push(['user research as surveyresponse', apply(research, [[['type'], 'uk.gov.ons.edc.eq:surveyresponse']])]);

  // 0.0.1 data.
  const sr001 = get('adhoc/surveyresponse_0_0_1.json');
  for (const d of [
    {},
    { '0001': 'x' },
    { 'a.b_c-D': 'x' },
    { 'a b': 'x' },
    { '': 'x' },
    { é: 'x' },
    { '0001': '' },
    { '0001': 5 },
    { '0001': ['x'] },
    { '0001': null },
    { answers: [], lists: [] },
  ]) {
    cases.push([`0.0.1 data=${JSON.stringify(d)}`, apply(sr001, [[['data'], d]])]);
  }
  for (const [name, steps] of surveyMetadataMutations(sr.survey_metadata as Json, adhocSr.survey_metadata as Json))
    cases.push([`0.0.1: ${name}`, apply(sr001, steps)]);

  // Random combinations, for interactions (e.g. type + data, flushed + language, shape + selector).
  const combos = combine(sr, srMutations, 400, 20250615);
  return { cases, combos };
}

function v1Corpus(ex: Map<string, Json>): { cases: Case[]; combos: Case[] } {
  const get = (f: string) => ex.get(`payload_v1/${f}`)!;
  const sr = get('surveyresponse_0_0_3_with_answer_codes.json');
  const cases: Case[] = [];
  const ms = v2Mutations(sr, 'v1');
  ms.push(
    set('type user_research', ['type'], 'uk.gov.ons.edc.eq:user_research'),
    [
      'type missing, no case_id/flushed',
      [
        [['type'], DROP],
        [['case_id'], DROP],
        [['flushed'], DROP],
      ],
    ],
    [
      'type feedback, no case_id/flushed, feedback data',
      [
        [['type'], 'uk.gov.ons.edc.eq:feedback'],
        [['case_id'], DROP],
        [['flushed'], DROP],
        [['data'], { feedback_type: 'x', feedback_text: 'y', feedback_count: '1' }],
      ],
    ],
    ['version missing, 0.0.3 data', [[['version'], DROP]]],
    set('version 0.0.1 with 0.0.3 data', ['version'], '0.0.1'),
    set('v2 version', ['version'], 'v2'),
    set('collection extra', ['collection', 'extra'], 1),
    set('collection without schema_name', ['collection', 'schema_name'], DROP),
    ...['exercise_sid', 'period', 'instrument_id'].map((k) => set(`collection drop ${k}`, ['collection', k], DROP)),
    ...UUIDS.map((v) => set(`collection.exercise_sid=${String(v)}`, ['collection', 'exercise_sid'], v)),
    ...['0123', 'a_b', 'a-b', ''].map((v) => set(`collection.instrument_id=${v}`, ['collection', 'instrument_id'], v)),
    ...['', 'x', 5].map((v) => set(`collection.period=${JSON.stringify(v)}`, ['collection', 'period'], v)),
    ...['test_relationships', 'nounderscore', 5].map((v) => set(`collection.schema_name=${JSON.stringify(v)}`, ['collection', 'schema_name'], v)),
    set('collection []', ['collection'], []),
    set('metadata extra is allowed', ['metadata', 'anything'], { x: 1 }),
    set('metadata ref_p_start_date (launch spelling) is just an extra', ['metadata', 'ref_p_start_date'], 'not a date'),
    ...['2019-07-01', '2019-7-1', '2019-02-29', ''].map((v) => set(`metadata.ref_period_start_date=${v}`, ['metadata', 'ref_period_start_date'], v)),
    ...['2019-10-31', '31/10/2019'].map((v) => set(`metadata.ref_period_end_date=${v}`, ['metadata', 'ref_period_end_date'], v)),
    ...['user_id', 'ru_ref'].map((k) => set(`metadata drop ${k}`, ['metadata', k], DROP)),
    ...['', 5, null].map((v) => set(`metadata.ru_ref=${JSON.stringify(v)}`, ['metadata', 'ru_ref'], v)),
    set('metadata.display_address 5', ['metadata', 'display_address'], 5),
    ...['009', 'ABC', ''].map((v) => set(`survey_id=${v}`, ['survey_id'], v)),
    ...['B', 'b'].map((v) => set(`case_type=${v}`, ['case_type'], v)),
    ...['0234', 'a-b'].map((v) => set(`form_type=${v}`, ['form_type'], v)),
    set('v2 survey_metadata', ['survey_metadata'], { survey_id: '009' }),
  );
  for (const [name, steps] of ms) cases.push([`v1 sr 0.0.3: ${name}`, apply(sr, steps)]);

  const feedback = get('feedback_0_0_1.json');
  for (const fd of [
    { feedback_type: 'x', feedback_text: 'y', feedback_count: '7' },
    { feedback_type: 'x', feedback_text: 'y' },
    { feedback_type: 'x', feedback_text: 'y', feedback_count: 'seven' },
    { name: 'J', email: 'j@example.com', message: 'm' },
    { name: '', email: '', message: '' },
    { name: 'J', email: 'j@example.com', message: 'm', url: 'https://x.example.com' },
    { name: 'J', email: 'j@example.com', message: 'm', url: 5 },
    { name: 'J', email: 'j@example.com' },
    { name: 'J', email: 'j@example.com', message: 'm', feedback_count: '1' },
    { feedback_rating: 'Easy' },
    {},
  ]) {
    cases.push([`v1 feedback data=${JSON.stringify(fd)}`, apply(feedback, [[['data'], fd]])]);
  }
  cases.push([
    'v1 feedback without case_id and flushed',
    apply(feedback, [
      [['case_id'], DROP],
      [['flushed'], DROP],
    ]),
  ]);
  cases.push(['v1 feedback as surveyresponse', apply(feedback, [[['type'], 'uk.gov.ons.edc.eq:surveyresponse']])]);
  const sr001 = get('surveyresponse_0_0_1.json');
  for (const d of [{ '0001': 'x' }, { 'a b': 'x' }, { '0001': '' }, { answers: [], lists: [] }])
    cases.push([`v1 0.0.1 data=${JSON.stringify(d)}`, apply(sr001, [[['data'], d]])]);

  return { cases, combos: combine(sr, ms, 200, 7) };
}

describe.skipIf(!!missing)('downstream validators agree with ajv on the official submission schemas', () => {
  it('every official example is either a launch (claims-spec-differential) or a submission (here)', () => {
    for (const version of ['v2', 'v1'] as const) {
      const dir = path.join(DEFS, version, 'examples');
      const files = (fs.readdirSync(dir, { recursive: true }) as string[]).filter((f) => f.endsWith('.json'));
      const other = files.filter(
        (f) => !f.startsWith(`rm_to_eq_runner${path.sep}payload_${version}${path.sep}`) && !f.startsWith(`eq_runner_to_downstream${path.sep}`),
      );
      expect(other, version).toEqual([]);
    }
  });

  for (const version of ['v2', 'v1'] as const) {
    describe(`submission_${version}.json official examples`, () => {
      const ex = missing ? new Map<string, Json>() : examples(version);
      const check = version === 'v2' ? validateSubmissionV2 : validateSubmissionV1;

      it('are all found', () => {
        expect(ex.size).toBe(version === 'v2' ? 22 : 7);
        // Most carry date-times without an offset ("2016-05-21T16:37:56.551086"), which upstream's
        // ajv-formats 2.1.1 accepts; they must validate as published, not patched.
        const naive = [...ex.values()].filter((p) => typeof p.submitted_at === 'string' && !/(z|[+-]\d\d(:?\d\d)?)$/i.test(p.submitted_at));
        expect(naive.length).toBeGreaterThan(0);
      });

      for (const [file, payload] of ex) {
        it(`${file} validates as published with no problems, with ajv and with the validators`, () => {
          const validate = compile(version);
          expect(validate(payload), JSON.stringify(validate.errors)).toBe(true);
          expect(check(payload)).toEqual([]);
          expect(validateDownstream(payload).problems).toEqual([]);
        });
      }
    });
  }

  it('submission_v2.json: mutations agree on valid/invalid', () => {
    const { cases, combos } = v2Corpus(examples('v2'));
    const all = [...cases, ...combos];
    expect(cases.length).toBeGreaterThan(600);
    expect(disagreements('v2', all)).toEqual([]);
    // The corpus has to exercise both answers to mean anything.
    const valid = all.filter(([, c]) => compile('v2')(c)).length;
    expect(valid).toBeGreaterThan(150);
    expect(all.length - valid).toBeGreaterThan(500);
  });

  it('submission_v1.json: mutations agree on valid/invalid', () => {
    const { cases, combos } = v1Corpus(examples('v1'));
    const all = [...cases, ...combos];
    expect(cases.length).toBeGreaterThan(300);
    expect(disagreements('v1', all)).toEqual([]);
    const valid = all.filter(([, c]) => compile('v1')(c)).length;
    expect(valid).toBeGreaterThan(80);
    expect(all.length - valid).toBeGreaterThan(200);
  });
});
