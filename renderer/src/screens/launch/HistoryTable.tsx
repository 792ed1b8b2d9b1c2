import { createColumnHelper } from '@tanstack/react-table';
import { useEffect, useMemo, useState } from 'react';
import type { HistoryEntry } from '../../../../shared/launch-types';
import { copyText } from '../../clipboard';
import { REUSE_WARNING } from '../../../../shared/launch/from-respondent';
import { ErrorAlert } from '../../components/Alert';
import { Dialog } from '../../components/Dialog';
import { RelaunchButton } from '../../components/RelaunchButton';
import { BodyCell, TableHead, useSortableTable } from '../../components/SortableTable';
import { errorMessage } from '../../state/errors';
import { historyResponseId } from '../../state/flush-slice';
import { useConsole } from '../../state/store';
import { useLaunchActions } from './useLaunch';

const column = createColumnHelper<HistoryEntry>();

function when(at: string): string {
  const d = new Date(at);
  if (Number.isNaN(d.getTime())) return at;
  const today = new Date().toDateString() === d.toDateString();
  const time = d.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit' });
  return today ? time : `${d.toLocaleDateString()} ${time}`;
}

function StatusBadge({ status }: { status: number }) {
  return <span className={status === 302 ? 'mini-badge ok' : 'mini-badge bad'}>{status}</span>;
}

/** Every launch the console made, newest first, each one a click from being launched again. */
export function HistoryTable() {
  const history = useConsole((s) => s.history);
  const loaded = useConsole((s) => s.historyLoaded);
  const load = useConsole((s) => s.loadHistory);
  const listError = useConsole((s) => s.historyErrors.history);
  const rowError = useConsole((s) => s.historyErrors.historyRow);
  const relaunchError = useConsole((s) => s.launchErrors.relaunch);
  const clearLaunchError = useConsole((s) => s.clearLaunchError);
  const clearError = useConsole((s) => s.clearHistoryError);
  const askClear = useConsole((s) => s.askClearHistory);
  const [note, setNote] = useState<{ ok: boolean; text: string } | null>(null);

  useEffect(() => {
    if (!loaded) void load();
  }, [loaded, load]);

  return (
    <section className="panel" aria-labelledby="history-title" data-testid="history">
      <div className="panel-head">
        <h2 id="history-title" className="panel-title">
          History {loaded && <span className="count">({history.length})</span>}
        </h2>
        <button type="button" className="button button-small button-danger-outline" disabled={history.length === 0} onClick={() => askClear(true)}>
          Clear history
        </button>
      </div>
      <ErrorAlert message={listError} testId="history-error" />
      <ErrorAlert message={rowError} onDismiss={() => clearError('historyRow')} />
      <ErrorAlert message={relaunchError} onDismiss={() => clearLaunchError('relaunch')} testId="relaunch-error" />
      {note && (
        <p className={note.ok ? 'inline-status' : 'inline-status inline-status-error'} role={note.ok ? 'status' : 'alert'}>
          {note.text}
        </p>
      )}
      {loaded && <HistoryRows history={history} onNote={setNote} />}
      <ClearHistoryDialog />
    </section>
  );
}

