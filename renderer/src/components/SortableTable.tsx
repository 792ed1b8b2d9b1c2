import {
  flexRender,
  getCoreRowModel,
  getSortedRowModel,
  useReactTable,
  type Cell,
  type ColumnDef,
  type Header,
  type SortingState,
  type Table,
} from '@tanstack/react-table';
import { useState } from 'react';
import { ariaSort, isNumeric, SortableHeader } from './SortableHeader';

/**
 * A table's columns, each with its own value type: TanStack types such a list ColumnDef<T, any>
 * (its docs do, as no other type accepts the accessors' different values), so this is the one any.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Columns<T> = ColumnDef<T, any>[];

/** A table that sorts by a click on a header, in the data's own order until then. */
export function useSortableTable<T>(data: T[], columns: Columns<T>, getRowId: (row: T) => string): Table<T> {
  const [sorting, setSorting] = useState<SortingState>([]);
  return useReactTable({
    data,
    columns,
    state: { sorting },
    onSortingChange: setSorting,
    getCoreRowModel: getCoreRowModel(),
    getSortedRowModel: getSortedRowModel(),
    getRowId,
  });
}

// `role` is for tables laid out with display: grid, which can lose their table semantics.

export function HeaderCell<T>({ header, role }: { header: Header<T, unknown>; role?: 'columnheader' }) {
  return (
    <th scope="col" role={role} className={isNumeric(header.column.columnDef.meta) ? 'numeric' : undefined} aria-sort={ariaSort(header.column)}>
      <SortableHeader header={header} />
    </th>
  );
}

export function BodyCell<T>({ cell, role }: { cell: Cell<T, unknown>; role?: 'cell' }) {
  return (
    <td role={role} className={isNumeric(cell.column.columnDef.meta) ? 'numeric' : undefined}>
      {flexRender(cell.column.columnDef.cell, cell.getContext())}
    </td>
  );
}

/** The header rows of a plain <table>. */
export function TableHead<T>({ table }: { table: Table<T> }) {
  return (
    <thead>
      {table.getHeaderGroups().map((group) => (
        <tr key={group.id}>
          {group.headers.map((header) => (
            <HeaderCell key={header.id} header={header} />
          ))}
        </tr>
      ))}
    </thead>
  );
}
