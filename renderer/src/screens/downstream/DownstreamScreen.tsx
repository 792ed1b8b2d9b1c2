import { ErrorAlert } from '../../components/Alert';
import { Screen } from '../../components/Screen';
import { WindowFileDrop } from '../../components/WindowFileDrop';
import { useConsole } from '../../state/store';
import { CompareView } from './CompareView';
import { MachinePanel, PagePanel, useOpenPicked } from './Inputs';
import { ItemsList } from './ItemsList';
import { Reader } from './Reader';

export function DownstreamScreen() {
  const openPicked = useOpenPicked();
  const dumpBusy = useConsole((s) => s.downstreamBusy.dump);
  const dumpError = useConsole((s) => s.downstreamErrors.dump);
  const clearError = useConsole((s) => s.clearDownstreamError);

  return (
    <Screen
      name="downstream"
      title="Downstream"
      lead="What the runner sends downstream: decrypted with the key ring, signature checked, validated against the spec, ready to read and compare."
    >
      {dumpBusy && (
        <p className="busy" data-testid="dump-busy">
          Fetching the session's submission…
        </p>
      )}
      <ErrorAlert message={dumpError} onDismiss={() => clearError('dump')} testId="dump-error" />
      <div className="panel-grid downstream-inputs">
        <PagePanel />
        <MachinePanel />
      </div>
      <ItemsList />
      <Selection />
      <WindowFileDrop onFiles={openPicked} message="Drop payload files or folders to open them" />
    </Screen>
  );
}

function Selection() {
  const selected = useConsole((s) => s.downstreamSelected);
  const items = useConsole((s) => s.downstreamItems);
  const chosen = selected.map((id) => items.find((i) => i.id === id)).filter((i) => i !== undefined);
  if (chosen.length === 2) return <CompareView items={[chosen[0]!, chosen[1]!]} />;
  if (chosen.length === 1) return <Reader key={chosen[0]!.id} item={chosen[0]!} />;
  return null;
}
