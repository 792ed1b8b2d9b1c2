// common/response_data.json of ons-schema-definitions: what `data` may hold, by type and data
// version, plus the answer-code consistency rules upstream applies beyond the JSON schema
// (RUNNER-CONTRACT §6). v1 (7d5f5fb) shares everything except the two feedback shapes.
import { arrayOf, at, bad, type Check, collect, firstDuplicate, integer, isInteger, isObj, named, obj, type Out, show, str } from './check';
import { anyString, nonEmpty } from './definitions';

const LIST_ITEM_ID = /^[a-zA-Z]+$/u;

/** $defs/list_item_id: minLength 6, maxLength 6, pattern ^[a-zA-Z]+$. */
// Six ASCII letters are six code points, so length and pattern together are the whole rule.
const isListItemId = (v: unknown) => typeof v === 'string' && v.length === 6 && LIST_ITEM_ID.test(v);

export const listItemId: Check = (v, out, base, key) => {
  if (isListItemId(v)) return true;
  if (!out) return false;
  if (typeof v !== 'string') return bad(out, base, key, `must be a list item id string (got ${show(v)})`);
  return bad(out, base, key, `must be a list item id of exactly 6 letters a-z or A-Z (got ${show(v)})`);
};

const ANSWER_ID = /^[a-z0-9][a-z0-9-]*[a-z0-9]$/u;
export const answerId = str({
  pattern: { re: ANSWER_ID, says: 'be lower-case letters, digits and hyphens, at least 2 long, not starting or ending with a hyphen' },
});

// ---------------------------------------------------------------------------------------------
// $defs/answer_values: oneOf generic (non-empty string | number), checkbox, duration, address,
// relationships. The branches differ in JSON type except checkbox/relationships (both arrays) and
// duration/address (both objects), so only those pairs need both tried.

const checkbox = arrayOf(nonEmpty, { what: 'a checkbox answer (a list of texts)', minItems: 1 });

const relationship = obj({
  what: 'a relationship {list_item_id, to_list_item_id, relationship}',
  props: [
    ['list_item_id', listItemId],
    ['to_list_item_id', listItemId],
    ['relationship', nonEmpty],
  ],
  required: ['list_item_id', 'to_list_item_id', 'relationship'],
  closed: true,
});
// No minItems: an empty list is a valid answer value (an empty relationships answer).
const relationships = arrayOf(relationship, { what: 'a relationships answer (a list of relationships)', unique: true });

const duration: Check = (v, out, base, key) => {
  if (!isObj(v)) return bad(out, base, key, `must be a duration {years?, months?} (got ${show(v)})`);
  const path = out ? at(base, key) : '';
  let ok = true;
  for (const k in v) {
    if (k !== 'years' && k !== 'months') {
      if (!out) return false;
      ok = bad(out, path, k, 'is not allowed: a duration allows only years and months');
    }
  }
  if (v.years === undefined && v.months === undefined) {
    if (!out) return false;
    ok = bad(out, base, key, 'must give years, months or both (a duration)');
  }
  for (const k of ['years', 'months']) {
    if (v[k] !== undefined && !integer(v[k], out, path, k)) {
      if (!out) return false;
      ok = false;
    }
  }
  return ok;
};

const ADDRESS_KEYS = ['line1', 'line2', 'town', 'postcode', 'uprn'] as const;
const address = obj({
  what: 'an address {line1, line2?, town?, postcode?, uprn?}',
  props: ADDRESS_KEYS.map((k) => [k, nonEmpty] as const),
  required: ['line1'],
  closed: true,
});

const ANY_VALUE = 'a text, a number, a list of texts, a duration, an address or a list of relationships';

// The fast predicates below restate checkbox, relationships, duration and address without
// building anything, for the answers loop; the differential test holds them to ajv as well.

function isRelationship(r: unknown): boolean {
  if (!isObj(r)) return false;
  for (const k in r) if (k !== 'list_item_id' && k !== 'to_list_item_id' && k !== 'relationship') return false;
  const rel = r.relationship;
  return isListItemId(r.list_item_id) && isListItemId(r.to_list_item_id) && typeof rel === 'string' && rel.length > 0;
}

function isAnswerArray(v: unknown[]): boolean {
  // Checkbox items are strings and relationship items objects, so the first item says which of
  // the two branches can pass; an empty list passes relationships only (no minItems there).
  if (v.length === 0) return true;
  if (typeof v[0] === 'string') {
    for (let i = 0; i < v.length; i++) {
      const x = v[i];
      if (typeof x !== 'string' || x.length === 0) return false;
    }
    return true;
  }
  for (let i = 0; i < v.length; i++) if (!isRelationship(v[i])) return false;
  return firstDuplicate(v) === null;
}

