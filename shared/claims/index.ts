// Pure claim-checking rules shared by the services, the CLI and the renderer (no Node imports).
export { classifyPayload, hasFlusherRole, hasSchemaSelection } from './classify';
export {
  isIsoDate,
  isIsoDateTime,
  isSpecUuid,
  isUri,
  isUrl,
  isUuid,
  JSON_SCHEMA_FORMATS,
  parseRunnerBoolean,
  parseRunnerDate,
  parseRunnerDateTime,
  parseRunnerUuid,
  pyStrip,
  type JsonSchemaFormat,
  type RunnerDateTime,
} from './formats';
export { checkFlush } from './flush-rules';
export { checkQuestionnaireMetadata, isKnownMetadataType, METADATA_TYPES, metadataContainer, type MetadataField, type MetadataType } from './metadata-rules';
export { decidingProblem, predictRunnerStatus, verdict } from './predict';
export { checkRunner, checkTokenClaims, type RunnerContext } from './runner-rules';
export { checkSpecV1, checkSpecV2 } from './spec-rules';
