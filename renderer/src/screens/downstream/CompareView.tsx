import { createColumnHelper } from '@tanstack/react-table';
import type { Columns } from '../../components/SortableTable';
import { useEffect, useMemo, useState } from 'react';
import type { DownstreamItem } from '../../../../shared/downstream/types';
import { ErrorAlert } from '../../components/Alert';
import { TextCell } from '../../components/Cells';
import type { PayloadState } from '../../state/downstream-slice';
import { useConsole } from '../../state/store';
import { DataGrid } from './DataGrid';
import { diffPayloads, type AnswerChange, type ChangeKind, type FieldChange } from './model/diff';
import { canRead } from './model/items';
import { plural } from './labels';
import { TableTools } from './TableTools';
import { useGridTable } from './useGridTable';

const CHANGE_LABELS: Record<ChangeKind, string> = { added: 'added', removed: 'removed', changed: 'changed' };

const ChangeBadge = ({ change }: { change: ChangeKind }) => <span className={`badge change-${change}`}>{CHANGE_LABELS[change]}</span>;

/** Two payloads side by side: the older selection is "before", the newer "after", until swapped. */
export function CompareView({ items }: { items: [DownstreamItem, DownstreamItem] }) {
  const [swapped, setSwapped] = useState(false);
  const [before, after] = swapped ? [items[1], items[0]] : items;
  const a = useWholePayload(before.id);
  const b = useWholePayload(after.id);
  const unreadable = [before, after].filter((i) => !canRead(i));
  const ready = a?.status === 'ready' && b?.status === 'ready';
  const diff = useMemo(() => (ready ? diffPayloads(a.data, b.data) : null), [ready, a?.data, b?.data]);

  return (
    <section className="panel compare" aria-labelledby="compare-title" data-testid="compare">
      <div className="panel-head">
        <h2 id="compare-title" className="panel-title">
          Comparing two payloads
        </h2>
        <button type="button" className="button button-small" onClick={() => setSwapped(!swapped)}>
          Swap before and after
        </button>
      </div>
      <div className="compare-sides">
        <div className="compare-side">
          <span className="compare-side-label">Before</span>
          <span className="compare-source">{before.source}</span>
          {before.summary.txId && <code className="compare-tx">{before.summary.txId}</code>}
        </div>
        <span className="compare-arrow" aria-hidden="true">
          →
        </span>
        <div className="compare-side">
          <span className="compare-side-label">After</span>
          <span className="compare-source">{after.source}</span>
          {after.summary.txId && <code className="compare-tx">{after.summary.txId}</code>}
        </div>
      </div>
      {unreadable.map((i) => (
        <ErrorAlert key={i.id} message={`${i.source} could not be opened, so there is nothing to compare it by.`} />
      ))}
      {[a, b].map((p, i) => p?.status === 'error' && <ErrorAlert key={i} message={`Could not fetch a payload: ${p.error}`} />)}
      {unreadable.length === 0 && !diff && !(a?.status === 'error' || b?.status === 'error') && <p className="busy">Loading both payloads…</p>}
      {diff && (
        <>
          <p className="compare-counts" data-testid="compare-counts">
            <span className="badge change-added">{diff.added.toLocaleString('en-GB')} added</span>
            <span className="badge change-removed">{diff.removed.toLocaleString('en-GB')} removed</span>
            <span className="badge change-changed">{diff.changed.toLocaleString('en-GB')} changed</span>
            <span className="badge badge-neutral">{diff.unchanged.toLocaleString('en-GB')} the same</span>
            <span className="muted">
              {diff.compared === 'answers'
                ? 'answers, matched by answer_id and list_item_id'
                : diff.compared === 'qcodes'
                  ? 'answers by q_code'
                  : 'data fields'}
            </span>
          </p>
          {diff.answers.length > 0 ? <AnswerChanges changes={diff.answers} /> : <p className="muted">The answers are the same.</p>}
          <FieldChanges title="Envelope" changes={diff.envelope} testId="compare-envelope" />
          <FieldChanges title="Survey metadata" changes={diff.metadata} testId="compare-metadata" />
          <FieldChanges title="Lists" changes={diff.lists} testId="compare-lists" />
          <FieldChanges title="Answer codes" changes={diff.answerCodes} testId="compare-answer-codes" />
          <FieldChanges title="Supplementary data" changes={diff.supplementary} testId="compare-supplementary" />
        </>
      )}
    </section>
  );
}

