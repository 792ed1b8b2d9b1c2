// The string rules of ons-schema-definitions' common/definitions.json and the two metadata shapes
// of common/survey_metadata.json, written once as data. The launch spec rules (shared/claims) and
// the downstream validators (shared/downstream) each turn them into checks their own way, so
// both say the same thing about the same field. Patterns are the spec's, with the "u" flag ajv
// adds, and stay unanchored where the spec leaves them unanchored.

export interface Pattern {
  re: RegExp;
  /** What the value must look like, in words. */
  says: string;
}

export type SpecFormat = 'uri' | 'date' | 'date-time';

export interface StringRule {
  minLength?: number;
  maxLength?: number;
  pattern?: Pattern;
  format?: SpecFormat;
  enum?: readonly string[];
  const?: string;
}

export { SPEC_UUID } from '../claims/formats';

export const DEFS = {
  anyString: {},
  nonEmpty: { minLength: 1 },
  date: { format: 'date' },
  dateTime: { format: 'date-time' },
  uri: { format: 'uri' },
  languageCode: { enum: ['en', 'cy', 'ga', 'eo'] },
  caseType: { pattern: { re: /[A-Z]+/u, says: 'contain a capital letter A-Z somewhere (the pattern is unanchored)' } },
  formType: { pattern: { re: /^[0-9A-Za-z_]+$/u, says: 'use only letters, digits and underscores' } },
  regionCode: { pattern: { re: /^(GB-)[A-Z]{3}$/u, says: 'be GB- and three capital letters, e.g. GB-ENG' } },
  ruRef: { minLength: 12, pattern: { re: /^[a-zA-Z0-9]+[A-Za-z]$/u, says: 'be letters and digits ending with a check letter' } },
  schemaName: {
    pattern: { re: /[a-z0-9]_[a-z0-9]/u, says: 'contain lower-case letters or digits either side of an underscore somewhere (the pattern is unanchored)' },
  },
  surveyId: { minLength: 1, pattern: { re: /^[0-9a-z]+$/u, says: 'use only digits and lower-case letters' } },
  qid: { pattern: { re: /[0-9]{16}/u, says: 'contain 16 digits in a row somewhere (the pattern is unanchored, so longer values pass)' } },
} as const satisfies Record<string, StringRule>;

/** A field of a metadata shape: a string rule, or the spec's UUID ($defs/uuid). */
export type FieldRule = StringRule | 'uuid';

export interface MetadataShape {
  label: string;
  properties: readonly (readonly [string, FieldRule])[];
  required: readonly string[];
}

export const BUSINESS_METADATA: MetadataShape = {
  label: 'business',
  properties: [
    ['case_ref', DEFS.nonEmpty],
    ['case_type', DEFS.caseType],
    ['display_address', DEFS.nonEmpty],
    ['employment_date', DEFS.date],
    ['form_type', DEFS.formType],
    ['period_id', DEFS.nonEmpty],
    ['period_str', DEFS.nonEmpty],
    ['ref_p_end_date', DEFS.date],
    ['ref_p_start_date', DEFS.date],
    ['ru_name', DEFS.nonEmpty],
    ['ru_ref', DEFS.ruRef],
    ['trad_as', DEFS.nonEmpty],
    ['user_id', DEFS.nonEmpty],
    ['survey_id', DEFS.surveyId],
    ['sds_dataset_id', 'uuid'],
  ],
  required: ['ru_name', 'user_id', 'period_id', 'form_type', 'ru_ref', 'survey_id'],
};

export const ADHOC_METADATA: MetadataShape = {
  label: 'ad-hoc',
  properties: [
    ['case_ref', DEFS.nonEmpty],
    ['qid', DEFS.qid],
    ['BLOOD_TEST_BARCODE', DEFS.anyString],
    ['SWAB_TEST_BARCODE', DEFS.anyString],
    ['PARTICIPANT_ID', { minLength: 1, maxLength: 17 }],
    ['PARTICIPANT_WINDOW_ID', { minLength: 1, maxLength: 21 }],
    ['TEST_QUESTIONS', { enum: ['T', 'F'] }],
    ['COLLEX_OPEN_DATE', DEFS.nonEmpty],
    ['COLLEX_CLOSE_DATE', DEFS.nonEmpty],
    ['FIRST_NAME', DEFS.nonEmpty],
    ['WINDOW_START_DATE', DEFS.date],
    ['WINDOW_CLOSE_DATE', DEFS.date],
    ['PORTAL_ID', { minLength: 1, maxLength: 7, pattern: { re: /^[0-9]+$/u, says: 'be digits only' } }],
  ],
  required: ['qid', 'PARTICIPANT_WINDOW_ID', 'PORTAL_ID'],
};
