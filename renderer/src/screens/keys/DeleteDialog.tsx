import { ErrorAlert } from '../../components/Alert';
import { Dialog } from '../../components/Dialog';
import { useConsole } from '../../state/store';

export function DeleteDialog() {
  const kid = useConsole((s) => s.pendingDelete);
  const key = useConsole((s) => s.keys.find((k) => k.kid === s.pendingDelete));
  const busy = useConsole((s) => s.busy.delete);
  const error = useConsole((s) => s.errors.delete);
  const askDelete = useConsole((s) => s.askDelete);
  const confirmDelete = useConsole((s) => s.confirmDelete);
  if (!kid) return null;
  return (
    <Dialog
      title="Delete this key?"
      onClose={() => askDelete(null)}
      testId="delete-dialog"
      footer={
        <>
          <button type="button" className="button" onClick={() => askDelete(null)} disabled={busy}>
            Cancel
          </button>
          <button type="button" className="button button-danger" onClick={() => void confirmDelete()} disabled={busy} data-testid="delete-confirm">
            {busy ? 'Deleting…' : 'Delete key'}
          </button>
        </>
      }
    >
      <p>
        <code className="kid">{kid}</code>
        {key && (
          <>
            {' '}
            ({key.purpose.replace('_', ' ')} {key.use}, {key.type})
          </>
        )}{' '}
        will be removed from the console's key ring.
      </p>
      {key?.type === 'private' && (
        <p className="warning-text">
          This deletes the private key. It cannot be undone: unless you have a copy of the key file, tokens for this kid can no longer be made or read.
        </p>
      )}
      <ErrorAlert message={error} testId="delete-error" />
    </Dialog>
  );
}
