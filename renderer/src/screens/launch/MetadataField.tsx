import type { MetadataFieldDescriptor } from '../../../../shared/launch/fields';
import { ClaimField, type ClaimKind } from './ClaimField';

const KINDS: Record<string, ClaimKind> = {
  string: 'string',
  date: 'date',
  uuid: 'uuid',
  boolean: 'boolean',
  url: 'url',
  iso_8601_date_string: 'datetime',
};

/** The schema's length rules in words, e.g. "exactly 16 characters", "8 to 12 characters". */
export function lengthHint({ length, min_length: min, max_length: max }: MetadataFieldDescriptor['constraints']): string {
  if (length != null) return `exactly ${length} characters`;
  if (min != null && max != null) return `${min} to ${max} characters`;
  if (min != null) return `at least ${min} characters`;
  if (max != null) return `at most ${max} characters`;
  return '';
}

const TYPE_WORDS: Record<string, string> = {
  string: 'text',
  date: 'date, YYYY-MM-DD',
  uuid: 'UUID',
  boolean: 'boolean',
  url: 'URL',
  iso_8601_date_string: 'date-time, ISO 8601 with its offset; the picker gives UTC',
};

/** One questionnaire metadata entry as a typed control, its type and length rules as hints. */
export function MetadataField({ field }: { field: MetadataFieldDescriptor }) {
  // A type the runner does not know stays a text box; the check reports the 500 it causes.
  const kind = KINDS[field.type] ?? 'string';
  const rules = lengthHint(field.constraints);
  const hint = [TYPE_WORDS[field.type] ?? `unknown type "${field.type}"`, rules].filter(Boolean).join('; ');
  return <ClaimField label={field.name} path={field.path} kind={kind} optional={field.optional} hint={hint} />;
}
