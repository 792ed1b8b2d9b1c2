import { useEffect, useId, useMemo } from 'react';
import type { LaunchPayload } from '../../../../shared/launch-types';
import type { LaunchVersion } from '../../../../shared/runner-capabilities';
import { acceptanceFor } from '../../state/runner-slice';
import { useConsole } from '../../state/store';

type Setting = 'detect' | 'v2' | 'v1,v2';
const SETTINGS: { id: Setting; label: string; accepts: LaunchVersion[] | null }[] = [
  { id: 'detect', label: 'Find out', accepts: null },
  { id: 'v2', label: 'v2 only (v14 and later)', accepts: ['v2'] },
  { id: 'v1,v2', label: 'v1 and v2 (v12 to v13)', accepts: ['v1', 'v2'] },
];

function settingOf(accepts: readonly LaunchVersion[] | undefined): Setting {
  if (!accepts) return 'detect';
  return accepts.includes('v1') ? 'v1,v2' : 'v2';
}

/** Whether the active runner takes a payload format, in a few words for the payload switch. */
export function useRunnerTakes(): (payload: LaunchPayload) => string | null {
  // Selected apart and combined here: a selector that makes a new object each time would re-render without end.
  const caps = useConsole((s) => s.runnerCapabilities);
  const runnerUrl = useConsole((s) => s.info?.activeEnvironment.runnerUrl);
  const acceptance = useMemo(() => acceptanceFor(caps, runnerUrl), [caps, runnerUrl]);
  return (payload) => {
    if (!acceptance) return null;
    const assumed = acceptance.known ? '' : ' (assumed)';
    // First-generation tokens have no jti, which every eq-questionnaire-runner requires.
    if (payload === 'legacy') return 'this runner refuses it';
    return acceptance.versions.includes(payload) ? `this runner takes it${assumed}` : `this runner refuses it${assumed}`;
  };
}

/**
 * What the active environment's runner accepts and how the console knows: found out by the Node
 * side (a probe it keeps the answer of), or as the user sets it here for the environment.
 */
export function RunnerAccepts() {
  const env = useConsole((s) => s.info?.activeEnvironment);
  const caps = useConsole((s) => s.runnerCapabilities);
  const busy = useConsole((s) => s.runnerCapabilitiesBusy);
  const error = useConsole((s) => s.runnerCapabilitiesError);
  const load = useConsole((s) => s.loadRunnerCapabilities);
  const setAccepts = useConsole((s) => s.setRunnerAccepts);
  const selectId = useId();
  const runnerUrl = env?.runnerUrl;

  useEffect(() => {
    if (runnerUrl) void load();
  }, [runnerUrl, load]);

  if (!env) return null;
  const shown = caps && caps.runnerUrl === runnerUrl ? caps : null;
  return (
    <div className="runner-accepts" data-testid="runner-accepts" data-source={shown?.source ?? ''}>
      <p className="field-hint" data-testid="runner-accepts-summary" aria-live="polite">
        {error
          ? `Could not ask which launch versions the runner accepts: ${error}`
          : shown
            ? shown.summary
            : 'Asking the runner which launch versions it accepts…'}
      </p>
      <div className="runner-accepts-controls">
        <label htmlFor={selectId}>This runner accepts</label>{' '}
        <select
          id={selectId}
          data-testid="runner-accepts-setting"
          value={settingOf(env.runnerAccepts)}
          disabled={busy}
          onChange={(e) => void setAccepts(SETTINGS.find((s) => s.id === e.target.value)?.accepts ?? null)}
        >
          {SETTINGS.map((s) => (
            <option key={s.id} value={s.id}>
              {s.label}
            </option>
          ))}
        </select>{' '}
        <button type="button" className="button button-small" data-testid="runner-accepts-check" disabled={busy} onClick={() => void load(true)}>
          {busy ? 'Checking…' : 'Check again'}
        </button>
      </div>
    </div>
  );
}