function HistoryRows({ history, onNote }: { history: HistoryEntry[]; onNote: (n: { ok: boolean; text: string } | null) => void }) {
  const remove = useConsole((s) => s.removeHistory);
  const queueFlush = useConsole((s) => s.queueFlushFromHistory);
  const busy = useConsole((s) => s.launchBusy);
  const { relaunch } = useLaunchActions();

  const columns = useMemo(
    () => [
      column.accessor('at', { header: 'Time', cell: (c) => <time dateTime={c.getValue()}>{when(c.getValue())}</time> }),
      column.accessor('label', {
        header: 'Schema',
        cell: (c) => (
          <span className="label-text history-label" title={c.row.original.schemaName ?? c.getValue()}>
            {c.getValue()}
          </span>
        ),
      }),
      column.accessor('payload', { header: 'Payload' }),
      column.accessor((e) => e.predicted.runnerStatus, {
        id: 'predicted',
        header: 'Predicted',
        cell: (c) => (
          <span title={c.row.original.predicted.verdict}>
            <StatusBadge status={c.getValue()} />
          </span>
        ),
      }),
      column.accessor((e) => e.answer?.status ?? 0, {
        id: 'answer',
        header: 'First answer',
        cell: (c) => {
          const a = c.row.original.answer;
          return a ? (
            <span title={a.location ? `→ ${a.location}` : undefined}>
              <StatusBadge status={a.status} />
            </span>
          ) : (
            <span className="muted">not observed</span>
          );
        },
      }),
      column.accessor((e) => e.roles.join(', '), {
        id: 'roles',
        header: 'Roles',
        cell: (c) => c.getValue() || <span className="muted">—</span>,
      }),
      column.display({
        id: 'actions',
        header: () => <span className="visually-hidden">Actions</span>,
        cell: (c) => {
          const e = c.row.original;
          const label = `${e.label} at ${when(e.at)}`;
          return (
            <div className="row-actions">
              <button
                type="button"
                className="button button-small"
                disabled={busy}
                aria-label={`Resume ${label}`}
                // Reusing a response_id is always said: "Relaunch as this respondent" gives a new one.
                title={`Launch again with the same response_id: ${REUSE_WARNING}`}
                onClick={async () => {
                  onNote(null);
                  const outcome = await relaunch(e.id);
                  if (outcome) onNote({ ok: true, text: `Resumed ${e.label}: the same response_id, with a fresh jti and tx_id.` });
                }}
              >
                Resume
              </button>
              <button
                type="button"
                className="button button-small"
                aria-label={`Copy URL of ${label}`}
                onClick={async () => {
                  try {
                    await copyText(e.url);
                    onNote({ ok: true, text: 'Copied the URL. Its jti may already be used: relaunch for a fresh one.' });
                  } catch (err) {
                    onNote({ ok: false, text: errorMessage(err) });
                  }
                }}
              >
                Copy URL
              </button>
              <RelaunchButton
                small
                of={label}
                from={() => ({ kind: 'claims', claims: e.claims, source: `the launch of ${label}`, ...(e.schema ? { schema: e.schema } : {}) })}
              />
              <FlushButton entry={e} label={label} onFlush={queueFlush} />
              <button
                type="button"
                className="button button-small button-danger-outline"
                aria-label={`Remove ${label}`}
                title="Remove from the history"
                onClick={() => void remove(e.id)}
              >
                ×
              </button>
            </div>
          );
        },
      }),
    ],
    [busy, relaunch, remove, queueFlush, onNote],
  );

  const table = useSortableTable(history, columns, (row) => row.id);

  if (history.length === 0) return <p className="empty">No launches yet.</p>;
  return (
    <div className="table-wrap">
      <table className="data-table history-table" aria-label="Launch history" data-testid="history-table">
        <TableHead table={table} />
        <tbody>
          {table.getRowModel().rows.map((row) => (
            <tr key={row.id} data-testid="history-row" data-id={row.original.id}>
              {row.getVisibleCells().map((cell) => (
                <BodyCell key={cell.id} cell={cell} />
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** Queues the launch's response on the Flush screen; the service builds the token from this launch's claims. */
function FlushButton({ entry, label, onFlush }: { entry: HistoryEntry; label: string; onFlush: (entry: HistoryEntry) => boolean }) {
  const responseId = historyResponseId(entry);
  return (
    <button
      type="button"
      className="button button-small"
      disabled={!responseId}
      aria-label={`Flush the response of ${label}`}
      title={responseId ? `Flush response ${responseId}` : 'This launch has no response_id to flush'}
      onClick={() => onFlush(entry)}
    >
      Flush
    </button>
  );
}

function ClearHistoryDialog() {
  const open = useConsole((s) => s.confirmClearHistory);
  const count = useConsole((s) => s.history.length);
  const ask = useConsole((s) => s.askClearHistory);
  const clear = useConsole((s) => s.clearHistory);
  const busy = useConsole((s) => s.historyBusy.clear);
  const error = useConsole((s) => s.historyErrors.clear);
  if (!open) return null;
  return (
    <Dialog
      title="Clear the launch history?"
      onClose={() => ask(false)}
      testId="clear-history-dialog"
      footer={
        <>
          <button type="button" className="button" onClick={() => ask(false)} disabled={busy}>
            Cancel
          </button>
          <button type="button" className="button button-danger" onClick={() => void clear()} disabled={busy}>
            {busy ? 'Clearing…' : 'Clear history'}
          </button>
        </>
      }
    >
      <p>
        All {count} {count === 1 ? 'launch' : 'launches'} will be removed from the history. Profiles are kept.
      </p>
      <ErrorAlert message={error} />
    </Dialog>
  );
}
