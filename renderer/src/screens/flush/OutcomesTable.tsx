import {
  createColumnHelper,
  flexRender,
  getCoreRowModel,
  getSortedRowModel,
  useReactTable,
  type SortingState,
  type Table,
} from '@tanstack/react-table';
import { useVirtualizer } from '@tanstack/react-virtual';
import { useRef, useState } from 'react';
import { FLUSH_OUTCOMES, type FlushOutcome, type FlushOutcomeKind } from '../../../../shared/flush/types';
import { OUTCOME_LABELS } from './labels';

/** Fixed, so the virtualizer never has to measure a row. */
export const ROW_HEIGHT = 34;
/** Up to this many rows are plain DOM; past it only the rows in view are rendered. */
export const VIRTUALIZE_OVER = 200;

const column = createColumnHelper<FlushOutcome>();

export function OutcomeBadge({ outcome }: { outcome: FlushOutcomeKind }) {
  return <span className={`badge outcome-badge outcome-${outcome}`}>{OUTCOME_LABELS[outcome]}</span>;
}

const columns = [
  column.accessor('responseId', {
    header: 'Response id',
    cell: (c) => (
      <code className="cell-text" title={c.getValue()}>
        {c.getValue()}
      </code>
    ),
  }),
  // Sorted in the order outcomes are listed (good news first), not alphabetically by label.
  column.accessor((o) => FLUSH_OUTCOMES.indexOf(o.outcome), {
    id: 'outcome',
    header: 'Outcome',
    cell: (c) => <OutcomeBadge outcome={c.row.original.outcome} />,
  }),
  column.accessor((o) => o.httpStatus ?? -1, {
    id: 'httpStatus',
    header: 'HTTP',
    meta: { numeric: true },
    cell: (c) => {
      const status = c.row.original.httpStatus;
      return status === null ? (
        <span className="muted" title="No answer from the runner">
          <span aria-hidden="true">—</span>
          <span className="visually-hidden">no answer</span>
        </span>
      ) : (
        status
      );
    },
  }),
  column.accessor('message', {
    header: 'Message',
    cell: (c) => (
      <span className="cell-text" title={c.getValue()}>
        {c.getValue()}
      </span>
    ),
  }),
  column.accessor('attempts', { header: 'Attempts', meta: { numeric: true } }),
];

/** The table instance lives with the caller, so an export can take the rows in the order shown. */
export function useOutcomesTable(data: FlushOutcome[]): Table<FlushOutcome> {
  const [sorting, setSorting] = useState<SortingState>([]);
  return useReactTable({
    data,
    columns,
    state: { sorting },
    onSortingChange: setSorting,
    getCoreRowModel: getCoreRowModel(),
    getSortedRowModel: getSortedRowModel(),
    getRowId: (o) => o.responseId,
  });
}

const isNumeric = (meta: unknown) => (meta as { numeric?: boolean } | undefined)?.numeric === true;

/**
 * A CSS grid table (TanStack's virtualized-rows layout): header and rows share one column
 * template, so absolutely positioned rows stay aligned with the sticky header. The explicit roles
 * keep table semantics that display: grid could otherwise take away in some browsers.
 */
export function OutcomesTable({ table, label }: { table: Table<FlushOutcome>; label: string }) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const rows = table.getRowModel().rows;
  const virtual = rows.length > VIRTUALIZE_OVER;
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 10,
    enabled: virtual,
  });
  const shown = virtual
    ? virtualizer.getVirtualItems().map((v) => ({ row: rows[v.index]!, index: v.index, start: v.start }))
    : rows.map((row, index) => ({ row, index, start: 0 }));

  return (
    <div className="outcomes-scroll" ref={scrollRef} tabIndex={0} role="region" aria-label={label} data-testid="flush-table-scroll">
      <table className="data-table outcomes-table" role="table" aria-label={label} aria-rowcount={rows.length + 1} data-testid="flush-table">
        <thead className="outcomes-head" role="rowgroup">
          {table.getHeaderGroups().map((group) => (
            <tr key={group.id} className="outcomes-row" role="row" aria-rowindex={1}>
              {group.headers.map((header) => {
                const sorted = header.column.getIsSorted();
                return (
                  <th
                    key={header.id}
                    scope="col"
                    role="columnheader"
                    className={isNumeric(header.column.columnDef.meta) ? 'numeric' : undefined}
                    aria-sort={sorted === 'asc' ? 'ascending' : sorted === 'desc' ? 'descending' : undefined}
                  >
                    <button type="button" className="sort-button" onClick={header.column.getToggleSortingHandler()}>
                      {flexRender(header.column.columnDef.header, header.getContext())}
                      <span className="sort-mark" aria-hidden="true">
                        {sorted === 'asc' ? '▲' : sorted === 'desc' ? '▼' : ''}
                      </span>
                    </button>
                  </th>
                );
              })}
            </tr>
          ))}
        </thead>
        <tbody
          className={virtual ? 'outcomes-body outcomes-body-virtual' : 'outcomes-body'}
          role="rowgroup"
          style={virtual ? { height: virtualizer.getTotalSize() } : undefined}
        >
          {shown.map(({ row, index, start }) => (
            <tr
              key={row.id}
              className={`outcomes-row outcomes-row-${row.original.outcome}`}
              role="row"
              aria-rowindex={index + 2}
              data-testid="flush-row"
              data-outcome={row.original.outcome}
              style={virtual ? { transform: `translateY(${start}px)` } : undefined}
            >
              {row.getVisibleCells().map((cell) => (
                <td key={cell.id} role="cell" className={isNumeric(cell.column.columnDef.meta) ? 'numeric' : undefined}>
                  {flexRender(cell.column.columnDef.cell, cell.getContext())}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
      {rows.length === 0 && <p className="empty">No outcomes here yet.</p>}
    </div>
  );
}

