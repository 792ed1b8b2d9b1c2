import { type KeyboardEvent, useEffect, useId, useMemo, useRef, useState } from 'react';
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

/**
 * Where schemas come from, a search, and the list to pick from. runnerErrorShownAbove: the Launch
 * screen's first-run guide already says why the runner's list could not be read, and what to do.
 */
export function CataloguePanel({ runnerErrorShownAbove = false }: { runnerErrorShownAbove?: boolean } = {}) {
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
      <ErrorAlert message={runnerErrorShownAbove ? undefined : error} testId="catalogue-error" />
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
          A folder on {mode === 'browser' ? 'the machine running the console' : 'this machine'}; the runner loads these through schema_url: a picked schema is
          served by the local preview below.
        </p>
      )}
    </form>
  );
}

const keyOf = (s: SchemaSummary) => `${s.name}\u0000${s.origin}`;
/** Rows a Page Up or Page Down moves. */
const PAGE = 10;

/**
 * Picking a schema. A folder's files are on this machine, where the runner cannot read them: the
 * file is served by the local schema preview and the claims select its schema_url, as the Folder
 * source says. Other sources' schemas are picked as they are.
 */
function useSchemaPick() {
  const source = useConsole((s) => s.catalogue?.source ?? null);
  const select = useConsole((s) => s.selectSchema);
  const startPreview = useConsole((s) => s.startPreview);
  const toBuilder = useConsole((s) => s.builderToPreview);
  return async (schema: SchemaSummary) => {
    if (source?.kind !== 'folder') return select(schema, source);
    // A file that cannot be served says why in the preview block, below the list.
    if (await startPreview(schema.origin)) toBuilder();
  };
}

/**
 * The schemas, one line each, as one tab stop: Tab enters on the current (or last visited)
 * schema, the arrow keys, Home, End, Page Up and Page Down move, Enter or Space picks, and Tab
 * leaves for what follows (a roving tabindex over the row buttons).
 */
function SchemaList({ schemas }: { schemas: SchemaSummary[] }) {
  const query = useConsole((s) => s.catalogueQuery);
  const setQuery = useConsole((s) => s.setCatalogueQuery);
  const applied = useAppliedSchema();
  const pick = useSchemaPick();
  const groups = useMemo(() => groupSchemas(schemas, query), [schemas, query]);
  const flat = useMemo(() => groups.flatMap((g) => g.schemas), [groups]);
  const [activeKey, setActiveKey] = useState<string | null>(null);
  const listRef = useRef<HTMLDivElement>(null);
  const searchId = useId();
  const detailId = useId();

  const indexOf = (key: string | null) => (key === null ? -1 : flat.findIndex((s) => keyOf(s) === key));
  const currentIndex = applied ? flat.findIndex((s) => s.name === applied.name && s.origin === applied.origin) : -1;
  const activeIndex = [indexOf(activeKey), currentIndex, flat.length ? 0 : -1].find((i) => i >= 0) ?? -1;
  const active = activeIndex >= 0 ? flat[activeIndex] : null;

  function moveTo(index: number) {
    const to = Math.max(0, Math.min(flat.length - 1, index));
    if (!flat[to]) return;
    setActiveKey(keyOf(flat[to]));
    listRef.current?.querySelector<HTMLButtonElement>(`[data-row="${to}"]`)?.focus();
  }

  function onKeyDown(e: KeyboardEvent<HTMLDivElement>) {
    const moves: Record<string, number> = {
      ArrowDown: activeIndex + 1,
      ArrowUp: activeIndex - 1,
      PageDown: activeIndex + PAGE,
      PageUp: activeIndex - PAGE,
      Home: 0,
      End: flat.length - 1,
    };
    if (!(e.key in moves) || e.altKey || e.ctrlKey || e.metaKey) return;
    e.preventDefault();
    moveTo(moves[e.key]);
  }

  let row = 0;
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
        {query ? `${flat.length} of ${schemas.length} match.` : `${schemas.length} schemas.`} Arrow keys move, Enter picks.
      </p>
      <div className="schema-list" data-testid="schema-list" ref={listRef} onKeyDown={onKeyDown}>
        {groups.map((g) => (
          <section key={g.surveyType} className="schema-group" aria-label={`Survey type ${g.surveyType}`}>
            <h3 className="schema-group-title">
              {g.surveyType} <span className="count">({g.schemas.length})</span>
            </h3>
            <ul className="schema-items">
              {g.schemas.map((s) => {
                const index = row++;
                return (
                  <SchemaItem
                    key={keyOf(s)}
                    schema={s}
                    row={index}
                    tabbable={index === activeIndex}
                    current={index === currentIndex}
                    onFocus={() => setActiveKey(keyOf(s))}
                    onPick={() => void pick(s)}
                  />
                );
              })}
            </ul>
          </section>
        ))}
        {flat.length === 0 && <p className="empty">No schema matches.</p>}
      </div>
      {active && <SchemaDetail schema={active} id={detailId} />}
    </>
  );
}

interface SchemaItemProps {
  schema: SchemaSummary;
  row: number;
  tabbable: boolean;
  current: boolean;
  onFocus: () => void;
  onPick: () => void;
}

function SchemaItem({ schema, row, tabbable, current, onFocus, onPick }: SchemaItemProps) {
  const factsId = useId();
  return (
    <li className={current ? 'schema-item schema-item-current' : 'schema-item'} data-testid={`schema-${schema.name}`}>
      <button
        type="button"
        className="schema-pick"
        data-row={row}
        tabIndex={tabbable ? 0 : -1}
        aria-current={current || undefined}
        aria-describedby={factsId}
        title={`${schema.title || schema.name} (${schema.name})`}
        onFocus={onFocus}
        onClick={onPick}
      >
        <span className="schema-title">{schema.title || schema.name}</span>
        <code className="schema-name">{schema.name}</code>
        <span className="schema-need-count" aria-hidden="true">
          {schema.metadata.length}
        </span>
      </button>
      {/* Read with the row by assistive technology; the detail below the list shows it to the eye. */}
      <div className="visually-hidden" id={factsId}>
        <SchemaFacts schema={schema} />
        <MetadataNeeds schema={schema} />
      </div>
    </li>
  );
}

function SchemaFacts({ schema }: { schema: SchemaSummary }) {
  return (
    <span className="schema-facts">
      <code>{schema.name}</code> · {schema.theme} · survey {schema.surveyId ?? '—'}
      {schema.dataVersion && <> · data {schema.dataVersion}</>}
      {schema.language && schema.language !== 'en' && <> · {schema.language}</>}
    </span>
  );
}

function MetadataNeeds({ schema }: { schema: SchemaSummary }) {
  if (schema.metadata.length === 0) return <span className="need-none"> · no metadata</span>;
  return (
    <ul className="metadata-needs" aria-label={`Metadata of ${schema.name}`}>
      {schema.metadata.map((m) => (
        <li key={m.name} className={m.optional ? 'need need-optional' : 'need'} title={m.optional ? 'optional' : 'required'}>
          {m.name}:{m.type}
          {m.optional && <span className="need-mark">?</span>}
        </li>
      ))}
    </ul>
  );
}

/** The schema the list's focus is on, in full: the rows have room for its title and name only. */
function SchemaDetail({ schema, id }: { schema: SchemaSummary; id: string }) {
  return (
    <div className="schema-detail" id={id} data-testid="schema-detail" aria-hidden="true">
      <strong className="schema-detail-title">{schema.title || schema.name}</strong>
      <SchemaFacts schema={schema} />
      <MetadataNeeds schema={schema} />
    </div>
  );
}
