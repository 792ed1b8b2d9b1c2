// What the console needs to know about a questionnaire schema, read from its JSON.
import type { MetadataField } from '../../../shared/claims/metadata-rules';
import type { SchemaSummary } from '../../../shared/launch-types';
import { isPlainObject } from '../../../shared/claims/formats';

const text = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() ? v : undefined);

/** A questionnaire schema rather than some other JSON (package.json, a launch example …). */
export function looksLikeQuestionnaire(json: unknown): json is Record<string, unknown> {
  return (
    isPlainObject(json) &&
    (Array.isArray(json.metadata) || Array.isArray(json.sections) || Array.isArray(json.questionnaire_flow) || isPlainObject(json.questionnaire_flow))
  );
}

export interface SummaryPlace {
  name: string;
  surveyType: string;
  /** From the source's layout; the schema's own "language" key is used when this is absent. */
  language?: string;
  origin: string;
  schemaUrl?: string;
}

export function summariseSchema(json: Record<string, unknown>, place: SummaryPlace): SchemaSummary {
  // The runner's metadata parser drops nothing, so neither does the summary: odd entries stay for
  // the launch check to explain.
  const metadata = Array.isArray(json.metadata) ? (json.metadata as MetadataField[]) : [];
  const summary: SchemaSummary = {
    name: place.name,
    surveyType: place.surveyType,
    title: text(json.title) ?? place.name,
    theme: text(json.theme) ?? 'default',
    metadata,
    origin: place.origin,
  };
  const language = place.language ?? text(json.language);
  if (language) summary.language = language;
  const surveyId = text(json.survey_id);
  if (surveyId) summary.surveyId = surveyId;
  const formType = text(json.form_type);
  if (formType) summary.formType = formType;
  const dataVersion = text(json.data_version);
  if (dataVersion) summary.dataVersion = dataVersion;
  if (place.schemaUrl) summary.schemaUrl = place.schemaUrl;
  return summary;
}