function isAnswerObject(v: Record<string, unknown>): boolean {
  let duration = true;
  let address = true;
  for (const k in v) {
    if (k === 'years' || k === 'months') address = false;
    else if (k === 'line1' || k === 'line2' || k === 'town' || k === 'postcode' || k === 'uprn') duration = false;
    else return false;
  }
  if (duration)
    return (
      (v.years !== undefined || v.months !== undefined) && (v.years === undefined || isInteger(v.years)) && (v.months === undefined || isInteger(v.months))
    );
  if (!address || v.line1 === undefined) return false;
  for (const k of ADDRESS_KEYS) {
    const x = v[k];
    if (x !== undefined && (typeof x !== 'string' || x.length === 0)) return false;
  }
  return true;
}

function isAnswerValue(v: unknown): boolean {
  if (typeof v === 'string') return v.length > 0;
  if (typeof v === 'number') return true;
  if (Array.isArray(v)) return isAnswerArray(v);
  return isObj(v) && isAnswerObject(v);
}

export const answerValue: Check = (v, out, base, key) => {
  if (isAnswerValue(v)) return true;
  if (!out) return false;
  if (typeof v === 'string') return bad(out, base, key, 'must not be an empty string (a text answer needs a character)');
  if (Array.isArray(v)) {
    const asCheckbox = checkbox(v, null, '', '');
    if (asCheckbox && relationships(v, null, '', ''))
      return bad(out, base, key, 'is both a checkbox and a relationships answer; the spec needs exactly one (oneOf)');
    const asRelationships = v.some((x) => typeof x === 'object' && x !== null);
    bad(out, base, key, `matches no answer value shape (${ANY_VALUE}); read as ${asRelationships ? 'relationships' : 'a checkbox answer'} it fails as follows`);
    (asRelationships ? relationships : checkbox)(v, out, base, key);
    return false;
  }
  if (isObj(v)) {
    if (duration(v, null, '', '') && address(v, null, '', ''))
      return bad(out, base, key, 'is both a duration and an address; the spec needs exactly one (oneOf)');
    const asDuration = (v.years !== undefined || v.months !== undefined) && v.line1 === undefined;
    bad(out, base, key, `matches no answer value shape (${ANY_VALUE}); read as ${asDuration ? 'a duration' : 'an address'} it fails as follows`);
    (asDuration ? duration : address)(v, out, base, key);
    return false;
  }
  return bad(out, base, key, `must be ${ANY_VALUE} (got ${show(v)})`);
};

// ---------------------------------------------------------------------------------------------
// data_version 0.0.3

function isAnswer(a: unknown): boolean {
  if (!isObj(a)) return false;
  for (const k in a) if (k !== 'answer_id' && k !== 'value' && k !== 'list_item_id') return false;
  const id = a.answer_id;
  const li = a.list_item_id;
  return typeof id === 'string' && ANSWER_ID.test(id) && a.value !== undefined && isAnswerValue(a.value) && (li === undefined || isListItemId(li));
}

const explainAnswer = obj({
  what: 'an answer {answer_id, value, list_item_id?}',
  props: [
    ['answer_id', answerId],
    ['value', answerValue],
    ['list_item_id', listItemId],
  ],
  required: ['answer_id', 'value'],
  closed: true,
});

const mappingIdentifier: Check = (v, out, base, key) => {
  if (typeof v === 'string') return v.length > 0 || bad(out, base, key, 'must not be empty');
  if (typeof v === 'number' && !(v % 1) && !Number.isNaN(v)) return v >= 0 || bad(out, base, key, `must not be negative (got ${v})`);
  return bad(out, base, key, `must be a non-empty string or a whole number of 0 or more (got ${show(v)})`);
};

const supplementaryDataMapping = obj({
  what: 'a supplementary data mapping {identifier, list_item_id}',
  props: [
    ['identifier', mappingIdentifier],
    ['list_item_id', listItemId],
  ],
  required: ['identifier', 'list_item_id'],
  closed: true,
});

const listItemIds = arrayOf(listItemId, { what: 'a list of list item ids' });

const list = obj({
  what: 'a list {name, items, primary_person?, same_name_items?, supplementary_data_mappings?}',
  props: [
    ['items', listItemIds],
    ['name', nonEmpty],
    ['primary_person', listItemId],
    ['same_name_items', listItemIds],
    ['supplementary_data_mappings', arrayOf(supplementaryDataMapping, { what: 'a list of supplementary data mappings', minItems: 1, unique: true })],
  ],
  required: ['items', 'name'],
  closed: true,
});
const lists = arrayOf(list, { what: 'a list of the lists collected' });

