import { createColumnHelper, type TableMeta } from '@tanstack/react-table';
import type { Columns } from '../../components/SortableTable';
import { useMemo } from 'react';
import type { DownstreamItem } from '../../../../shared/downstream/types';
import { TextOrDash } from '../../components/Cells';
import { useConsole } from '../../state/store';
import { DataGrid } from './DataGrid';
import { ItemBadges } from './ItemBadges';
import { failureText, plural, statusBadges, TYPE_LABELS } from './labels';
import { commonFolder, shortTime } from './model/items';
import { TableTools } from './TableTools';
import { numbersThenText, useGridTable } from './useGridTable';

const column = createColumnHelper<DownstreamItem>();

/** What went wrong, in words: where opening stopped, or how many spec problems and the first. */
function issueText(item: DownstreamItem): string {
  const failure = failureText(item);
  if (failure) return failure;
  if (item.problems.length === 0) return '';
  return `${plural(item.problems.length, 'problem')}: ${item.problems[0]!.message}`;
}

export function ItemsList() {
  const items = useConsole((s) => s.downstreamItems);
  const selected = useConsole((s) => s.downstreamSelected);
  const select = useConsole((s) => s.selectDownstream);
  const clear = useConsole((s) => s.clearDownstream);
  const sourceErrors = useConsole((s) => s.downstreamSourceErrors);

  const columns = useMemo<Columns<DownstreamItem>>(
    () => [
      column.display({
        id: 'compare',
        header: () => <span className="visually-hidden">Compare</span>,
        enableHiding: false,
        meta: { width: '36px' },
        cell: (c) => (
          <input
            type="checkbox"
            className="row-check"
            aria-label={`Select ${c.row.original.source} to compare`}
            checked={(c.table.options.meta as { selected?: string[] } | undefined)?.selected?.includes(c.row.id) ?? false}
            onClick={(e) => e.stopPropagation()}
            onChange={() => select(c.row.id, 'toggle')}
          />
        ),
      }),
      column.accessor('source', {
        header: 'Source',
        meta: { width: 'minmax(180px, 1.6fr)' },
        cell: (c) => {
          const folder = (c.table.options.meta as { folder?: string } | undefined)?.folder ?? '';
          return (
            <span className="cell-text" title={c.getValue()}>
              {c.getValue().slice(folder.length)}
            </span>
          );
        },
      }),
      // Badges, then in words what stopped opening or what the spec found: one column, so the
      // source keeps the room it needs at 1366 wide.
      // Sorted failures first, then invalid, then valid; filtered by the words shown.
      column.accessor(
        (i) =>
          `${i.failure ? 0 : i.valid ? 2 : 1} ${statusBadges(i)
            .map((b) => b.label)
            .join(' ')} ${issueText(i)}`,
        {
          id: 'status',
          header: 'Status',
          meta: { width: 'minmax(260px, 1.7fr)' },
          cell: (c) => {
            const issue = issueText(c.row.original);
            return (
              <span className="item-status-cell">
                <ItemBadges item={c.row.original} />
                {issue && (
                  <span className={c.row.original.failure ? 'cell-text issue-failure' : 'cell-text issue-problems'} title={issue} data-testid="item-issue">
                    {issue}
                  </span>
                )}
              </span>
            );
          },
        },
      ),
      column.accessor((i) => TYPE_LABELS[i.type], { id: 'type', header: 'Type', meta: { width: '124px' }, cell: (c) => <TextOrDash text={c.getValue()} /> }),
      column.accessor((i) => (i.dataVersion === 'unknown' ? '' : i.dataVersion), {
        id: 'dataVersion',
        header: 'Data',
        meta: { width: '56px' },
        cell: (c) => <TextOrDash text={c.getValue()} />,
      }),
      column.accessor((i) => i.summary.txId ?? '', {
        id: 'txId',
        header: 'tx_id',
        meta: { width: 'minmax(110px, 0.8fr)' },
        cell: (c) => <TextOrDash text={c.getValue()} mono />,
      }),
      column.accessor((i) => i.summary.submittedAt ?? '', {
        id: 'submittedAt',
        header: 'Submitted at',
        meta: { width: '160px' },
        cell: (c) => <TextOrDash text={shortTime(c.getValue())} />,
      }),
      column.accessor((i) => i.summary.answers ?? -1, {
        id: 'answers',
        header: 'Answers',
        sortingFn: numbersThenText as never,
        meta: { numeric: true, width: '100px' },
        cell: (c) => (c.getValue() < 0 ? <TextOrDash text="" /> : c.getValue().toLocaleString('en-GB')),
      }),
    ],
    [select],
  );
  // The checkbox column reads the selection from the table's meta, so columns are not rebuilt per selection.
  const folder = useMemo(() => commonFolder(items.map((i) => i.source)), [items]);
  const table = useGridTable(items, columns, (i) => i.id, { meta: { selected, folder } as TableMeta<DownstreamItem> });

  const failed = items.filter((i) => i.failure).length;
  const invalid = items.filter((i) => !i.failure && !i.valid).length;

  return (
    <section className="panel" aria-labelledby="items-title" data-testid="items-panel">
      <div className="panel-head">
        <h2 id="items-title" className="panel-title">
          Payloads <span className="count">({items.length.toLocaleString('en-GB')})</span>
        </h2>
        {items.length > 0 && (
          <button type="button" className="button button-small" onClick={clear} data-testid="clear-items">
            Clear list
          </button>
        )}
      </div>
      {items.length === 0 && sourceErrors.length === 0 ? (
        <p className="empty" data-testid="items-empty">
          Nothing opened yet. Drop payload files or folders here, paste a payload, or open a folder on this machine.
        </p>
      ) : (
        <>
          <p className="panel-hint items-summary" data-testid="items-summary">
            {plural(items.length - failed - invalid, 'valid payload')}
            {invalid > 0 && `, ${plural(invalid, 'invalid one')}`}
            {failed > 0 && `, ${failed.toLocaleString('en-GB')} that could not be opened`}
            {folder && (
              <>
                , from <code>{folder}</code>
              </>
            )}
            . Click a row to read it; tick two to compare them.
          </p>
          <TableTools table={table} label="the payloads" total={items.length} testId="items" />
          <DataGrid
            table={table}
            label="Payloads"
            testId="items-table"
            rowTestId="item-row"
            selectedIds={selected}
            onRowClick={(row, e) => select(row.id, e.ctrlKey || e.metaKey ? 'toggle' : 'only')}
            // A payload that never opened has no type, version or tx_id: its reason gets their room.
            wideCell={(row) => (row.original.failure && row.original.type === 'unknown' && !row.original.summary.txId ? 'status' : null)}
            className="grid-items"
          />
          <SourceErrors />
        </>
      )}
    </section>
  );
}

function SourceErrors() {
  const errors = useConsole((s) => s.downstreamSourceErrors);
  if (errors.length === 0) return null;
  return (
    <details className="source-errors" data-testid="source-errors">
      <summary>{plural(errors.length, 'source')} could not be opened or sent</summary>
      <ul className="report-list">
        {errors.slice(-200).map((e, i) => (
          <li key={i}>
            <code className="file-name">{e.source}</code>: {e.message}
          </li>
        ))}
      </ul>
      {errors.length > 200 && <p className="muted">Only the last 200 are listed.</p>}
    </details>
  );
}
