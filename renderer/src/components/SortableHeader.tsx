import { flexRender, type Column, type Header } from '@tanstack/react-table';

/** What a column header tells assistive technology about the sort: aria-sort, absent while unsorted. */
export function ariaSort<T>(column: Column<T, unknown>): 'ascending' | 'descending' | undefined {
  const sorted = column.getIsSorted();
  return sorted === 'asc' ? 'ascending' : sorted === 'desc' ? 'descending' : undefined;
}

/** Columns declare `meta: { numeric: true }` to be aligned as numbers. */
export const isNumeric = (meta: unknown) => (meta as { numeric?: boolean } | undefined)?.numeric === true;

/**
 * What goes inside a header cell: a button that cycles the column's sort and marks it ▲ or ▼, or
 * the bare header when the column does not sort. The cell element itself stays with each table,
 * since a <table> and a CSS grid need different ones.
 */
export function SortableHeader<T>({ header }: { header: Header<T, unknown> }) {
  const label = flexRender(header.column.columnDef.header, header.getContext());
  if (!header.column.getCanSort()) return label;
  const sorted = header.column.getIsSorted();
  return (
    <button type="button" className="sort-button" onClick={header.column.getToggleSortingHandler()}>
      {label}
      <span className="sort-mark" aria-hidden="true">
        {sorted === 'asc' ? '▲' : sorted === 'desc' ? '▼' : ''}
      </span>
    </button>
  );
}
