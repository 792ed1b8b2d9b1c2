// Two payloads side by side: which answers were added, removed or changed, and which envelope and
// metadata fields differ. Answers are matched by answer_id and list_item_id (the pair the runner
// keeps unique); a pair that occurs twice is matched by occurrence, so nothing is silently merged.
import { deepEqual, isObj } from '../../../../../shared/downstream/check';
import { dataKindOf } from './envelope';
import { listsOf } from './answers';
import { plainText, valueText } from './values';

export type ChangeKind = 'added' | 'removed' | 'changed';

export interface AnswerChange {
  change: ChangeKind;
  answerId: string;
  listItemId: string;
  before?: unknown;
  after?: unknown;
  beforeText: string;
  afterText: string;
}

export interface FieldChange {
  change: ChangeKind;
  /** Dotted path: "tx_id", "survey_metadata.ru_ref", "lists.people.items". */
  path: string;
  beforeText: string;
  afterText: string;
}

export interface PayloadDiff {
  /** What the data was compared as: answers (0.0.3), q_codes (0.0.1) or data fields (feedback, user research). */
  compared: 'answers' | 'qcodes' | 'fields';
  added: number;
  removed: number;
  changed: number;
  unchanged: number;
  /** Added, removed and changed answers, in the order of the second payload, removed ones where they were. */
  answers: AnswerChange[];
  envelope: FieldChange[];
  metadata: FieldChange[];
  lists: FieldChange[];
  /** data.answer_codes, by answer_id (and answer_value, for codes per option). */
  answerCodes: FieldChange[];
  /** data.supplementary_data, leaf by leaf. */
  supplementary: FieldChange[];
}

interface Entry {
  answerId: string;
  listItemId: string;
  value: unknown;
}

const strOf = (v: unknown) => (typeof v === 'string' ? v : v === undefined || v === null ? '' : String(v));

function entriesOf(payload: unknown): { compared: PayloadDiff['compared']; entries: Entry[] } {
  const data = isObj(payload) ? payload.data : undefined;
  const kind = dataKindOf(payload);
  if (isObj(data) && Array.isArray(data.answers)) {
    return {
      compared: 'answers',
      entries: data.answers.map((a) =>
        isObj(a) ? { answerId: strOf(a.answer_id), listItemId: strOf(a.list_item_id), value: a.value } : { answerId: '', listItemId: '', value: a },
      ),
    };
  }
  const entries = isObj(data) ? Object.entries(data).map(([k, value]) => ({ answerId: k, listItemId: '', value })) : [];
  return { compared: kind === 'qcodes' ? 'qcodes' : 'fields', entries };
}

/** Keys answer_id + list_item_id, with an occurrence number for repeats. */
function keyed(entries: Entry[]): Map<string, Entry> {
  const out = new Map<string, Entry>();
  const seen = new Map<string, number>();
  for (const e of entries) {
    const base = `${e.answerId}\u0000${e.listItemId}`;
    const n = (seen.get(base) ?? 0) + 1;
    seen.set(base, n);
    out.set(n === 1 ? base : `${base}\u0000${n}`, e);
  }
  return out;
}

export function diffPayloads(before: unknown, after: unknown): PayloadDiff {
  const a = entriesOf(before);
  const b = entriesOf(after);
  const compared = a.compared === b.compared ? b.compared : 'fields';
  const ka = keyed(a.entries);
  const kb = keyed(b.entries);
  const answers: AnswerChange[] = [];
  let added = 0;
  let removed = 0;
  let changed = 0;
  let unchanged = 0;

  // Removed answers are placed before the next answer that both payloads share, so a removal
  // shows where it happened rather than all at the end.
  const removedBefore = new Map<string, AnswerChange[]>();
  const tail: AnswerChange[] = [];
  let pending: AnswerChange[] = [];
  for (const [key, e] of ka) {
    if (kb.has(key)) {
      if (pending.length) removedBefore.set(key, pending);
      pending = [];
    } else {
      pending.push({ change: 'removed', answerId: e.answerId, listItemId: e.listItemId, before: e.value, beforeText: valueText(e.value), afterText: '' });
      removed++;
    }
  }
  tail.push(...pending);

  for (const [key, e] of kb) {
    const old = ka.get(key);
    if (old) answers.push(...(removedBefore.get(key) ?? []));
    if (!old) {
      added++;
      answers.push({ change: 'added', answerId: e.answerId, listItemId: e.listItemId, after: e.value, beforeText: '', afterText: valueText(e.value) });
    } else if (!deepEqual(old.value, e.value)) {
      changed++;
      answers.push({
        change: 'changed',
        answerId: e.answerId,
        listItemId: e.listItemId,
        before: old.value,
        after: e.value,
        beforeText: valueText(old.value),
        afterText: valueText(e.value),
      });
    } else unchanged++;
  }
  answers.push(...tail);

  return {
    compared,
    added,
    removed,
    changed,
    unchanged,
    answers,
    envelope: diffFields(envelopeOf(before), envelopeOf(after)),
    metadata: diffFields(metadataOf(before), metadataOf(after)),
    lists: diffFields(listsFlat(before), listsFlat(after)),
    answerCodes: diffFields(answerCodesOf(before), answerCodesOf(after)),
    supplementary: diffFields(supplementaryOf(before), supplementaryOf(after)),
  };
}

