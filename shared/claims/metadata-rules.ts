// Stage 'questionnaire-claims': the questionnaire schema's `metadata` list checked against the
// launch claims, as metadata_parser_v2.validate_questionnaire_claims does (a marshmallow schema
// built per questionnaire, whitespace-stripped values, unknown keys kept).
import type { PayloadVersion, RuleProblem } from '../inspect-types';
import { isPlainObject, pyLen, pyStrip, pyTruthy } from './formats';
import { kindWords, loadRunnerField, type RunnerFieldKind } from './runner-fields';

/** One entry of a questionnaire schema's `metadata` list. */
export interface MetadataField {
  name: string;
  type: string;
  optional?: boolean;
  min_length?: number;
  max_length?: number;
  length?: number;
}

/** The keys of the runner's VALIDATORS table; any other type fails the launch with 500. */
export const METADATA_TYPES = ['string', 'date', 'uuid', 'boolean', 'url', 'iso_8601_date_string'] as const;
export type MetadataType = (typeof METADATA_TYPES)[number];

export function isKnownMetadataType(t: unknown): t is MetadataType {
  return typeof t === 'string' && (METADATA_TYPES as readonly string[]).includes(t);
}

/** Where a payload version keeps questionnaire metadata: v2 in survey_metadata.data, older formats at the top. */
export function metadataContainer(claims: Record<string, unknown>, version: PayloadVersion): { data: Record<string, unknown>; prefix: string } {
  if (version === 'v1' || version === 'legacy') return { data: claims, prefix: '' };
  const sm = claims.survey_metadata;
  const data = isPlainObject(sm) && isPlainObject(sm.data) ? sm.data : {};
  return { data, prefix: 'survey_metadata.data.' };
}

const hasKey = (o: object, k: string) => Object.prototype.hasOwnProperty.call(o, k);

/**
 * Problems, 403 at stage 'questionnaire-claims', for each metadata entry the claims do not
 * satisfy. Faults in the metadata list itself (unknown type, `length` together with
 * min_length/max_length, a length rule on a boolean) make the runner fail with 500 and come first.
 */
export function checkQuestionnaireMetadata(claims: Record<string, unknown>, metadataFields: readonly MetadataField[], version: PayloadVersion): RuleProblem[] {
  const crashes: RuleProblem[] = [];
  const refusals: RuleProblem[] = [];
  const crash = (code: string, path: string, message: string) =>
    crashes.push({ code, path, message, source: 'runner', status: 500, stage: 'questionnaire-claims' });
  const refuse = (code: string, path: string, message: string) =>
    refusals.push({ code, path, message, source: 'runner', status: 403, stage: 'questionnaire-claims' });

  const { data, prefix } = metadataContainer(claims, version);

  // The runner builds its validator from the whole list before reading any claim.
  const usable: MetadataField[] = [];
  for (const field of metadataFields) {
    if (!isPlainObject(field) || typeof field.name !== 'string') {
      crash('metadata.bad-field', '', `the questionnaire's metadata list has an entry without a name: ${JSON.stringify(field)}`);
      continue;
    }
    if (!isKnownMetadataType(field.type)) {
      crash(
        'metadata.unknown-type',
        prefix + field.name,
        `the questionnaire's metadata "${field.name}" has type ${JSON.stringify(field.type)}, which the runner does not know (${METADATA_TYPES.join(', ')})`,
      );
      continue;
    }
    if (field.length != null && (pyTruthy(field.min_length) || pyTruthy(field.max_length))) {
      crash('metadata.bad-length-rule', prefix + field.name, `the questionnaire's metadata "${field.name}" sets length together with min_length/max_length`);
      continue;
    }
    usable.push(field);
  }
  if (crashes.length) return crashes;

  for (const field of usable) {
    const path = prefix + field.name;
    const kind = field.type as RunnerFieldKind;
    let value = hasKey(data, field.name) ? data[field.name] : undefined;
    if (value === undefined) {
      if (!pyTruthy(field.optional)) {
        refuse('metadata.required', path, `${path} is required by the questionnaire (metadata "${field.name}", ${kindWords(kind)})`);
      }
      continue;
    }
    if (typeof value === 'string') value = pyStrip(value);
    const r = loadRunnerField(path, value, { kind }, 0);
    if (!r.ok) {
      refuse(r.code === 'claim.null' ? 'metadata.null' : 'metadata.type', path, r.message);
      continue;
    }
    const hasRule = hasKey(field, 'min_length') || hasKey(field, 'max_length') || hasKey(field, 'length');
    if (!hasRule) continue;
    if (typeof r.value === 'boolean') {
      crash('metadata.length-crash', path, `the questionnaire puts a length rule on the boolean "${field.name}"; the runner fails with 500`);
      continue;
    }
    // Length applies to the stored value: canonical UUIDs, zero-padded dates, isoformat() date-times.
    const len = pyLen(String(r.value));
    const { min_length: min, max_length: max, length: equal } = field;
    if (equal != null) {
      if (len !== equal) refuse('metadata.length', path, `${path} must be exactly ${equal} characters long (it has ${len})`);
    } else if (min != null && len < min) {
      refuse('metadata.length', path, `${path} must be at least ${min} characters long (it has ${len})`);
    } else if (max != null && len > max) {
      refuse('metadata.length', path, `${path} must be at most ${max} characters long (it has ${len})`);
    }
  }
  // A crash while loading escapes before the collected refusals are raised.
  return [...crashes, ...refusals];
}
