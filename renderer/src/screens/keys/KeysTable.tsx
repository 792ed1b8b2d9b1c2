import { createColumnHelper } from '@tanstack/react-table';
import { useMemo } from 'react';
import type { KeyInfo, KeyRole } from '../../../../shared/api';
import { Dash } from '../../components/Cells';
import { BodyCell, TableHead, useSortableTable } from '../../components/SortableTable';
import { useConsole } from '../../state/store';

const column = createColumnHelper<KeyInfo>();

const ROLE_LABELS: Record<KeyRole, string> = {
  'launch-signing': 'signs launches',
  'launch-encryption': 'encrypts launches',
  'downstream-decryption': 'decrypts downstream',
  'downstream-verification': 'verifies downstream',
};

function UsedFor({ kid, roles }: { kid: string; roles: KeyRole[] }) {
  if (roles.length === 0) {
    return <Dash meaning="not used" />;
  }
  return (
    <ul className="role-list" aria-label={`What the console uses key ${kid} for`} data-testid="used-for">
      {roles.map((role) => (
        <li key={role} className="badge badge-role">
          {ROLE_LABELS[role]}
        </li>
      ))}
    </ul>
  );
}

export function KeysTable({ keys }: { keys: KeyInfo[] }) {
  const highlightKid = useConsole((s) => s.highlightKid);
  const askDelete = useConsole((s) => s.askDelete);
  const openExport = useConsole((s) => s.openExport);

  const columns = useMemo(
    () => [
      column.accessor('kid', {
        header: 'Kid',
        cell: (c) => <code className="kid">{c.getValue()}</code>,
      }),
      column.accessor('purpose', { header: 'Purpose', cell: (c) => c.getValue().replace('_', ' ') }),
      column.accessor('type', {
        header: 'Type',
        cell: (c) => <span className={`badge badge-${c.getValue()}`}>{c.getValue()}</span>,
      }),
      column.accessor('use', { header: 'Use' }),
      column.accessor('bits', { header: 'Bits', meta: { numeric: true } }),
      column.accessor('source', {
        header: 'Source',
        cell: (c) => (
          <span className="source" title={c.getValue()}>
            {c.getValue()}
          </span>
        ),
      }),
      column.accessor('label', {
        header: 'Label',
        cell: (c) =>
          c.getValue() ? (
            <span className="label-text" title={c.getValue()}>
              {c.getValue()}
            </span>
          ) : (
            <span className="muted">—</span>
          ),
      }),
      column.accessor((k) => k.usedFor ?? [], {
        id: 'usedFor',
        header: 'Used for',
        enableSorting: false,
        cell: (c) => <UsedFor kid={c.row.original.kid} roles={c.getValue()} />,
      }),
      column.display({
        id: 'actions',
        header: () => <span className="visually-hidden">Actions</span>,
        cell: (c) => {
          const kid = c.row.original.kid;
          return (
            <div className="row-actions">
              <button type="button" className="button button-small" aria-label={`Export public key ${kid}`} onClick={() => void openExport(kid)}>
                Export public
              </button>
              <button type="button" className="button button-small button-danger-outline" aria-label={`Delete key ${kid}`} onClick={() => askDelete(kid)}>
                Delete
              </button>
            </div>
          );
        },
      }),
    ],
    [askDelete, openExport],
  );

  const table = useSortableTable(keys, columns, (row) => row.kid);

  return (
    <div className="table-wrap">
      <table className="data-table" aria-label="Keys in the key ring" data-testid="keys-table">
        <TableHead table={table} />
        <tbody>
          {table.getRowModel().rows.map((row) => (
            <tr key={row.id} data-testid="key-row" data-kid={row.original.kid} className={row.original.kid === highlightKid ? 'row-highlight' : undefined}>
              {row.getVisibleCells().map((cell) => (
                <BodyCell key={cell.id} cell={cell} />
              ))}
            </tr>
          ))}
        </tbody>
      </table>
      {keys.length === 0 && (
        <p className="empty" data-testid="keys-empty">
          No keys yet. Import key files or generate a key below.
        </p>
      )}
    </div>
  );
}
