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
    <section className="screen launch-screen" aria-labelledby="screen-title" data-testid="launch-screen">
      <div className="screen-head">
        <h1 id="screen-title" className="screen-title">
          Launch
        </h1>
        <p className="screen-lead">Pick a schema, shape the claims, see what the runner would answer, and start a respondent session.</p>
      </div>
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
    </section>
  );
}
