import { useEffect, useId, useMemo } from 'react';
import type { SchemaSummary } from '../../../../shared/launch-types';
import { ErrorAlert } from '../../components/Alert';
import { groupSchemas, type CatalogueSourceKind } from '../../state/catalogue-slice';
import { useConsole } from '../../state/store';
import { SchemaPreviewPanel } from './SchemaPreviewPanel';
import { useAppliedSchema } from './useAppliedSchema';

const SOURCES: { id: CatalogueSourceKind; label: string }[] = [
  { id: 'runner', label: 'Runner' },
  { id: 'folder', label: 'Folder' },
  { id: 'url', label: 'URL' },
];

/** Where schemas come from, a search, and the list to pick from. */
export function CataloguePanel() {
  const catalogue = useConsole((s) => s.catalogue);
  const loading = useConsole((s) => s.catalogueLoading);
  const error = useConsole((s) => s.catalogueErrors.catalogue);
  const loadCatalogue = useConsole((s) => s.loadCatalogue);
  const hasInfo = useConsole((s) => s.info !== null);

  // The first visit reads the active runner's list; later visits keep what was loaded (or the error).
  const firstVisit = hasInfo && !catalogue && !loading && !error;
  useEffect(() => {
    if (firstVisit) void loadCatalogue();
  }, [firstVisit, loadCatalogue]);

  return (
    <section className="panel catalogue" aria-labelledby="catalogue-title" data-testid="catalogue">
      <h2 id="catalogue-title" className="panel-title">
        Schemas {catalogue && <span className="count">({catalogue.schemas.length})</span>}
      </h2>
      <SourcePicker />
      <ErrorAlert message={error} testId="catalogue-error" />
      {loading && <p className="busy">Loading schemas…</p>}
      {catalogue && <SchemaList schemas={catalogue.schemas} />}
      {catalogue && catalogue.problems.length > 0 && (
        <details className="catalogue-problems">
          <summary>{catalogue.problems.length} listed but unreadable</summary>
          <ul>
            {catalogue.problems.map((p) => (
              <li key={p.name}>
                <code>{p.name}</code>: {p.reason}
              </li>
            ))}
          </ul>
        </details>
      )}
      <SchemaPreviewPanel />
    </section>
  );
}

function SourcePicker() {
  const kind = useConsole((s) => s.sourceKind);
  const setKind = useConsole((s) => s.setSourceKind);
  const folder = useConsole((s) => s.folderPath);
  const setFolder = useConsole((s) => s.setFolderPath);
  const url = useConsole((s) => s.sourceUrl);
  const setUrl = useConsole((s) => s.setSourceUrl);
  const runnerUrl = useConsole((s) => s.info?.activeEnvironment.runnerUrl);
  const mode = useConsole((s) => s.info?.mode);
  const loading = useConsole((s) => s.catalogueLoading);
  const load = useConsole((s) => s.loadCatalogue);
  const inputId = useId();

  return (
    <form
      className="source-picker"
      onSubmit={(e) => {
        e.preventDefault();
        void load();
      }}
    >
      <div className="segmented" role="radiogroup" aria-label="Schema source">
        {SOURCES.map((s) => (
          <label key={s.id} className={kind === s.id ? 'segment segment-on' : 'segment'}>
            <input
              type="radio"
              name="schema-source"
              className="visually-hidden"
              value={s.id}
              checked={kind === s.id}
              onChange={() => {
                setKind(s.id);
                if (s.id === 'runner') void load();
              }}
            />
            <span className="segment-label">{s.label}</span>
          </label>
        ))}
      </div>
      {kind === 'runner' ? (
        <div className="inline-form">
          <code className="source-url" title={runnerUrl}>
            {runnerUrl ?? '…'}/schemas
          </code>
          <button type="submit" className="button button-small" disabled={loading}>
            Reload
          </button>
        </div>
      ) : (
        <div className="inline-form">
          <label htmlFor={inputId} className="visually-hidden">
            {kind === 'folder' ? 'Folder of schema files' : 'Schema or schema list URL'}
          </label>
          <input
            id={inputId}
            className="text-input"
            spellCheck={false}
            autoComplete="off"
            placeholder={kind === 'folder' ? '/home/me/eq-questionnaire-runner/schemas' : 'https://…/schemas'}
            value={kind === 'folder' ? folder : url}
            onChange={(e) => (kind === 'folder' ? setFolder(e.target.value) : setUrl(e.target.value))}
          />
          <button type="submit" className="button button-small" disabled={loading}>
            Load
          </button>
        </div>
      )}
      {kind === 'folder' && (
        <p className="field-hint">
          A folder on {mode === 'browser' ? 'the machine running the console' : 'this machine'}; the runner loads these through schema_url.
        </p>
      )}
    </form>
  );
}

