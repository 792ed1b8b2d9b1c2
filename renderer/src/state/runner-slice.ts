// Which launch versions the active environment's runner accepts (the Node side finds out and keeps
// the answer per runner), and the user's say on it, kept with the environment. The builder's
// verdict follows: launch-slice's verdictFor reads runnerAcceptance().
import type { LaunchVersion, RunnerCapabilities } from '../../../shared/api';
import { acceptanceOf, type RunnerAcceptance } from '../../../shared/runner-capabilities';
import { errorMessage } from './errors';
import type { ConsoleState, SliceCreator } from './types';

export interface RunnerSlice {
  /** For the active environment's runner; null until asked, or when asking failed. */
  runnerCapabilities: RunnerCapabilities | null;
  runnerCapabilitiesBusy: boolean;
  runnerCapabilitiesError: string | null;
  /** refresh: the runner is probed again, not answered from the console's record. */
  loadRunnerCapabilities(refresh?: boolean): Promise<void>;
  /** What the active environment's runner accepts, as the user says; null: the console finds out. */
  setRunnerAccepts(accepts: LaunchVersion[] | null): Promise<void>;
}

const trimSlash = (url: string) => (url.endsWith('/') ? url.slice(0, -1) : url);

/** The capabilities as the rules take them, when they are the given runner's; undefined before they arrive. */
export function acceptanceFor(caps: RunnerCapabilities | null, runnerUrl: string | undefined): RunnerAcceptance | undefined {
  return caps && runnerUrl !== undefined && trimSlash(caps.runnerUrl) === trimSlash(runnerUrl) ? acceptanceOf(caps) : undefined;
}

/** The same for the active environment's runner. */
export function runnerAcceptance(s: ConsoleState): RunnerAcceptance | undefined {
  return acceptanceFor(s.runnerCapabilities, s.info?.activeEnvironment.runnerUrl);
}

export const createRunnerSlice: SliceCreator<RunnerSlice> = (set, get, api) => {
  /** The runner URL asked about last: an answer about another one (the environment changed meanwhile) is dropped. */
  let asked: string | undefined;

  return {
    runnerCapabilities: null,
    runnerCapabilitiesBusy: false,
    runnerCapabilitiesError: null,

    async loadRunnerCapabilities(refresh = false) {
      const url = get().info?.activeEnvironment.runnerUrl;
      if (!url) return;
      asked = url;
      set({ runnerCapabilitiesBusy: true, runnerCapabilitiesError: null });
      try {
        const caps = await api.runners.capabilities(url, refresh ? { refresh: true } : undefined);
        if (asked !== url) return;
        set({ runnerCapabilities: caps });
      } catch (err) {
        if (asked !== url) return;
        set({ runnerCapabilities: null, runnerCapabilitiesError: errorMessage(err) });
      } finally {
        if (asked === url) set({ runnerCapabilitiesBusy: false });
      }
      // The verdict on the claims on screen follows what the runner accepts.
      get().recheck();
    },

    async setRunnerAccepts(accepts) {
      const env = get().info?.activeEnvironment;
      if (!env) return;
      set({ runnerCapabilitiesBusy: true, runnerCapabilitiesError: null });
      try {
        const saved = await api.runners.setAccepts(env.id, accepts);
        set((s) => ({
          info: s.info && s.info.activeEnvironment.id === saved.id ? { ...s.info, activeEnvironment: saved } : s.info,
          environments: s.environments.map((e) => (e.id === saved.id ? saved : e)),
        }));
      } catch (err) {
        set({ runnerCapabilitiesBusy: false, runnerCapabilitiesError: errorMessage(err) });
        return;
      }
      await get().loadRunnerCapabilities();
    },
  };
};
