// The Inspect screen's state: the pasted token or launch URL, whether to check it against the
// active environment's runner, and the service's report on it. The service does the inspecting.
import type { InspectOptions } from '../../../shared/api';
import type { InspectReport, Problem, ProblemSource } from '../../../shared/inspect-types';
import { errorMessage } from './errors';
import type { SliceCreator } from './types';
import type { RespondentFrom } from './launch-slice';

export interface InspectSlice {
  inspectInput: string;
  /** Fetch the schema from the active environment's runner to check the questionnaire metadata. */
  inspectAgainstRunner: boolean;
  inspectReport: InspectReport | null;
  /** The runner the report on screen was checked against, or null when it was not. */
  inspectCheckedRunner: string | null;
  inspectBusy: boolean;
  inspectError: string | null;

  setInspectInput(value: string): void;
  setInspectAgainstRunner(value: boolean): void;
  inspectToken(): Promise<InspectReport | null>;
  clearInspectError(): void;
}

/**
 * What "Relaunch as this respondent" takes from the report: the claims read from the token, or
 * those the console minted into a token it cannot open; otherwise why there are none.
 */
export function inspectedRespondent(report: InspectReport): RespondentFrom | { why: string } {
  const claims = report.claims ?? report.minted?.claims ?? null;
  if (claims) return { kind: 'claims', claims, source: inspectedSource(report) };
  if (report.state === 'cannot-look-inside')
    return { why: "The console cannot look inside this token, so it has no claims to take into the launch builder. Import the runner's key store to open it." };
  return { why: 'The token could not be opened, so it has no claims to take into the launch builder (the report above says why).' };
}

/** How the Launch screen names where a relaunched respondent came from. */
function inspectedSource(report: InspectReport): string {
  return report.minted ? 'the inspected token (the claims the console minted into it)' : 'the inspected token';
}

/** The options for api.tokens.inspect: {runnerUrl} only when asked for and known. */
export function inspectOptions(againstRunner: boolean, runnerUrl: string | undefined): InspectOptions | undefined {
  return againstRunner && runnerUrl ? { runnerUrl } : undefined;
}

/** The problems split by who raises them: what the runner checks, and what the ONS specification says. */
export function problemGroups(problems: readonly Problem[]): Record<ProblemSource, Problem[]> {
  return {
    console: problems.filter((p) => p.source === 'console'),
    runner: problems.filter((p) => p.source === 'runner'),
    spec: problems.filter((p) => p.source === 'spec'),
  };
}

export const createInspectSlice: SliceCreator<InspectSlice> = (set, get, api) => {
  // Only the newest request's answer is shown; an older one that answers later is dropped.
  let latest = 0;
  return {
    inspectInput: '',
    // The Launch screen judges against the runner's schemas; Inspect does the same unless told not to.
    inspectAgainstRunner: true,
    inspectReport: null,
    inspectCheckedRunner: null,
    inspectBusy: false,
    inspectError: null,

    setInspectInput: (value) => set({ inspectInput: value }),
    setInspectAgainstRunner: (value) => set({ inspectAgainstRunner: value }),
    clearInspectError: () => set({ inspectError: null }),

    async inspectToken() {
      const { inspectInput, inspectAgainstRunner, info } = get();
      const options = inspectOptions(inspectAgainstRunner, info?.activeEnvironment.runnerUrl);
      const request = ++latest;
      set({ inspectBusy: true, inspectError: null });
      try {
        // Empty input still goes to the service: its refusal is the message the user sees.
        const report = options ? await api.tokens.inspect(inspectInput.trim(), options) : await api.tokens.inspect(inspectInput.trim());
        if (request !== latest) return null;
        set({ inspectReport: report, inspectCheckedRunner: options?.runnerUrl ?? null });
        return report;
      } catch (err) {
        if (request !== latest) return null;
        set({ inspectError: errorMessage(err), inspectReport: null, inspectCheckedRunner: null });
        return null;
      } finally {
        if (request === latest) set({ inspectBusy: false });
      }
    },
  };
};
