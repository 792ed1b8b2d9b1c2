import {
  getCoreRowModel,
  getFilteredRowModel,
  getSortedRowModel,
  useReactTable,
  type FilterFn,
  type SortingFn,
  type SortingState,
  type TableMeta,
  type Table,
  type VisibilityState,
} from '@tanstack/react-table';
import { useState } from 'react';
import type { Columns } from '../../components/SortableTable';

/** Case-insensitive "contains" on what a cell shows as text; TanStack's own picks by the first row's type. */
export const containsText: FilterFn<unknown> = (row, columnId, filter: string) => {
  const v = row.getValue(columnId);
  return v !== null && v !== undefined && String(v).toLowerCase().includes(filter.toLowerCase());
};

/** Numbers by value and before texts; texts by code point, which stays fast for 100,000 rows. */
export const numbersThenText: SortingFn<unknown> = (a, b, columnId) => {
  const x = a.getValue(columnId);
  const y = b.getValue(columnId);
  const xn = typeof x === 'number';
  const yn = typeof y === 'number';
  if (xn && yn) return (x as number) - (y as number);
  if (xn !== yn) return xn ? -1 : 1;
  const xs = String(x ?? '');
  const ys = String(y ?? '');
  return xs < ys ? -1 : xs > ys ? 1 : 0;
};

/** A table with the same abilities everywhere on the reader: sort by header, filter, choose columns. */
export function useGridTable<T>(
  data: T[],
  columns: Columns<T>,
  getRowId: (row: T) => string,
  options: { initialVisibility?: VisibilityState; meta?: TableMeta<T> } = {},
): Table<T> {
  const [sorting, setSorting] = useState<SortingState>([]);
  const [globalFilter, setGlobalFilter] = useState('');
  const [columnVisibility, setColumnVisibility] = useState<VisibilityState>(options.initialVisibility ?? {});
  return useReactTable<T>({
    data,
    columns,
    state: { sorting, globalFilter, columnVisibility },
    onSortingChange: setSorting,
    onGlobalFilterChange: setGlobalFilter,
    onColumnVisibilityChange: setColumnVisibility,
    globalFilterFn: containsText as FilterFn<T>,
    getColumnCanGlobalFilter: () => true,
    getCoreRowModel: getCoreRowModel(),
    getFilteredRowModel: getFilteredRowModel(),
    getSortedRowModel: getSortedRowModel(),
    getRowId,
    ...(options.meta ? { meta: options.meta } : {}),
  });
}

/** The sort and filter a table shows, held by its owner: it answers them itself (useHeldQueryTable). */
export function useGridQuery() {
  const [sorting, setSorting] = useState<SortingState>([]);
  const [globalFilter, setGlobalFilter] = useState('');
  return { sorting, setSorting, globalFilter, setGlobalFilter };
}

/**
 * The same table for rows that are filtered and sorted elsewhere (a big payload's answers: by
 * shared/downstream/answer-table.ts, in the services, the page's worker or the page): the header
 * clicks and the filter box change `query`, and `data` is drawn as given, in its order.
 */
export function useHeldQueryTable<T>(data: T[], columns: Columns<T>, getRowId: (row: T) => string, query: ReturnType<typeof useGridQuery>): Table<T> {
  const [columnVisibility, setColumnVisibility] = useState<VisibilityState>({});
  return useReactTable<T>({
    data,
    columns,
    state: { sorting: query.sorting, globalFilter: query.globalFilter, columnVisibility },
    onSortingChange: query.setSorting,
    onGlobalFilterChange: query.setGlobalFilter,
    onColumnVisibilityChange: setColumnVisibility,
    manualSorting: true,
    manualFiltering: true,
    getCoreRowModel: getCoreRowModel(),
    getRowId,
  });
}
