import { createColumnHelper, type Table } from '@tanstack/react-table';
import type { Columns } from '../../components/SortableTable';
import { useLayoutEffect, useMemo, useState } from 'react';
import { TextCell, TextOrDash } from '../../components/Cells';
import { downloadExport } from '../keys/download';
import { AnswerValue } from './AnswerValue';
import { DataGrid } from './DataGrid';
import { answerCodesCsv, answersCsv, keyValueCsv } from './model/csv';
import { groupByList, itemNamer, itemPlaces, type AnswerCode, type AnswerRow, type ListInfo } from './model/answers';
import { TableTools } from './TableTools';
import { numbersThenText, useGridTable } from './useGridTable';

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

export function AnswersTable({
  rows,
  lists,
  exportStem,
  highlight,
}: {
  rows: AnswerRow[];
  lists: ListInfo[];
  exportStem: string;
  highlight?: Highlight | null;
}) {
  const name = useMemo(() => itemNamer(itemPlaces(lists)), [lists]);
  const hasLists = useMemo(() => rows.some((r) => r.listItemId), [rows]);
  const [grouped, setGrouped] = useState(true);
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
        sortingFn: numbersThenText as never,
        meta: { width: 'minmax(240px, 2.6fr)' },
        cell: (c) => {
          const r = c.row.original;
          return <AnswerValue value={r.value} shape={r.shape} text={r.text} name={name} />;
        },
      }),
    ],
    [name],
  );
  const table = useGridTable(rows, columns, (r) => String(r.index));
  useRevealHighlight(table, highlight);
  const shownRows = table.getRowModel().rows;
  const items = useMemo(
    () =>
      grouped && hasLists
        ? groupByList(
            shownRows,
            lists,
            (r) => r.id,
            (r) => r.original.listItemId,
          )
        : undefined,
    [grouped, hasLists, shownRows, lists],
  );

  return (
    <div className="payload-table" data-testid="answers-section">
      <TableTools table={table} label="the answers" total={rows.length} testId="answers">
        {hasLists && (
          <label className="checkbox-line tools-check">
            <input type="checkbox" checked={grouped} onChange={(e) => setGrouped(e.target.checked)} data-testid="answers-group" />
            Group by list
          </label>
        )}
        <button
          type="button"
          className="button button-small"
          data-testid="answers-export-csv"
          onClick={() => downloadExport(exportStem, 'csv', answersCsv(shownRows.map((r) => r.original)))}
        >
          Export CSV
        </button>
      </TableTools>
      <DataGrid table={table} items={items} label="Answers" testId="answers-table" rowTestId="answer-row" highlight={highlight} empty="No answers match." />
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