/**
 * The payload with every answer: what the reader holds, or, for a payload whose answers come in
 * windows, the whole of it fetched from where it is held (a comparison looks at every answer).
 */
function useWholePayload(id: string): PayloadState | undefined {
  const entry = useConsole((s) => s.downstreamPayloads[id]);
  const fetchWhole = useConsole((s) => s.downstreamFullPayload);
  const paged = entry?.status === 'ready' && entry.paged === true;
  const [whole, setWhole] = useState<{ id: string; state: PayloadState } | null>(null);
  useEffect(() => {
    if (!paged) return;
    let cancelled = false;
    fetchWhole(id).then(
      (data) => !cancelled && setWhole({ id, state: { status: 'ready', data } }),
      (err: unknown) => !cancelled && setWhole({ id, state: { status: 'error', error: err instanceof Error ? err.message : String(err) } }),
    );
    return () => {
      cancelled = true;
    };
  }, [paged, id, fetchWhole]);
  if (!paged) return entry;
  return whole?.id === id ? whole.state : { status: 'loading' };
}

const column = createColumnHelper<AnswerChange & { id: string }>();

function AnswerChanges({ changes }: { changes: AnswerChange[] }) {
  const rows = useMemo(() => changes.map((c, i) => ({ ...c, id: String(i) })), [changes]);
  const columns = useMemo<Columns<AnswerChange & { id: string }>>(
    () => [
      column.accessor('change', { header: 'Change', meta: { width: '96px' }, cell: (c) => <ChangeBadge change={c.getValue()} /> }),
      column.accessor('answerId', {
        header: 'answer_id',
        meta: { width: 'minmax(160px, 1.2fr)' },
        cell: (c) => <TextCell text={c.getValue()} mono />,
      }),
      column.accessor('listItemId', {
        header: 'list_item_id',
        meta: { width: '108px' },
        cell: (c) => (c.getValue() ? <code>{c.getValue()}</code> : <span className="muted">—</span>),
      }),
      column.accessor('beforeText', { header: 'Before', meta: { width: 'minmax(180px, 2fr)' }, cell: (c) => <ValueText text={c.getValue()} kind="before" /> }),
      column.accessor('afterText', { header: 'After', meta: { width: 'minmax(180px, 2fr)' }, cell: (c) => <ValueText text={c.getValue()} kind="after" /> }),
    ],
    [],
  );
  const table = useGridTable(rows, columns, (r) => r.id);
  return (
    <div className="reader-section">
      <h3 className="block-title">Answers that differ</h3>
      <TableTools table={table} label="the answer changes" total={rows.length} testId="changes" />
      <DataGrid table={table} label="Answers that differ" testId="changes-table" rowTestId="change-row" />
    </div>
  );
}

function ValueText({ text, kind }: { text: string; kind: 'before' | 'after' }) {
  if (!text) return <span className="muted">(none)</span>;
  return (
    <span className={`cell-text value-${kind}`} title={text}>
      {text}
    </span>
  );
}

function FieldChanges({ title, changes, testId }: { title: string; changes: FieldChange[]; testId: string }) {
  return (
    <div className="reader-section" data-testid={testId}>
      <h3 className="block-title">
        {title} <span className="count">({changes.length ? plural(changes.length, 'difference') : 'the same'})</span>
      </h3>
      {changes.length > 0 && (
        <div className="table-wrap">
          <table className="data-table field-changes">
            <thead>
              <tr>
                <th scope="col">Field</th>
                <th scope="col">Change</th>
                <th scope="col">Before</th>
                <th scope="col">After</th>
              </tr>
            </thead>
            <tbody>
              {changes.map((c) => (
                <tr key={c.path}>
                  <td>
                    <code>{c.path}</code>
                  </td>
                  <td>
                    <ChangeBadge change={c.change} />
                  </td>
                  <td className="field-value">{c.beforeText || <span className="muted">(none)</span>}</td>
                  <td className="field-value">{c.afterText || <span className="muted">(none)</span>}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
