// How an answer value reads, by its shape (RUNNER-CONTRACT §6, data 0.0.3): one line for tables,
// filters, sorting and CSV; several lines where there is room. Shapes are read from the value
// itself, never from the schema, so a payload that breaks the rules still shows what it holds.
import { isObj } from './check';

export type ValueShape = 'empty' | 'text' | 'number' | 'boolean' | 'checkbox' | 'duration' | 'address' | 'relationships' | 'other';

export interface Duration {
  years?: number;
  months?: number;
}

export interface Address {
  line1?: string;
  line2?: string;
  town?: string;
  postcode?: string;
  uprn?: string;
}

export interface Relationship {
  list_item_id: string;
  to_list_item_id: string;
  relationship: string;
}

const ADDRESS_KEYS = new Set(['line1', 'line2', 'town', 'postcode', 'uprn']);

function isRelationship(v: unknown): v is Relationship {
  return isObj(v) && typeof v.list_item_id === 'string' && typeof v.to_list_item_id === 'string' && 'relationship' in v;
}

function isDuration(v: Record<string, unknown>): boolean {
  let any = false;
  for (const k in v) {
    if ((k !== 'years' && k !== 'months') || typeof v[k] !== 'number') return false;
    any = true;
  }
  return any;
}

function isAddress(v: Record<string, unknown>): boolean {
  let any = false;
  for (const k in v) {
    if (!ADDRESS_KEYS.has(k) || (typeof v[k] !== 'string' && typeof v[k] !== 'number')) return false;
    any = true;
  }
  return any;
}

export function valueShape(v: unknown): ValueShape {
  if (v === null || v === undefined) return 'empty';
  if (typeof v === 'string') return 'text';
  if (typeof v === 'number') return 'number';
  if (typeof v === 'boolean') return 'boolean';
  if (Array.isArray(v)) {
    // An empty list is what the runner sends for "no relationships"; a checkbox is never empty.
    if (v.length === 0) return 'relationships';
    if (v.every((x) => typeof x === 'string')) return 'checkbox';
    if (v.every(isRelationship)) return 'relationships';
    return 'other';
  }
  if (isObj(v)) {
    if (isDuration(v)) return 'duration';
    if (isAddress(v)) return 'address';
  }
  return 'other';
}

const plural = (n: number, unit: string) => `${n} ${unit}${n === 1 ? '' : 's'}`;

/** {years: 1, months: 6} → "1 year 6 months"; only the parts the payload gives. */
export function durationText(d: Duration): string {
  const parts: string[] = [];
  if (d.years !== undefined) parts.push(plural(d.years, 'year'));
  if (d.months !== undefined) parts.push(plural(d.months, 'month'));
  return parts.join(' ');
}

/** The address as it would be written on an envelope, with the UPRN last. */
export function addressLines(a: Address): string[] {
  const lines = [a.line1, a.line2, a.town, a.postcode].filter((x): x is string => x !== undefined && String(x).trim() !== '').map(String);
  if (a.uprn !== undefined && String(a.uprn) !== '') lines.push(`UPRN ${a.uprn}`);
  return lines;
}

/** Names list items for people: "zGBdpb" alone, or "zGBdpb (people 1, primary person)" with a namer. */
export type ItemNamer = (listItemId: string) => string;
const bareId: ItemNamer = (id) => id;

export function relationshipText(r: Relationship, name: ItemNamer = bareId): string {
  return `${name(r.list_item_id)} → ${name(r.to_list_item_id)}: ${String(r.relationship)}`;
}

/** The value on one line: tables, filtering, sorting and CSV all use this text. */
export function valueText(v: unknown, name: ItemNamer = bareId): string {
  switch (valueShape(v)) {
    case 'empty':
      return '';
    case 'text':
      return v as string;
    case 'number':
    case 'boolean':
      return String(v);
    case 'checkbox':
      return (v as string[]).join(', ');
    case 'duration':
      return durationText(v as Duration);
    case 'address':
      return addressLines(v as Address).join(', ');
    case 'relationships':
      return (v as Relationship[]).map((r) => relationshipText(r, name)).join('; ');
    default:
      return JSON.stringify(v);
  }
}

/** The value as lines, for places with room for them (a checkbox's choices, an address, relationships). */
export function valueLines(v: unknown, name: ItemNamer = bareId): string[] {
  switch (valueShape(v)) {
    case 'checkbox':
      return [...(v as string[])];
    case 'address':
      return addressLines(v as Address);
    case 'relationships':
      return (v as Relationship[]).map((r) => relationshipText(r, name));
    default:
      return [valueText(v, name)];
  }
}

/** Any JSON value as short text for key/value tables (metadata, feedback, envelope). */
export function plainText(v: unknown): string {
  if (v === undefined) return '';
  if (typeof v === 'string') return v;
  if (v === null || typeof v === 'number' || typeof v === 'boolean') return String(v);
  return JSON.stringify(v);
}
