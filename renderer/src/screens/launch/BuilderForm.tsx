import { useId, useMemo } from 'react';
import { metadataFieldsFor } from '../../../../shared/launch/fields';
import type { LaunchPayload } from '../../../../shared/launch-types';
import { ErrorAlert } from '../../components/Alert';
import { SELECTIONS } from '../../../../shared/launch/selection';
import { selectedSchemaName, selectionOf } from '../../state/launch-slice';
import { useConsole } from '../../state/store';
import { ClaimField } from './ClaimField';
import { ContextFields } from './ContextFields';
import { IdFields, TimeFields } from './IdsAndTimes';
import { MetadataField } from './MetadataField';
import { FieldProblems } from './FieldProblems';
import { useSelectionProblems } from './problems';
import { useAppliedSchema } from './useAppliedSchema';
import { RunnerAccepts, useRunnerTakes } from './RunnerAccepts';
import { lacksFormType, NO_FORM_TYPE } from '../../../../shared/launch/form-type';

const PAYLOADS: { id: LaunchPayload; label: string; hint: string }[] = [
  { id: 'v2', label: 'v2', hint: 'the current runner' },
  { id: 'v1', label: 'v1', hint: 'runners before v14' },
  { id: 'legacy', label: 'legacy', hint: 'eq-survey-runner' },
];

/** The claims builder: every control reads from and writes to the one claims object. */
export function BuilderForm() {
  const loadError = useConsole((s) => s.launchErrors.load);
  const clearError = useConsole((s) => s.clearLaunchError);
  return (
    <section className="panel builder" aria-labelledby="builder-title" data-testid="builder">
      <h2 id="builder-title" className="panel-title">
        Claims
      </h2>
      <ErrorAlert message={loadError} onDismiss={() => clearError('load')} testId="builder-load-error" />
      <PayloadAndSchema />
      <MetadataSection />
      <IdFields />
      <TimeFields />
      <ContextFields />
    </section>
  );
}

function PayloadAndSchema() {
  const payload = useConsole((s) => s.payload);
  const setPayload = useConsole((s) => s.setPayload);
  const chosen = useConsole((s) => s.schema);
  const claims = useConsole((s) => s.claims);
  const setSelection = useConsole((s) => s.setSelection);
  const applied = useAppliedSchema();
  const selectId = useId();
  const selectionProblems = useSelectionProblems();
  const selection = selectionOf(claims, payload);
  const named = selectedSchemaName(claims);
  const options = SELECTIONS.filter((s) => s.payloads.includes(payload));
  const takes = useRunnerTakes();

  return (
    <fieldset className="fieldset">
      <legend>Payload and schema</legend>
      <div className="segmented" role="radiogroup" aria-label="Payload version">
        {PAYLOADS.map((p) => (
          <label key={p.id} className={payload === p.id ? 'segment segment-on' : 'segment'}>
            <input type="radio" name="payload" value={p.id} checked={payload === p.id} onChange={() => setPayload(p.id)} className="visually-hidden" />
            <span className="segment-label">{p.label}</span> <span className="segment-hint">{p.hint}</span>
            {takes(p.id) && (
              <span className="segment-hint" data-testid={`runner-takes-${p.id}`}>
                {' '}
                · {takes(p.id)}
              </span>
            )}
          </label>
        ))}
      </div>
      <RunnerAccepts />
      <div className="chosen-schema" data-testid="chosen-schema">
        {applied ? (
          <>
            <strong>{applied.title}</strong> <code>{applied.name}</code>{' '}
            <span className="muted">
              {applied.theme} · survey {applied.surveyId ?? '—'}
            </span>
          </>
        ) : chosen && (named.name || named.url) ? (
          <span className="warning-inline">
            The claims select {named.url ? <code>{named.url}</code> : <code>{named.name}</code>}, which is not in the catalogue: its metadata is not checked.
          </span>
        ) : (
          <span className="muted">No schema chosen: pick one in the catalogue, or type a selection below.</span>
        )}
        {payload === 'v1' && lacksFormType(claims) && (
          <p className="warning-inline" data-testid="v1-form-type-warning">
            {NO_FORM_TYPE.charAt(0).toUpperCase() + NO_FORM_TYPE.slice(1)}: give one under “Also required by the v1 format”.
          </p>
        )}
        {payload === 'v1' && applied?.schemaUrl && (
          <p className="warning-inline" data-testid="v1-url-warning">
            v1 has no claim for a schema URL: the runner will look for <code>{applied.name}</code> among its own schemas. Launch a preview or a URL schema with
            v2 (schema_url) or legacy (survey_url).
          </p>
        )}
      </div>
      <div className="field-grid">
        <div className="field">
          <label htmlFor={selectId}>Select the schema by</label>
          <select
            id={selectId}
            value={selection}
            disabled={options.length < 2}
            aria-describedby={selectionProblems.length ? `${selectId}-problems` : undefined}
            onChange={(e) => setSelection(e.target.value as typeof selection)}
          >
            {options.map((o) => (
              <option key={o.id} value={o.id}>
                {o.label}
              </option>
            ))}
          </select>
          <FieldProblems problems={selectionProblems} id={`${selectId}-problems`} />
        </div>
        {selection === 'schema_name' && <ClaimField label="schema_name" path="schema_name" kind="string" />}
        {selection === 'schema_url' && <ClaimField label="schema_url" path="schema_url" kind="url" />}
        {selection === 'cir_instrument_id' && (
          <ClaimField
            label="cir_instrument_id"
            path="cir_instrument_id"
            kind="uuid"
            hint="The console cannot reach the registry, so metadata is checked against the chosen schema."
          />
        )}
        {selection === 'eq_id' && (
          <>
            <ClaimField label="eq_id" path="eq_id" kind="string" />
            <ClaimField label="form_type" path="form_type" kind="string" hint="The runner loads <eq_id>_<form_type>." />
          </>
        )}
        {payload === 'legacy' && claims.survey_url !== undefined && (
          <ClaimField label="survey_url" path="survey_url" kind="url" hint="Where a first-generation runner fetches the schema (seed 001)." />
        )}
      </div>
    </fieldset>
  );
}

function MetadataSection() {
  const payload = useConsole((s) => s.payload);
  const schema = useAppliedSchema();
  const fields = useMemo(() => metadataFieldsFor(schema ?? undefined, payload), [schema, payload]);
  const own = fields.filter((f) => f.source === 'schema');
  const extra = fields.filter((f) => f.source === 'payload');
  return (
    <fieldset className="fieldset" data-testid="metadata-fields">
      <legend>Questionnaire metadata {payload === 'v2' ? <code className="legend-path">survey_metadata.data</code> : null}</legend>
      {own.length > 0 ? (
        <div className="field-grid">
          {own.map((f) => (
            <MetadataField key={f.path} field={f} />
          ))}
        </div>
      ) : (
        <p className="field-hint">{schema ? 'This schema asks for no metadata.' : 'Pick a schema to see the metadata it asks for.'}</p>
      )}
      {extra.length > 0 && (
        <details className="extra-metadata" open={payload !== 'v2'}>
          <summary>
            {payload === 'v2' ? 'Also in the spec’s metadata shape for this theme' : `Also required by the ${payload} format`} ({extra.length})
          </summary>
          <div className="field-grid">
            {extra.map((f) => (
              <MetadataField key={f.path} field={f} />
            ))}
          </div>
        </details>
      )}
    </fieldset>
  );
}
