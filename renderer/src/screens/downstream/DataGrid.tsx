import { flexRender, type Row, type Table } from '@tanstack/react-table';
import { createContext, useContext, useEffect, useRef, type MouseEvent, type ReactNode } from 'react';
import { ariaSort, SortableHeader } from '../../components/SortableHeader';
import { useRowWindow } from '../../components/useRowWindow';
import type { DisplayRow } from './model/answers';

export interface GridMeta {
  numeric?: boolean;
  /** The column's track in the shared grid template. */
  width?: string;
}

/** True inside a virtualized grid: cells must keep to one line there. */
const CompactContext = createContext(false);
export const useCompact = () => useContext(CompactContext);

const metaOf = (meta: unknown) => (meta ?? {}) as GridMeta;

export interface DataGridProps<T> {
  table: Table<T>;
  /** The rows with headings between them; the table's own rows when not given. */
  items?: DisplayRow<Row<T>>[];
  label: string;
  testId: string;
  rowTestId: string;
  /** The row to bring into view and mark; a new nonce scrolls to it again. */
  highlight?: { id: string; nonce: number } | null;
  selectedIds?: readonly string[];
  onRowClick?: (row: Row<T>, event: MouseEvent) => void;
  /** A column whose cell takes the rest of this row (the columns after it would be empty). */
  wideCell?: (row: Row<T>) => string | null;
  empty?: ReactNode;
  className?: string;
}

/**
 * A CSS grid table: header and rows share one column template, so absolutely positioned rows stay
 * aligned under the sticky header. Roles are explicit because display: grid can take table
 * semantics away. The virtualizer lives here, in the lowest component, so scrolling re-renders
 * this component alone.
 */
export function DataGrid<T>({ table, items, label, testId, rowTestId, highlight, selectedIds, onRowClick, wideCell, empty, className }: DataGridProps<T>) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const rows = table.getRowModel().rows;
  const shownItems: DisplayRow<Row<T>>[] = items ?? rows.map((row) => ({ kind: 'row', row, key: row.id }));
  const { virtual, virtualizer, shown } = useRowWindow(shownItems, scrollRef, { overscan: 12, getItemKey: (i) => shownItems[i]!.key });
  const columns = table.getVisibleLeafColumns();
  const template = columns.map((c) => metaOf(c.columnDef.meta).width ?? 'minmax(120px, 1fr)').join(' ');

  const highlightId = highlight?.id ?? null;
  const highlightIndex = highlightId === null ? -1 : shownItems.findIndex((it) => it.kind === 'row' && it.row.id === highlightId);
  useEffect(() => {
    if (highlightIndex < 0) return;
    scrollRef.current?.scrollIntoView({ block: 'nearest' });
    if (virtual) virtualizer.scrollToIndex(highlightIndex, { align: 'center' });
    else scrollRef.current?.querySelector(`[data-row-index="${highlightIndex}"]`)?.scrollIntoView({ block: 'nearest' });
    // Only a new highlight (or its row appearing after a filter is cleared) scrolls: other
    // re-renders while it stays must leave the user's own scrolling alone.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [highlight?.nonce, highlightIndex < 0]);

  const selected = new Set(selectedIds ?? []);

  return (
    <div
      className={`grid-scroll${className ? ` ${className}` : ''}`}
      ref={scrollRef}
      tabIndex={0}
      role="region"
      aria-label={label}
      data-testid={`${testId}-scroll`}
    >
      <CompactContext.Provider value={virtual}>
        <div
          className="grid-table"
          role="table"
          aria-label={label}
          aria-rowcount={shownItems.length + 1}
          data-testid={testId}
          data-virtual={virtual || undefined}
        >
          <div className="grid-head" role="rowgroup">
            {table.getHeaderGroups().map((group) => (
              <div key={group.id} className="grid-row grid-head-row" role="row" aria-rowindex={1} style={{ gridTemplateColumns: template }}>
                {group.headers.map((header) => (
                  <div
                    key={header.id}
                    role="columnheader"
                    className={metaOf(header.column.columnDef.meta).numeric ? 'grid-th numeric' : 'grid-th'}
                    aria-sort={ariaSort(header.column)}
                  >
                    <SortableHeader header={header} />
                  </div>
                ))}
              </div>
            ))}
          </div>
          <div
            className={virtual ? 'grid-body grid-body-virtual' : 'grid-body'}
            role="rowgroup"
            style={virtual ? { height: virtualizer.getTotalSize() } : undefined}
          >
            {shown.map(({ item, index, start }) => {
              const place = virtual ? { transform: `translateY(${start}px)` } : undefined;
              if (item.kind === 'heading') {
                return (
                  <div
                    key={item.key}
                    className={`grid-row grid-heading grid-heading-${item.level}`}
                    role="row"
                    aria-rowindex={index + 2}
                    data-testid={`${rowTestId}-heading`}
                    style={place}
                  >
                    <div role="cell" className="grid-heading-cell">
                      <span className="grid-heading-title">{item.title}</span>
                      {item.primary && <span className="badge badge-primary">primary person</span>}
                      <span className="grid-heading-detail">{item.detail}</span>
                    </div>
                  </div>
                );
              }
              const row = item.row;
              const classes = ['grid-row'];
              if (row.id === highlightId) classes.push('row-highlight');
              if (selected.has(row.id)) classes.push('row-selected');
              if (onRowClick) classes.push('row-clickable');
              return (
                <div
                  key={item.key}
                  className={classes.join(' ')}
                  role="row"
                  aria-rowindex={index + 2}
                  aria-selected={selectedIds ? selected.has(row.id) : undefined}
                  data-testid={rowTestId}
                  data-row-id={row.id}
                  data-row-index={index}
                  style={{ gridTemplateColumns: template, ...place }}
                  onClick={onRowClick ? (e) => onRowClick(row, e) : undefined}
                >
                  {cellsOf(row, wideCell?.(row) ?? null).map(({ cell, span }) => (
                    <div
                      key={cell.id}
                      role="cell"
                      className={metaOf(cell.column.columnDef.meta).numeric ? 'grid-td numeric' : 'grid-td'}
                      style={span > 1 ? { gridColumn: `span ${span}` } : undefined}
                    >
                      {flexRender(cell.column.columnDef.cell, cell.getContext())}
                    </div>
                  ))}
                </div>
              );
            })}
          </div>
        </div>
      </CompactContext.Provider>
      {shownItems.length === 0 && <p className="empty">{empty ?? 'Nothing to show.'}</p>}
    </div>
  );
}

/** The row's visible cells; from the wide column on, one cell spans what is left. */
function cellsOf<T>(row: Row<T>, wide: string | null) {
  const cells = row.getVisibleCells();
  const at = wide === null ? -1 : cells.findIndex((c) => c.column.id === wide);
  if (at < 0) return cells.map((cell) => ({ cell, span: 1 }));
  return cells.slice(0, at + 1).map((cell, i) => ({ cell, span: i === at ? cells.length - at : 1 }));
}