const answerCode = obj({
  what: 'an answer code {answer_id, code, answer_value?}',
  props: [
    ['answer_id', answerId],
    ['code', str({ pattern: { re: /^[a-zA-Z0-9._-]+$/u, says: 'use only letters, digits, ".", "_" and "-"' } })],
    ['answer_value', answerValue],
  ],
  required: ['answer_id', 'code'],
  closed: true,
});
const answerCodes = arrayOf(answerCode, { what: 'a list of answer codes', minItems: 1, unique: true });

const supplementaryData: Check = (v, out, base, key) => {
  if (!isObj(v)) return bad(out, base, key, `must be an object: the supplementary data as SDS supplied it (got ${show(v)})`);
  for (const k in v) if (Object.prototype.hasOwnProperty.call(v, k)) return true;
  return bad(out, base, key, 'must not be an empty object (minProperties 1)');
};

/**
 * Answers are the one part that can be huge: each is checked without building any string, and
 * only a failing one is walked again to say why. Collects answer ids for the consistency rules.
 */
function checkAnswers(v: unknown, out: Out, base: string, key: string, ids: Set<unknown> | null): boolean {
  if (!Array.isArray(v)) return bad(out, base, key, `must be a list of answers (got ${show(v)})`);
  let ok = true;
  let path = '';
  for (let i = 0; i < v.length; i++) {
    const a = v[i];
    if (!isAnswer(a)) {
      if (!out) return false;
      if (ok) path = at(base, key);
      ok = false;
      const before = out.length;
      explainAnswer(a, out, path, i);
      // The predicate and the explainer are two statements of one rule; never let a rejected answer go unexplained.
      if (out.length === before) bad(out, path, i, 'fails the answer schema');
    }
    if (ids !== null && isObj(a)) ids.add(a.answer_id);
  }
  return ok;
}

const SR003_KEYS = new Set(['answer_codes', 'answers', 'lists', 'supplementary_data']);
const CONSISTENCY = 'Consistency rule (upstream, beyond the JSON schema):';

function consistency(codes: unknown[], ids: Set<unknown> | null, out: NonNullable<Out>, path: string): void {
  const firstByCode = new Map<string, number>();
  const codesPath = at(path, 'answer_codes');
  for (let i = 0; i < codes.length; i++) {
    const c = codes[i];
    if (!isObj(c)) continue;
    if (typeof c.code === 'string') {
      const first = firstByCode.get(c.code);
      if (first === undefined) firstByCode.set(c.code, i);
      else {
        const p = at(at(codesPath, i), 'code');
        out.push({
          path: p,
          message: `${CONSISTENCY} answer codes must be unique, and ${show(c.code)} is already the code of ${at(codesPath, first)}`,
          rule: 'consistency',
        });
      }
    }
    if (ids && typeof c.answer_id === 'string' && !ids.has(c.answer_id)) {
      const p = at(at(codesPath, i), 'answer_id');
      out.push({
        path: p,
        message: `${CONSISTENCY} every answer code's answer_id must appear in data.answers (the runner drops codes for answers it does not send), and no answer has answer_id ${show(c.answer_id)}`,
        rule: 'consistency',
      });
    }
  }
}

/** $refs survey_response_0_0_3, with the consistency rules (reported only when collecting). */
export const surveyResponse003: Check = (v, out, base, key) => {
  if (!isObj(v)) return bad(out, base, key, `must be an object {answers, lists, answer_codes?, supplementary_data?} for data_version 0.0.3 (got ${show(v)})`);
  const path = out ? at(base, key) : '';
  let ok = true;
  for (const k in v) {
    if (!SR003_KEYS.has(k)) {
      if (!out) return false;
      ok = bad(out, path, k, 'is not allowed: data_version 0.0.3 data holds only answers, lists, answer_codes and supplementary_data');
    }
  }
  for (const k of ['answers', 'lists']) {
    if (v[k] === undefined) {
      if (!out) return false;
      ok = bad(out, path, k, 'is required in data_version 0.0.3 data');
    }
  }
  const codes = v.answer_codes;
  const ids = out && Array.isArray(codes) && codes.length > 0 && Array.isArray(v.answers) ? new Set<unknown>() : null;
  const parts: Array<[string, Check | null]> = [
    ['answers', null],
    ['lists', lists],
    ['answer_codes', answerCodes],
    ['supplementary_data', supplementaryData],
  ];
  for (const [k, check] of parts) {
    if (v[k] === undefined) continue;
    const good = check ? check(v[k], out, path, k) : checkAnswers(v[k], out, path, k, ids);
    if (!good) {
      if (!out) return false;
      ok = false;
    }
  }
  if (out && Array.isArray(codes)) consistency(codes, ids, out, path);
  return ok;
};

