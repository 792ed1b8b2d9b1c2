import { createColumnHelper, type Row, type Table } from '@tanstack/react-table';
import type { Columns } from '../../components/SortableTable';
import { useEffect, useLayoutEffect, useMemo, useState, useSyncExternalStore } from 'react';
import { AnswerTable, queryKey, type AnswerColumn, type AnswerEntry, type AnswerQuery } from '../../../../shared/downstream/answer-table';
import { isObj } from '../../../../shared/downstream/check';
import { ErrorAlert } from '../../components/Alert';
import { TextCell, TextOrDash } from '../../components/Cells';
import type { AnswersOf } from '../../state/downstream-slice';
import { downloadExport } from '../keys/download';
import { AnswerValue } from './AnswerValue';
import { DataGrid, type PagedItems } from './DataGrid';
import { AnswerPager } from './model/answer-pager';
import { answerCodesCsv, keyValueCsv } from './model/csv';
import { itemNamer, itemPlaces, type AnswerCode, type AnswerRow, type DisplayRow, type ListInfo } from './model/answers';
import { TableTools } from './TableTools';
import { numbersThenText, useGridQuery, useGridTable, useHeldQueryTable } from './useGridTable';

export interface Highlight {
  id: string;
  nonce: number;
}

/** When the highlighted row is hidden by the filter, the filter goes: the user asked to see that row. */
function useRevealHighlight<T>(table: Table<T>, highlight: Highlight | null | undefined) {
  useLayoutEffect(() => {
    if (!highlight || !table.getState().globalFilter) return;
    if (!table.getRowModel().rows.some((r) => r.id === highlight.id)) table.setGlobalFilter('');
    // A new highlight (its nonce) reveals; a filter the user types afterwards stays.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [highlight?.nonce]);
}

// ---------------------------------------------------------------------------------------------
// Answers (0.0.3)

const answer = createColumnHelper<AnswerRow>();

/**
 * The answers a table shows: a payload the page holds whole (up to PAGED_ANSWERS answers), or one
 * whose answers are held where it was opened and come in windows (the services, the page's worker).
 */
export type AnswersInput = { kind: 'memory'; data: unknown } | { kind: 'paged'; answers: AnswersOf };

const noSubscribe = () => () => {};
const noSnapshot = () => null;

/**
 * Sorting, filtering and grouping are a query (shared/downstream/answer-table.ts) answered over row
 * numbers, by the page for a payload it holds and by the holder for a big one; only the rows in
 * view (and a few pages around them) ever become row objects.
 */
export function AnswersTable({
  answers,
  lists,
  exportStem,
  highlight,
}: {
  answers: AnswersInput;
  lists: ListInfo[];
  exportStem: string;
  highlight?: Highlight | null;
}) {
  const name = useMemo(() => itemNamer(itemPlaces(lists)), [lists]);
  const [grouped, setGrouped] = useState(true);
  const [failure, setFailure] = useState<string | null>(null);
  const columns = useMemo<Columns<AnswerRow>>(
    () => [
      answer.accessor('index', { header: 'Index', meta: { numeric: true, width: '76px' } }),
      answer.accessor('answerId', { header: 'answer_id', meta: { width: 'minmax(180px, 1.3fr)' }, cell: (c) => <TextCell text={c.getValue()} mono /> }),
      answer.accessor('list', { header: 'List', meta: { width: 'minmax(90px, 0.6fr)' }, cell: (c) => <TextOrDash text={c.getValue()} /> }),
      answer.accessor('listItemId', {
        header: 'list_item_id',
        meta: { width: '112px' },
        cell: (c) => <TextOrDash text={c.getValue()} mono />,
      }),
      answer.accessor((r) => (r.shape === 'number' ? (r.value as number) : r.text), {
        id: 'value',
        header: 'Value',
        meta: { width: 'minmax(240px, 2.6fr)' },
        cell: (c) => {
          const r = c.row.original;
          return <AnswerValue value={r.value} shape={r.shape} text={r.text} name={name} />;
        },
      }),
    ],
    [name],
  );

  // A payload the page holds is answered here, in the render; a big one by its pager.
  const memory = useMemo(() => (answers.kind === 'memory' ? new AnswerTable(isObj(answers.data) ? answers.data : undefined) : null), [answers]);
  const pager = useMemo(() => (answers.kind === 'paged' ? new AnswerPager(answers.answers.source, answers.answers.initial) : null), [answers]);
  const snapshot = useSyncExternalStore(pager ? pager.subscribe : noSubscribe, pager ? pager.getSnapshot : noSnapshot);
  const q = useGridQuery();
  const query = useMemo<AnswerQuery>(
    () => ({ filter: q.globalFilter, sort: q.sorting.map((s) => ({ id: s.id as AnswerColumn, desc: s.desc })), grouped }),
    [q.globalFilter, q.sorting, grouped],
  );
  const held = useMemo(() => (memory ? memory.page({ ...query, start: 0, end: Infinity }) : null), [memory, query]);
  useEffect(() => pager?.setQuery(query), [pager, query]);
  const counts = held ?? snapshot?.counts ?? null;
  const data = useMemo(() => (held ? held.entries.flatMap((e) => (e.kind === 'row' ? [e.row] : [])) : [...(snapshot?.rows ?? [])]), [held, snapshot]);
  const table = useHeldQueryTable(data, columns, (r) => String(r.index), q);
  const rowsById = table.getRowModel().rowsById;
  const toItem = (e: AnswerEntry | undefined): DisplayRow<Row<AnswerRow>> | undefined => {
    if (!e || e.kind === 'heading') return e;
    const row = rowsById[e.key];
    return row ? { kind: 'row', row, key: e.key } : undefined;
  };
  const items = held ? held.entries.map((e) => toItem(e)!) : undefined;

  // A problem's row: found among what the query shows; when the filter hides it, the filter goes.
  // Where the row is, in the query it was looked for in: it is drawn there once that query shows.
  const [found, setFound] = useState<{ key: string; position: number } | null>(null);
  useLayoutEffect(() => {
    if (!highlight || !memory || !query.filter) return;
    if (memory.page({ ...query, start: 0, end: 0, find: Number(highlight.id) }).position! < 0) q.setGlobalFilter('');
    // A new highlight (its nonce) reveals; a filter the user types afterwards stays.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [highlight?.nonce]);
  useEffect(() => {
    if (!highlight || !pager) return;
    let cancelled = false;
    const row = Number(highlight.id);
    setFound(null);
    void (async () => {
      let where = query;
      let position = await pager.find(row, where);
      if (position < 0 && where.filter) {
        q.setGlobalFilter('');
        where = { ...where, filter: '' };
        position = await pager.find(row, where);
      }
      if (!cancelled) setFound({ key: queryKey(where), position });
    })().catch(() => {});
    return () => {
      cancelled = true;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [highlight?.nonce, pager]);

  const paged: PagedItems<AnswerRow> | undefined =
    pager && snapshot
      ? {
          count: snapshot.counts?.count ?? 0,
          at: (i) => toItem(pager.at(i, snapshot)),
          onRange: pager.onRange,
          highlightIndex: found && found.key === snapshot.key && snapshot.counts ? found.position : -1,
        }
      : undefined;

  async function exportCsv() {
    setFailure(null);
    try {
      downloadExport(exportStem, 'csv', memory ? memory.csv(query) : await pager!.csv());
    } catch (err) {
      setFailure(`Could not export the answers: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  const error = failure ?? snapshot?.error ?? null;
  return (
    <div className="payload-table" data-testid="answers-section" aria-busy={snapshot?.pending || undefined}>
      <TableTools table={table} label="the answers" total={counts?.total ?? 0} shown={counts ? counts.shown : null} testId="answers">
        {counts?.hasListItems && (
          <label className="checkbox-line tools-check">
            <input type="checkbox" checked={grouped} onChange={(e) => setGrouped(e.target.checked)} data-testid="answers-group" />
            Group by list
          </label>
        )}
        <button type="button" className="button button-small" data-testid="answers-export-csv" onClick={() => void exportCsv()}>
          Export CSV
        </button>
      </TableTools>
      {error && <ErrorAlert message={error} testId="answers-error" />}
      <DataGrid
        table={table}
        items={items}
        paged={paged}
        label="Answers"
        testId="answers-table"
        rowTestId="answer-row"
        highlight={highlight}
        empty={counts ? 'No answers match.' : 'Loading the answers…'}
      />
    </div>
  );
}

// ---------------------------------------------------------------------------------------------
// Key/value tables: q_codes (0.0.1), survey metadata, feedback and user research data

export interface KeyValue {
  key: string;
  text: string;
}

const kv = createColumnHelper<KeyValue>();

export function KeyValueTable({
  rows,
  keyHeader,
  label,
  testId,
  exportStem,
  highlight,
  monoKeys,
}: {
  rows: KeyValue[];
  keyHeader: string;
  label: string;
  testId: string;
  exportStem: string;
  highlight?: Highlight | null;
  monoKeys?: boolean;
}) {
  const columns = useMemo<Columns<KeyValue>>(
    () => [
      kv.accessor('key', { header: keyHeader, meta: { width: 'minmax(160px, 1fr)' }, cell: (c) => <TextCell text={c.getValue()} mono={monoKeys} /> }),
      kv.accessor('text', {
        header: 'Value',
        sortingFn: numbersThenText as never,
        meta: { width: 'minmax(220px, 2.4fr)' },
        cell: (c) => (c.getValue() === '' ? <span className="muted">(empty)</span> : <TextCell text={c.getValue()} />),
      }),
    ],
    [keyHeader, monoKeys],
  );
  const table = useGridTable(rows, columns, (r) => r.key);
  useRevealHighlight(table, highlight);
  return (
    <div className="payload-table" data-testid={`${testId}-section`}>
      <TableTools table={table} label={label} total={rows.length} testId={testId}>
        <button
          type="button"
          className="button button-small"
          onClick={() =>
            downloadExport(
              exportStem,
              'csv',
              keyValueCsv(
                keyHeader,
                table.getRowModel().rows.map((r) => r.original),
              ),
            )
          }
        >
          Export CSV
        </button>
      </TableTools>
      <DataGrid table={table} label={label} testId={`${testId}-table`} rowTestId={`${testId}-row`} highlight={highlight} className="grid-short" />
    </div>
  );
}

// ---------------------------------------------------------------------------------------------
// answer_codes

const code = createColumnHelper<AnswerCode>();

export function AnswerCodesTable({ rows, exportStem, highlight }: { rows: AnswerCode[]; exportStem: string; highlight?: Highlight | null }) {
  const columns = useMemo<Columns<AnswerCode>>(
    () => [
      code.accessor('index', { header: 'Index', meta: { numeric: true, width: '76px' } }),
      code.accessor('answerId', { header: 'answer_id', meta: { width: 'minmax(180px, 1.3fr)' }, cell: (c) => <TextCell text={c.getValue()} mono /> }),
      code.accessor('answerValue', {
        header: 'answer_value',
        meta: { width: 'minmax(200px, 2fr)' },
        cell: (c) => <TextOrDash text={c.getValue()} />,
      }),
      code.accessor('code', { header: 'Code', meta: { width: '96px' }, cell: (c) => <TextCell text={c.getValue()} mono /> }),
    ],
    [],
  );
  const table = useGridTable(rows, columns, (r) => String(r.index));
  useRevealHighlight(table, highlight);
  return (
    <div className="payload-table" data-testid="answer-codes-section">
      <TableTools table={table} label="the answer codes" total={rows.length} testId="answer-codes">
        <button
          type="button"
          className="button button-small"
          onClick={() => downloadExport(exportStem, 'csv', answerCodesCsv(table.getRowModel().rows.map((r) => r.original)))}
        >
          Export CSV
        </button>
      </TableTools>
      <DataGrid table={table} label="Answer codes" testId="answer-codes-table" rowTestId="answer-code-row" highlight={highlight} className="grid-short" />
    </div>
  );
}
