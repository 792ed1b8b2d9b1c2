import type { Table } from '@tanstack/react-table';
import { useEffect, useId, useRef, useState, type ReactNode } from 'react';

/**
 * What every payload table offers above it: a filter box, a menu of columns to show, how many rows
 * are showing, and the table's own actions (export). The filter is applied a moment after typing
 * stops, so 100,000 rows are filtered once per pause rather than once per key.
 */
export function TableTools<T>({
  table,
  label,
  total,
  shown: shownRows,
  children,
  testId,
}: {
  table: Table<T>;
  label: string;
  total: number;
  /** Rows the filter lets through, when the table does not hold them all (a paged table); null while unknown. */
  shown?: number | null;
  children?: ReactNode;
  testId: string;
}) {
  const filterId = useId();
  const applied = (table.getState().globalFilter as string | undefined) ?? '';
  const [text, setText] = useState(applied);
  const shown = shownRows === undefined ? table.getRowModel().rows.length : shownRows;

  useEffect(() => {
    // Cleared from elsewhere (a problem link that needs its row visible): follow.
    setText(applied);
  }, [applied]);

  useEffect(() => {
    if (text === applied) return;
    const timer = setTimeout(() => table.setGlobalFilter(text), total > 5000 ? 200 : 60);
    return () => clearTimeout(timer);
  }, [text, applied, table, total]);

  return (
    <div className="table-tools" data-testid={`${testId}-tools`}>
      <label htmlFor={filterId} className="visually-hidden">
        Filter {label}
      </label>
      <input
        id={filterId}
        type="search"
        className="text-input table-filter"
        placeholder="Filter…"
        spellCheck={false}
        autoComplete="off"
        value={text}
        data-testid={`${testId}-filter`}
        onChange={(e) => setText(e.target.value)}
      />
      <ColumnsMenu table={table} label={label} />
      <span className="table-count" aria-live="polite" data-testid={`${testId}-count`}>
        {shown === null
          ? 'Counting…'
          : shown === total
            ? `${total.toLocaleString('en-GB')} ${total === 1 ? 'row' : 'rows'}`
            : `${shown.toLocaleString('en-GB')} of ${total.toLocaleString('en-GB')} rows`}
      </span>
      <span className="table-actions">{children}</span>
    </div>
  );
}

function ColumnsMenu<T>({ table, label }: { table: Table<T>; label: string }) {
  const ref = useRef<HTMLDetailsElement>(null);
  useEffect(() => {
    // A menu closes when the user clicks elsewhere or presses Escape, as menus do.
    const onDown = (e: PointerEvent) => {
      if (ref.current?.open && !ref.current.contains(e.target as Node)) ref.current.open = false;
    };
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape' && ref.current?.open) {
        ref.current.open = false;
        ref.current.querySelector('summary')?.focus();
      }
    };
    document.addEventListener('pointerdown', onDown);
    document.addEventListener('keydown', onKey);
    return () => {
      document.removeEventListener('pointerdown', onDown);
      document.removeEventListener('keydown', onKey);
    };
  }, []);
  const columns = table.getAllLeafColumns().filter((c) => c.getCanHide());
  const visible = columns.filter((c) => c.getIsVisible()).length;
  return (
    <details className="columns-menu" ref={ref}>
      <summary className="button button-small" aria-label={`Choose the columns of ${label}`}>
        Columns
      </summary>
      <fieldset className="columns-menu-list">
        <legend className="visually-hidden">Columns to show</legend>
        {columns.map((c) => (
          <label key={c.id} className="checkbox-line">
            <input
              type="checkbox"
              checked={c.getIsVisible()}
              // The last visible column stays: a table of no columns says nothing.
              disabled={c.getIsVisible() && visible === 1}
              onChange={c.getToggleVisibilityHandler()}
            />
            {typeof c.columnDef.header === 'string' ? c.columnDef.header : c.id}
          </label>
        ))}
      </fieldset>
    </details>
  );
}
