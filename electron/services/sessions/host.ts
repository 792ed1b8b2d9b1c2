// Respondent sessions are the one thing only a front door can do: the desktop shell embeds
// them (electron/main/sessions.ts); browser mode leaves them to the user's browser. The
// services talk to whichever host they were given through this interface.
import type { Rect, RunnerAnswer, SessionAction, SessionInfo } from '../../../shared/launch-types';

export interface OpenSession {
  url: string;
  label: string;
  historyId: string;
  runnerUrl: string;
  /** Launched with role dumper: /dump/submission can be previewed. */
  dumper: boolean;
  /** Called once with the runner's answer to the /session request, when the host sees it. */
  onAnswer: (answer: RunnerAnswer) => void;
}

export interface SessionHost {
  /** True when sessions open inside the console (the desktop app). */
  readonly embedded: boolean;
  open(session: OpenSession): Promise<SessionInfo>;
  /** The user's own browser (desktop: shell.openExternal). Browser mode: the page opens it. */
  openExternal(url: string): Promise<void>;
  list(): Promise<SessionInfo[]>;
  control(id: string, action: SessionAction, url?: string): Promise<SessionInfo[]>;
  setViewport(rect: Rect | null): Promise<void>;
  previewSubmission(id: string): Promise<unknown>;
}
