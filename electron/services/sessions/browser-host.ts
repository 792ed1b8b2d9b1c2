// Sessions where the console cannot embed them (browser mode, the CLI): the respondent's session
// lives in the user's own browser, which the page (or the CLI) opens itself.
import { ConsoleError } from '../../../shared/errors';
import type { SessionInfo } from '../../../shared/launch-types';
import type { OpenSession, SessionHost } from './host';

export class BrowserSessionHost implements SessionHost {
  readonly embedded = false;

  /** runnerUrl(): the active environment's runner, to say where /dump/submission is. */
  constructor(private readonly runnerUrl: () => string) {}

  async open(session: OpenSession): Promise<SessionInfo> {
    throw new ConsoleError('bad-input', `Sessions cannot be embedded here: open ${session.url.split('?')[0]} in your browser instead.`);
  }

  /** The page opens the URL itself (window.open), so nothing happens on this side. */
  async openExternal(_url: string): Promise<void> {}

  async list(): Promise<SessionInfo[]> {
    return [];
  }

  async control(id: string): Promise<SessionInfo[]> {
    throw new ConsoleError('not-found', `There is no embedded session ${String(id)}: in browser mode sessions open in your browser.`);
  }

  async setViewport(): Promise<void> {}

  async previewSubmission(): Promise<unknown> {
    throw new ConsoleError(
      'not-found',
      `In browser mode the session lives in your browser, with its own cookie: open ${this.runnerUrl()}/dump/submission there (the launch needs the dumper role).`,
    );
  }
}
