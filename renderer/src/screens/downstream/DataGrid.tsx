import { flexRender, type Row, type Table } from '@tanstack/react-table';
import { useVirtualizer } from '@tanstack/react-virtual';
import { createContext, useContext, useEffect, useRef, type MouseEvent, type ReactNode } from 'react';
import { ariaSort, SortableHeader } from '../../components/SortableHeader';
import { ROW_HEIGHT, VIRTUALIZE_OVER } from '../../components/useRowWindow';
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

/**
 * Rows held elsewhere (a big payload's answers: the services or the page's worker hold them): how
 * many entries there are, the ones that have come, and where to say which are in view.
 */
export interface PagedItems<T> {
  count: number;
  /** The entry at an index, once its page has come; a placeholder row is drawn until then. */
  at(index: number): DisplayRow<Row<T>> | undefined;
  /** The entries drawn (in view and the overscan) changed: fetch the pages they are on. */
  onRange(first: number, last: number): void;
  /** Where the highlighted row is among the entries, once known; -1 otherwise. */
  highlightIndex: number;
}

export interface DataGridProps<T> {
  table: Table<T>;
  /** The rows with headings between them; the table's own rows when not given. */
  items?: DisplayRow<Row<T>>[];
  /** Instead of items: entries fetched in pages as they come into view. */
  paged?: PagedItems<T>;
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
export function DataGrid<T>({
  table,
  items,
  paged,
  label,
  testId,
  rowTestId,
  highlight,
  selectedIds,
  onRowClick,
  wideCell,
  empty,
  className,
}: DataGridProps<T>) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const rows = table.getRowModel().rows;
  const shownItems: DisplayRow<Row<T>>[] | null = paged ? null : (items ?? rows.map((row) => ({ kind: 'row', row, key: row.id })));
  const count = shownItems ? shownItems.length : paged!.count;
  const at = (i: number) => (shownItems ? shownItems[i] : paged!.at(i));
  // Up to VIRTUALIZE_OVER entries are plain DOM (rows may grow to show multi-line values); past it,
  // only those in view exist, each one fixed-height line (TanStack's virtualized-rows example).
  // Rows are never measured, so the virtualizer keys them by index: a key function would be new
  // at each render and make it walk every entry again (100,000 calls per scroll step).
  const virtual = count > VIRTUALIZE_OVER;
  const virtualizer = useVirtualizer({ count, getScrollElement: () => scrollRef.current, estimateSize: () => ROW_HEIGHT, overscan: 12, enabled: virtual });
  const shown = virtual
    ? virtualizer.getVirtualItems().map((v) => ({ item: at(v.index), index: v.index, start: v.start }))
    : Array.from({ length: count }, (_, index) => ({ item: at(index), index, start: 0 }));
  const columns = table.getVisibleLeafColumns();
  const template = columns.map((c) => metaOf(c.columnDef.meta).width ?? 'minmax(120px, 1fr)').join(' ');

  const firstShown = shown.length ? shown[0]!.index : 0;
  const lastShown = shown.length ? shown[shown.length - 1]!.index : -1;
  const onRange = paged?.onRange;
  useEffect(() => {
    onRange?.(firstShown, lastShown);
  }, [onRange, firstShown, lastShown]);

  const highlightId = highlight?.id ?? null;
  const highlightIndex =
    highlightId === null ? -1 : shownItems ? shownItems.findIndex((it) => it.kind === 'row' && it.row.id === highlightId) : paged!.highlightIndex;
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
        <div className="grid-table" role="table" aria-label={label} aria-rowcount={count + 1} data-testid={testId} data-virtual={virtual || undefined}>
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
              if (!item) {
                // Its page has not come yet: a row of the right height that says so.
                return (
                  <div
                    key={`#${index}`}
                    className="grid-row"
                    role="row"
                    aria-rowindex={index + 2}
                    aria-busy="true"
                    data-testid={`${rowTestId}-pending`}
                    style={{ gridTemplateColumns: template, ...place }}
                  >
                    <div role="cell" className="grid-td muted" style={{ gridColumn: '1 / -1' }}>
                      Loading…
                    </div>
                  </div>
                );
              }
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
      {count === 0 && <p className="empty">{empty ?? 'Nothing to show.'}</p>}
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
