import { Screen } from '../../components/Screen';
import { useConsole } from '../../state/store';
import { BuilderForm } from './BuilderForm';
import { CataloguePanel } from './CataloguePanel';
import { HistoryTable } from './HistoryTable';
import { LastLaunch, LaunchBar } from './LaunchBar';
import { ProfilesPanel } from './ProfilesPanel';
import { RawJsonEditor } from './RawJsonEditor';
import { SessionsStrip } from './SessionsStrip';

export function LaunchScreen() {
  const mode = useConsole((s) => s.info?.mode);
  return (
    <Screen name="launch" title="Launch" lead="Pick a schema, shape the claims, see what the runner would answer, and start a respondent session.">
      <div className="launch-grid">
        <div className="side-column">
          <CataloguePanel />
          <ProfilesPanel />
        </div>
        <div className="builder-column">
          <BuilderForm />
          <RawJsonEditor />
          <LaunchBar />
        </div>
      </div>
      <LastLaunch />
      {/* Embedding needs the desktop shell; browser mode opens sessions in tabs instead. */}
      {mode === 'electron' && <SessionsStrip />}
      <HistoryTable />
    </Screen>
  );
}