// ---------------------------------------------------------------------------------------------
// data_version 0.0.1, feedback and user research

const Q_CODE = /^[a-zA-Z0-9._-]+$/u;

/** $refs survey_response_0_0_1: {q_code: non-empty string}, closed to other keys. */
export const surveyResponse001: Check = (v, out, base, key) => {
  if (!isObj(v)) return bad(out, base, key, `must be an object of q_code: answer text pairs for data_version 0.0.1 (got ${show(v)})`);
  const path = out ? at(base, key) : '';
  let ok = true;
  for (const k in v) {
    if (!Q_CODE.test(k)) {
      if (!out) return false;
      ok = bad(out, path, k, 'is not allowed: data_version 0.0.1 keys are q_codes of letters, digits, ".", "_" and "-"');
    } else if (!nonEmpty(v[k], out, path, k)) {
      if (!out) return false;
      ok = false;
    }
  }
  return ok;
};

const FEEDBACK_RATINGS = ['Very easy', 'Easy', 'Neutral', 'Difficult', 'Very Difficult'];
// No "type" in the spec: the enum alone decides.
const feedbackRating: Check = (v, out, base, key) =>
  FEEDBACK_RATINGS.includes(v as string) || bad(out, base, key, `must be one of ${FEEDBACK_RATINGS.map((r) => JSON.stringify(r)).join(', ')} (got ${show(v)})`);

// v2 calls this shape legacy and v1 calls it current, so each gets its own wording.
const feedbackTypeCountText = (what: string) =>
  obj({
    what,
    props: [
      ['feedback_type', nonEmpty],
      ['feedback_text', nonEmpty],
      ['feedback_count', str({ pattern: { re: /^[0-9]+$/u, says: 'be digits only' } })],
    ],
    required: ['feedback_type', 'feedback_text', 'feedback_count'],
    closed: true,
  });

interface Branch {
  label: string;
  check: Check;
}

/** oneOf over whole-object branches; on failure explains the branch with the fewest problems. */
function oneOf(what: string, branches: readonly Branch[]): Check {
  return (v, out, base, key) => {
    const passing = branches.filter((b) => b.check(v, null, '', ''));
    if (passing.length === 1) return true;
    if (passing.length > 1) return bad(out, base, key, `matches ${passing.map((b) => b.label).join(' and ')}; ${what} must match exactly one (oneOf)`);
    if (!out) return false;
    const tries = branches.map((b) => ({ b, problems: collect(b.check, v, base, key) }));
    const nearest = tries.reduce((a, t) => (t.problems.length < a.problems.length ? t : a));
    const path = at(base, key);
    out.push({
      path,
      message: `${named(path)} must match ${what}: ${branches.map((b) => b.label).join(' or ')}; the nearer, ${nearest.b.label}, fails as follows`,
      rule: 'schema',
    });
    out.push(...nearest.problems);
    return false;
  };
}

/** v2 feedback: {feedback_rating, feedback_text?} or the legacy {feedback_type, feedback_text, feedback_count}. */
export const feedbackV2 = oneOf('one feedback shape', [
  {
    label: 'feedback {feedback_rating, feedback_text?}',
    check: obj({
      what: 'feedback {feedback_rating, feedback_text?}',
      props: [
        ['feedback_rating', feedbackRating],
        ['feedback_text', nonEmpty],
      ],
      required: ['feedback_rating'],
      closed: true,
    }),
  },
  {
    label: 'legacy feedback {feedback_type, feedback_text, feedback_count}',
    check: feedbackTypeCountText('legacy feedback {feedback_type, feedback_text, feedback_count}'),
  },
]);

/** v1 feedback: {feedback_type, feedback_text, feedback_count} or the legacy {email, message, name, url?}. */
export const feedbackV1 = oneOf('one feedback shape', [
  { label: 'feedback {feedback_type, feedback_text, feedback_count}', check: feedbackTypeCountText('feedback {feedback_type, feedback_text, feedback_count}') },
  {
    label: 'legacy feedback {email, message, name, url?}',
    check: obj({
      what: 'legacy feedback {email, message, name, url?}',
      props: [
        ['email', anyString],
        ['message', anyString],
        ['name', anyString],
        ['url', anyString],
      ],
      required: ['email', 'message', 'name'],
      closed: true,
    }),
  },
]);

export const userResearch = obj({
  what: 'user research data {email_address, full_name?}',
  props: [
    ['full_name', nonEmpty],
    ['email_address', nonEmpty],
  ],
  required: ['email_address'],
  closed: true,
});