const dataOf = (payload: unknown): unknown => (isObj(payload) ? payload.data : undefined);

/** answer_codes.<answer_id> (or answer_codes.<answer_id>=<answer_value>) -> its code. */
function answerCodesOf(payload: unknown): Map<string, unknown> {
  const out = new Map<string, unknown>();
  const data = dataOf(payload);
  const codes = isObj(data) && Array.isArray(data.answer_codes) ? data.answer_codes : [];
  codes.forEach((c, i) => {
    if (!isObj(c)) return void out.set(`answer_codes[${i}]`, c);
    const value = c.answer_value === undefined ? '' : `=${strOf(c.answer_value)}`;
    out.set(`answer_codes.${strOf(c.answer_id)}${value}`, c.code);
  });
  return out;
}

/**
 * supplementary_data flattened to its leaves (supplementary_data.items.employees[0].identifier),
 * without recursion: a payload's depth is the sender's choice.
 */
function supplementaryOf(payload: unknown): Map<string, unknown> {
  const out = new Map<string, unknown>();
  const data = dataOf(payload);
  if (!isObj(data) || data.supplementary_data === undefined) return out;
  const stack: [string, unknown][] = [['supplementary_data', data.supplementary_data]];
  while (stack.length) {
    const [path, value] = stack.pop()!;
    const children = Array.isArray(value)
      ? value.map((v, i) => [`${path}[${i}]`, v] as [string, unknown])
      : isObj(value)
        ? Object.entries(value).map(([k, v]) => [`${path}.${k}`, v] as [string, unknown])
        : null;
    if (children === null || children.length === 0) out.set(path, value);
    else stack.push(...children.reverse());
  }
  return out;
}

/** Top-level fields except data and metadata; v1's collection object is spread as collection.*. */
function envelopeOf(payload: unknown): Map<string, unknown> {
  const out = new Map<string, unknown>();
  if (!isObj(payload)) return out;
  for (const [k, v] of Object.entries(payload)) {
    if (k === 'data' || k === 'survey_metadata' || k === 'metadata') continue;
    if (k === 'collection' && isObj(v)) for (const [ck, cv] of Object.entries(v)) out.set(`collection.${ck}`, cv);
    else out.set(k, v);
  }
  return out;
}

function metadataOf(payload: unknown): Map<string, unknown> {
  const out = new Map<string, unknown>();
  if (!isObj(payload)) return out;
  for (const field of ['survey_metadata', 'metadata'] as const) {
    const m = payload[field];
    if (isObj(m)) for (const [k, v] of Object.entries(m)) out.set(`${field}.${k}`, v);
  }
  return out;
}

function listsFlat(payload: unknown): Map<string, unknown> {
  const out = new Map<string, unknown>();
  const data = isObj(payload) ? payload.data : undefined;
  for (const l of listsOf(data)) {
    out.set(`lists.${l.name}.items`, l.items);
    if (l.primaryPerson !== undefined) out.set(`lists.${l.name}.primary_person`, l.primaryPerson);
    if (l.sameNameItems.length) out.set(`lists.${l.name}.same_name_items`, l.sameNameItems);
    // Which supplementary data item each list item came from: a changed identifier changes what the list means.
    if (l.mappings.length)
      out.set(
        `lists.${l.name}.supplementary_data_mappings`,
        l.mappings.map((m) => `${m.listItemId}: supplementary data ${m.identifier}`),
      );
  }
  return out;
}

function diffFields(a: Map<string, unknown>, b: Map<string, unknown>): FieldChange[] {
  const out: FieldChange[] = [];
  for (const [path, v] of b) {
    if (!a.has(path)) out.push({ change: 'added', path, beforeText: '', afterText: fieldText(v) });
    else if (!deepEqual(a.get(path), v)) out.push({ change: 'changed', path, beforeText: fieldText(a.get(path)), afterText: fieldText(v) });
  }
  for (const [path, v] of a) if (!b.has(path)) out.push({ change: 'removed', path, beforeText: fieldText(v), afterText: '' });
  return out;
}

const fieldText = (v: unknown) => (Array.isArray(v) && v.every((x) => typeof x === 'string') ? v.join(', ') : plainText(v));
