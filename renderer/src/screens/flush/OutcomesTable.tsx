import { createColumnHelper, type Table } from '@tanstack/react-table';
import { useRef } from 'react';
import { FLUSH_OUTCOMES, type FlushOutcome, type FlushOutcomeKind } from '../../../../shared/flush/types';
import { Dash, TextCell } from '../../components/Cells';
import { BodyCell, HeaderCell, useSortableTable } from '../../components/SortableTable';
import { useRowWindow } from '../../components/useRowWindow';
import { OUTCOME_LABELS } from './labels';

const column = createColumnHelper<FlushOutcome>();

export function OutcomeBadge({ outcome }: { outcome: FlushOutcomeKind }) {
  return <span className={`badge outcome-badge outcome-${outcome}`}>{OUTCOME_LABELS[outcome]}</span>;
}

const columns = [
  column.accessor('responseId', {
    header: 'Response id',
    cell: (c) => <TextCell text={c.getValue()} mono />,
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
      return status === null ? <Dash meaning="no answer" title="No answer from the runner" /> : status;
    },
  }),
  column.accessor('message', {
    header: 'Message',
    cell: (c) => <TextCell text={c.getValue()} />,
  }),
  column.accessor('attempts', { header: 'Attempts', meta: { numeric: true } }),
];

/** The table instance lives with the caller, so an export can take the rows in the order shown. */
export function useOutcomesTable(data: FlushOutcome[]): Table<FlushOutcome> {
  return useSortableTable(data, columns, (o) => o.responseId);
}

/**
 * A CSS grid table (TanStack's virtualized-rows layout): header and rows share one column
 * template, so absolutely positioned rows stay aligned with the sticky header. The explicit roles
 * keep table semantics that display: grid could otherwise take away in some browsers.
 */
export function OutcomesTable({ table, label }: { table: Table<FlushOutcome>; label: string }) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const rows = table.getRowModel().rows;
  const { virtual, virtualizer, shown } = useRowWindow(rows, scrollRef, { overscan: 10 });

  return (
    <div className="outcomes-scroll" ref={scrollRef} tabIndex={0} role="region" aria-label={label} data-testid="flush-table-scroll">
      <table className="data-table outcomes-table" role="table" aria-label={label} aria-rowcount={rows.length + 1} data-testid="flush-table">
        <thead className="outcomes-head" role="rowgroup">
          {table.getHeaderGroups().map((group) => (
            <tr key={group.id} className="outcomes-row" role="row" aria-rowindex={1}>
              {group.headers.map((header) => (
                <HeaderCell key={header.id} header={header} role="columnheader" />
              ))}
            </tr>
          ))}
        </thead>
        <tbody
          className={virtual ? 'outcomes-body outcomes-body-virtual' : 'outcomes-body'}
          role="rowgroup"
          style={virtual ? { height: virtualizer.getTotalSize() } : undefined}
        >
          {shown.map(({ item: row, index, start }) => (
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
                <BodyCell key={cell.id} cell={cell} role="cell" />
              ))}
            </tr>
          ))}
        </tbody>
      </table>
      {rows.length === 0 && <p className="empty">No outcomes here yet.</p>}
    </div>
  );
}
