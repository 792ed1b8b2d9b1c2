// Default values for questionnaire metadata: first by name, as the eq-questionnaire-launcher
// fills them for the schema's theme, then by the runner's metadata type. A named value is
// only used when the runner would accept it for the field as the schema declares it, so a
// schema that makes "ru_ref" a uuid still gets a launchable value.
import { checkQuestionnaireMetadata, type MetadataField } from '../claims/metadata-rules';
import { isoDate, isoDateTime, randomDigits, randomUuid } from './random';

/**
 * Which family of metadata a theme's surveys carry. social and health surveys are ad hoc
 * (qid and the PHM participant fields, receipted by qid); every other theme, "default"
 * included, is a business survey (ru_ref, ru_name, period_id …).
 */
export type ThemeGroup = 'business' | 'social' | 'default';

export function themeGroup(theme: string | undefined): ThemeGroup {
  const t = (theme ?? '').trim().toLowerCase();
  if (t === 'social' || t === 'health') return 'social';
  if (t === '' || t === 'default') return 'default';
  return 'business';
}

export interface DefaultsContext {
  theme?: string;
  /** The schema's survey_id and form_type, when it has them. */
  surveyId?: string;
  formType?: string;
  nowSeconds: number;
}

type Named = (ctx: DefaultsContext, memo: Map<string, unknown>) => unknown;

const fixed =
  (value: unknown): Named =>
  () =>
    value;
/** Made once per set of defaults, so related fields agree (the window id contains the participant id). */
const once =
  (name: string, make: Named): Named =>
  (ctx, memo) => {
    if (!memo.has(name)) memo.set(name, make(ctx, memo));
    return memo.get(name);
  };

const ENTERPRISE = 'ESSENTIAL ENTERPRISE LTD.';

// Business surveys: the values the launcher and the runner's own test fixtures use.
const BUSINESS: Record<string, Named> = {
  ru_ref: fixed('12345678901A'),
  ru_name: fixed(ENTERPRISE),
  trad_as: fixed(ENTERPRISE),
  user_id: fixed('UNKNOWN'),
  period_id: fixed('201605'),
  period_str: fixed('May 2016'),
  form_type: (ctx) => ctx.formType ?? '0001',
  survey_id: (ctx) => ctx.surveyId,
  ref_p_start_date: fixed('2016-05-01'),
  ref_p_end_date: fixed('2016-05-31'),
  employment_date: fixed('2016-06-10'),
  return_by: fixed('2016-06-12'),
  complete_by: fixed('2016-06-12'),
  display_address: fixed('68 Abingdon Road, Goathill'),
  case_ref: fixed('1000000000000001'),
  case_type: fixed('B'),
  sds_dataset_id: once('sds_dataset_id', () => randomUuid()),
};

// Ad hoc (social, health) surveys: the spec's adhoc_metadata shape (common/survey_metadata.json
// and the limits in common/definitions.json).
const SOCIAL: Record<string, Named> = {
  qid: once('qid', () => randomDigits(16)),
  // ≤ 17 characters; the window id is it plus "-" and 3 digits (≤ 21).
  PARTICIPANT_ID: once('PARTICIPANT_ID', () => `ABC-${randomDigits(11)}`),
  PARTICIPANT_WINDOW_ID: once('PARTICIPANT_WINDOW_ID', (ctx, memo) => `${SOCIAL.PARTICIPANT_ID!(ctx, memo) as string}-${randomDigits(3)}`),
  // 1 to 7 digits.
  PORTAL_ID: once('PORTAL_ID', () => randomDigits(7)),
  FIRST_NAME: fixed('John'),
  TEST_QUESTIONS: fixed('F'),
  WINDOW_START_DATE: fixed('2016-05-01'),
  WINDOW_CLOSE_DATE: fixed('2016-05-31'),
  COLLEX_OPEN_DATE: fixed('01 May 2016'),
  COLLEX_CLOSE_DATE: fixed('31 May 2016'),
  BLOOD_TEST_BARCODE: once('BLOOD_TEST_BARCODE', () => `BLT${randomDigits(8)}`),
  SWAB_TEST_BARCODE: once('SWAB_TEST_BARCODE', () => `SWT${randomDigits(8)}`),
  case_ref: fixed('1000000000000001'),
};

/** How this theme names a default for the key, or undefined when the name is not known. */
function named(name: string, ctx: DefaultsContext): Named | undefined {
  const own = themeGroup(ctx.theme) === 'social' ? SOCIAL : BUSINESS;
  const other = own === SOCIAL ? BUSINESS : SOCIAL;
  return own[name] ?? other[name];
}

const SAMPLE = 'Sample text';
const FILLER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';

/**
 * A string the runner's length rules accept. Built from letters only when a length is imposed:
 * the runner strips whitespace before measuring, so a cut "Sample " would come up short.
 */
export function sampleString(rule: Pick<MetadataField, 'length' | 'min_length' | 'max_length'> = {}): string {
  const { length, min_length: min, max_length: max } = rule;
  const sized = (n: number) => FILLER.repeat(Math.ceil(Math.max(n, 0) / FILLER.length) + 1).slice(0, Math.max(n, 0));
  if (typeof length === 'number') return sized(length);
  if (typeof max === 'number' && SAMPLE.length > max) return sized(Math.max(max, typeof min === 'number' ? min : 0));
  if (typeof min === 'number' && SAMPLE.length < min) return sized(min);
  return SAMPLE;
}

/** A value of the runner's metadata type, fresh where freshness matters (dates are today). */
export function typedDefault(field: Pick<MetadataField, 'type' | 'length' | 'min_length' | 'max_length'>, nowSeconds: number): unknown {
  switch (field.type) {
    case 'boolean':
      return false;
    case 'date':
      return isoDate(nowSeconds);
    case 'uuid':
      return randomUuid();
    case 'url':
      return 'https://example.com';
    case 'iso_8601_date_string':
      return isoDateTime(nowSeconds);
    default:
      return sampleString(field);
  }
}

/** Whether the runner would accept the value for this metadata field (type and length rules). */
function fits(field: MetadataField, value: unknown): boolean {
  return checkQuestionnaireMetadata({ [field.name]: value }, [{ ...field, optional: false }], 'v1').length === 0;
}

/**
 * Default values for a set of metadata fields: the theme's named value when it fits the field,
 * else a value of the field's type. An optional field whose named value is unknown here (survey_id
 * without a schema to take it from) is left out rather than invented.
 */
export function metadataDefaults(fields: readonly MetadataField[], ctx: DefaultsContext): Record<string, unknown> {
  const memo = new Map<string, unknown>();
  const out: Record<string, unknown> = {};
  for (const field of fields) {
    const value = named(field.name, ctx)?.(ctx, memo);
    if (value !== undefined && fits(field, value)) out[field.name] = value;
    else if (value === undefined && field.optional) continue;
    else out[field.name] = typedDefault(field, ctx.nowSeconds);
  }
  return out;
}
