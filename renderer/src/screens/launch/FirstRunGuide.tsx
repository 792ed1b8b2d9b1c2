import type { ReactNode } from 'react';
import { environmentAbilities } from '../../../../shared/environment-abilities';
import { useConsole } from '../../state/store';

/**
 * Why the Launch screen cannot do its work yet, and what to do, in place of red errors: the
 * console's first start points at http://localhost:5000 with a key ring of its own, so a new user
 * meets an unreachable runner and a ring the runner does not know before doing anything wrong.
 */
export function useFirstRunNeeds(): { unreachable: string | null; launchBlocked: string | null } {
  const kind = useConsole((s) => s.sourceKind);
  const hasCatalogue = useConsole((s) => s.catalogue !== null);
  const loading = useConsole((s) => s.catalogueLoading);
  const catalogueError = useConsole((s) => s.catalogueErrors.catalogue);
  const keys = useConsole((s) => s.keys);
  const keysLoaded = useConsole((s) => s.keysLoaded);
  // Only the runner's own list says whether the runner answers; a folder or URL says nothing of it.
  const unreachable = kind === 'runner' && !hasCatalogue && !loading && catalogueError ? catalogueError : null;
  const launch = keysLoaded ? environmentAbilities(keys).find((a) => a.id === 'launch') : undefined;
  return { unreachable, launchBlocked: launch && launch.ok === false ? launch.text : null };
}

export function FirstRunGuide({ unreachable, launchBlocked }: { unreachable: string | null; launchBlocked: string | null }) {
  const env = useConsole((s) => s.info?.activeEnvironment);
  const edit = useConsole((s) => s.editEnvironment);
  const setScreen = useConsole((s) => s.setScreen);
  const loadCatalogue = useConsole((s) => s.loadCatalogue);
  const loadCapabilities = useConsole((s) => s.loadRunnerCapabilities);
  const checking = useConsole((s) => s.catalogueLoading);
  if (!env) return null;

  return (
    <section className="panel first-run" aria-labelledby="first-run-title" data-testid="first-run-guide">
      <h2 id="first-run-title" className="panel-title">
        Before the first launch
      </h2>
      <p className="panel-hint">
        A launch needs a runner that answers and a key ring it trusts. {env.name} lacks {unreachable && launchBlocked ? 'both' : 'one of them'} so far; the
        steps below get it there, and this guide goes once they are done.
      </p>
      <ol className="first-run-steps">
        {unreachable && (
          <Step testId="guide-step-runner" title="Start a runner">
            <p role="status">
              {unreachable.startsWith('cannot') ? `The console ${unreachable}.` : `The runner's schema list could not be read: ${unreachable}.`}
            </p>
            <p>
              From an eq-questionnaire-runner checkout, <code>make run</code> (its README says how to set it up); it listens on port 5000. Or the runner kit
              beside this console: <code>runner-kit/run --port 5000</code>.
            </p>
            <div className="button-row">
              <button
                type="button"
                className="button button-small"
                disabled={checking}
                onClick={() => {
                  void loadCatalogue();
                  void loadCapabilities(true);
                }}
              >
                {checking ? 'Checking…' : 'Check again'}
              </button>
            </div>
          </Step>
        )}
        {unreachable && (
          <Step testId="guide-step-environment" title="Or point this environment at your runner">
            <p>
              {env.name} sends launches to <code>{env.runnerUrl}</code>. If your runner is elsewhere, change the address, or add an environment for it (it gets
              its own key ring).
            </p>
            <div className="button-row">
              <button type="button" className="button button-small" onClick={() => edit({ ...env })}>
                Edit the environment
              </button>
              <button type="button" className="button button-small" onClick={() => edit({ name: '', runnerUrl: 'http://localhost:5000' })}>
                Add an environment
              </button>
            </div>
          </Step>
        )}
        {launchBlocked && (
          <Step testId="guide-step-keys" title="Import the runner's keys">
            <p>
              {env.name} {launchBlocked}. A development runner's keys come in one step: <em>Import a runner checkout</em> on the Keys screen, or{' '}
              <code>eq-console keys import --runner-checkout &lt;checkout&gt;</code>.
            </p>
            <div className="button-row">
              <button type="button" className="button button-small" onClick={() => setScreen('keys')}>
                Import keys on the Keys screen
              </button>
            </div>
          </Step>
        )}
      </ol>
      {unreachable && (
        <p className="field-hint">Schemas can also come from a folder or a URL: choose Folder or URL under Schemas. Launching still needs the runner.</p>
      )}
    </section>
  );
}

function Step({ testId, title, children }: { testId: string; title: string; children: ReactNode }) {
  return (
    <li className="first-run-step" data-testid={testId}>
      <h3 className="block-title">{title}</h3>
      {children}
    </li>
  );
}