function SchemaList({ schemas }: { schemas: SchemaSummary[] }) {
  const query = useConsole((s) => s.catalogueQuery);
  const setQuery = useConsole((s) => s.setCatalogueQuery);
  const groups = useMemo(() => groupSchemas(schemas, query), [schemas, query]);
  const shown = groups.reduce((n, g) => n + g.schemas.length, 0);
  const searchId = useId();
  return (
    <>
      <div className="field catalogue-search">
        <label htmlFor={searchId} className="visually-hidden">
          Search schemas
        </label>
        <input
          id={searchId}
          type="search"
          className="text-input"
          placeholder="Search title, name, survey id, theme"
          value={query}
          onChange={(e) => setQuery(e.target.value)}
          data-testid="catalogue-search"
        />
      </div>
      <p className="field-hint" aria-live="polite">
        {query ? `${shown} of ${schemas.length} match.` : `${schemas.length} schemas.`} Metadata as name:type, ? when optional.
      </p>
      <div className="schema-list" data-testid="schema-list">
        {groups.map((g) => (
          <section key={g.surveyType} className="schema-group" aria-label={`Survey type ${g.surveyType}`}>
            <h3 className="schema-group-title">
              {g.surveyType} <span className="count">({g.schemas.length})</span>
            </h3>
            <ul className="schema-items">
              {g.schemas.map((s) => (
                <SchemaItem key={`${s.name}-${s.origin}`} schema={s} />
              ))}
            </ul>
          </section>
        ))}
        {shown === 0 && <p className="empty">No schema matches.</p>}
      </div>
    </>
  );
}

function SchemaItem({ schema }: { schema: SchemaSummary }) {
  const applied = useAppliedSchema();
  const source = useConsole((s) => s.catalogue?.source ?? null);
  const select = useConsole((s) => s.selectSchema);
  const current = applied?.name === schema.name && applied.origin === schema.origin;
  const factsId = useId();
  return (
    <li className={current ? 'schema-item schema-item-current' : 'schema-item'} data-testid={`schema-${schema.name}`}>
      <button type="button" className="schema-pick" aria-current={current || undefined} aria-describedby={factsId} onClick={() => select(schema, source)}>
        {schema.title || schema.name}
      </button>
      <div className="schema-facts" id={factsId}>
        <code>{schema.name}</code> · {schema.theme} · survey {schema.surveyId ?? '—'}
        {schema.dataVersion && <> · data {schema.dataVersion}</>}
        {schema.language && schema.language !== 'en' && <> · {schema.language}</>}
      </div>
      {schema.metadata.length > 0 && (
        <ul className="metadata-needs" aria-label={`Metadata of ${schema.name}`}>
          {schema.metadata.map((m) => (
            <li key={m.name} className={m.optional ? 'need need-optional' : 'need'} title={m.optional ? 'optional' : 'required'}>
              {m.name}:{m.type}
              {m.optional && <span className="need-mark">?</span>}
            </li>
          ))}
        </ul>
      )}
    </li>
  );
}
