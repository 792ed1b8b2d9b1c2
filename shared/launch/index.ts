// The launch claims builder: pure, shared by the renderer's form, the services and the CLI.
export {
  applyClaimEdits,
  buildLaunchClaims,
  convertAndRemember,
  convertClaims,
  DEFAULT_ACCOUNT_SERVICE_URL,
  DEFAULT_LIFETIME_SECONDS,
  defaultResponseExpiry,
  defaultLanguage,
  defaultReceiptingKeys,
  newClaims,
  newResponseId,
  refreshIds,
  RESPONSE_LIFETIME_SECONDS,
  type ClaimEdits,
  type ClaimParts,
  type ConversionMemory,
  type ConvertOptions,
  type NewClaimsOptions,
  type RefreshOptions,
  type SchemaSelection,
} from './build';
export { checkLaunch, conclude, launchProblems, type CheckOptions } from './check';
export { metadataDefaults, sampleString, themeGroup, typedDefault, type DefaultsContext, type ThemeGroup } from './defaults';
export { asMetadataField, metadataFieldsFor, metadataPath, type MetadataConstraints, type MetadataFieldDescriptor } from './fields';
export {
  relaunchClaims,
  respondentFromClaims,
  respondentFromPayload,
  REUSE_WARNING,
  runnerAddedMetadata,
  withResponseId,
  type LaunchFacts,
  type RelaunchOptions,
  type Respondent,
  type RespondentRelaunch,
} from './from-respondent';
export { downstreamNotes, lacksFormType, NO_FORM_TYPE, v1FormType } from './form-type';
export { deepMerge, getAt, setAt } from './paths';
export { isoDate, isoDateTime, randomDigits, randomUuid } from './random';
export { defaultSelection, schemaNameFromUrl, schemaNameOf, schemaUrlOf, selectionFor, SELECTIONS, splitSchemaName, type SelectionKind } from './selection';
export { textClaimPaths, typedClaimValue } from './set-value';
