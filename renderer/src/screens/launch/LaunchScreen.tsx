import { useEffect } from 'react';
import { Screen } from '../../components/Screen';
import { useConsole } from '../../state/store';
import { BrokenTokenPanel } from './BrokenTokenPanel';
import { BuilderForm } from './BuilderForm';
import { CataloguePanel } from './CataloguePanel';
import { FirstRunGuide, useFirstRunNeeds } from './FirstRunGuide';
import { HistoryTable } from './HistoryTable';
import { LastLaunch, LaunchBar } from './LaunchBar';
import { ProfilesPanel } from './ProfilesPanel';
import { RawJsonEditor } from './RawJsonEditor';
import { RespondentPanel } from './RespondentPanel';
import { SessionsStrip } from './SessionsStrip';

export function LaunchScreen() {
  const mode = useConsole((s) => s.info?.mode);
  const keysLoaded = useConsole((s) => s.keysLoaded);
  const refreshKeys = useConsole((s) => s.refreshKeys);
  const claimsGiven = useConsole((s) => s.claimsGiven);
  const needs = useFirstRunNeeds();

  // Whether a launch can be minted at all depends on the ring: the guide and the verdict need it.
  useEffect(() => {
    if (!keysLoaded) void refreshKeys();
  }, [keysLoaded, refreshKeys]);
  return (
    <Screen name="launch" title="Launch" lead="Pick a schema, shape the claims, see what the runner would answer, and start a respondent session.">
      {(needs.unreachable || needs.launchBlocked) && <FirstRunGuide {...needs} />}
      <div className="launch-grid">
        <div className="side-column">
          <CataloguePanel runnerErrorShownAbove={needs.unreachable !== null} />
          <ProfilesPanel />
        </div>
        <div className="builder-column">
          <RespondentPanel />
          <BuilderForm />
          <RawJsonEditor />
          {/* A verdict on claims nobody gave yet is noise: a red 403 before the user has done anything. */}
          {claimsGiven ? (
            <LaunchBar />
          ) : (
            <p className="no-verdict" data-testid="no-verdict">
              No verdict yet: pick a schema, or type or load claims, and the console says what the runner would answer.
            </p>
          )}
        </div>
      </div>
      <LastLaunch />
      <BrokenTokenPanel />
      {/* Embedding needs the desktop shell; browser mode opens sessions in tabs instead. */}
      {mode === 'electron' && <SessionsStrip />}
      <HistoryTable />
    </Screen>
  );
}
