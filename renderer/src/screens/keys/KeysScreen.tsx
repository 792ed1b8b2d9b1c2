import { useEffect } from 'react';
import { ErrorAlert } from '../../components/Alert';
import { Screen } from '../../components/Screen';
import { WindowFileDrop } from '../../components/WindowFileDrop';
import { useConsole } from '../../state/store';
import { DeleteDialog } from './DeleteDialog';
import { EnvironmentAbilitiesPanel } from './EnvironmentAbilitiesPanel';
import { ExportDialog } from './ExportDialog';
import { GeneratePanel } from './GeneratePanel';
import { ImportPanel, useImportPicked } from './ImportPanel';
import { KeysTable } from './KeysTable';
import { LaunchKeysPanel } from './LaunchKeysPanel';

export function KeysScreen() {
  const keys = useConsole((s) => s.keys);
  const loaded = useConsole((s) => s.keysLoaded);
  const listError = useConsole((s) => s.errors.list);
  const secretStorage = useConsole((s) => s.info?.secretStorage);
  const refreshKeys = useConsole((s) => s.refreshKeys);
  const importPicked = useImportPicked();

  useEffect(() => {
    void refreshKeys();
  }, [refreshKeys]);

  return (
    <Screen name="keys" title="Keys" lead="The key ring the console signs and encrypts launch tokens with, and decrypts downstream payloads with.">
      {loaded && <EnvironmentAbilitiesPanel />}

      <section className="panel" aria-labelledby="ring-title">
        <div className="panel-head">
          <h2 id="ring-title" className="panel-title">
            Key ring {loaded && <span className="count">({keys.length})</span>}
          </h2>
          <button type="button" className="button button-small" onClick={() => void refreshKeys()}>
            Refresh
          </button>
        </div>
        {secretStorage && (
          <p className="storage-note" data-testid="secret-storage">
            <strong>How private keys are stored:</strong> {secretStorage}
          </p>
        )}
        <ErrorAlert message={listError} testId="list-error" />
        {loaded ? <KeysTable keys={keys} /> : !listError && <p className="busy">Loading keys…</p>}
      </section>

      {loaded && <LaunchKeysPanel />}

      <div className="panel-grid">
        <ImportPanel />
        <GeneratePanel />
      </div>

      <WindowFileDrop onFiles={importPicked} message="Drop key files or folders to import them" />
      <ExportDialog />
      <DeleteDialog />
    </Screen>
  );
}
