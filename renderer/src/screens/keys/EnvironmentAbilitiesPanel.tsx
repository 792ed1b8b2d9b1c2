import { useEffect, useMemo, useRef } from 'react';
import { environmentAbilities, type Ability } from '../../../../shared/environment-abilities';
import { Panel } from '../../components/Panel';
import { useConsole } from '../../state/store';

const MARK: Record<string, string> = { true: '✓', false: '✗', unknown: '?' };

/**
 * What the active environment can do with its key ring and its runner, and what it lacks, each
 * with what to do about it. The same facts `eq-console keys list` prints (shared/environment-abilities.ts).
 */
export function EnvironmentAbilitiesPanel() {
  const env = useConsole((s) => s.info?.activeEnvironment);
  const keys = useConsole((s) => s.keys);
  const caps = useConsole((s) => s.runnerCapabilities);
  const capsError = useConsole((s) => s.runnerCapabilitiesError);
  const loadCapabilities = useConsole((s) => s.loadRunnerCapabilities);
  const runnerUrl = env?.runnerUrl;
  const canLaunch = useMemo(() => environmentAbilities(keys).find((a) => a.id === 'launch')?.ok === true, [keys]);

  const couldLaunch = useRef(canLaunch);

  useEffect(() => {
    if (runnerUrl) void loadCapabilities();
  }, [runnerUrl, loadCapabilities]);

  // The console asks the runner with probe tokens, which it can mint only once the ring can launch:
  // asked afresh when it becomes able to (the Node side keeps a failed answer a few seconds).
  useEffect(() => {
    const became = canLaunch && !couldLaunch.current;
    couldLaunch.current = canLaunch;
    if (became && runnerUrl) void loadCapabilities(true);
  }, [canLaunch, runnerUrl, loadCapabilities]);

  // Capabilities of another runner (the environment just changed) say nothing about this one.
  const runner = caps && runnerUrl && caps.runnerUrl.replace(/\/$/, '') === runnerUrl.replace(/\/$/, '') ? caps : null;
  const abilities = useMemo(() => {
    const list = environmentAbilities(keys, runner);
    if (runner || !capsError) return list;
    return list.map((a): Ability => (a.id === 'runner' ? { ...a, text: `runner: could not be asked which launch versions it accepts (${capsError})` } : a));
  }, [keys, runner, capsError]);

  if (!env) return null;
  return (
    <div data-testid="environment-abilities">
      <Panel
        id="environment-abilities"
        title={
          <>
            What {env.name} can do <span className="muted">· {env.runnerUrl}</span>
          </>
        }
        hint="From this environment's key ring and what its runner answers. Switch environments in the header to see another's."
      >
        <ul className="ability-list">
          {abilities.map((a) => {
            const ok = a.ok === null ? 'unknown' : String(a.ok);
            return (
              <li key={a.id} className={`ability ability-${ok}`} data-ability={a.id} data-ok={ok}>
                <span className="ability-mark" aria-hidden="true">
                  {MARK[ok]}
                </span>{' '}
                <span className="ability-text">{a.text}</span>
                {a.ok !== true && a.fix && <span className="field-hint ability-fix"> {a.fix}</span>}
              </li>
            );
          })}
        </ul>
      </Panel>
    </div>
  );
}
