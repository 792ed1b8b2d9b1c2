// Sessions where the console cannot embed them (browser mode, the CLI): the respondent's session
// lives in the user's own browser, which the page (or the CLI) opens itself.
import { ConsoleError } from '../../../shared/errors';
import { runnerEndpoints } from '../../../shared/runner-url';
import type { SessionInfo } from '../../../shared/launch-types';
import type { OpenSession, SessionHost } from './host';

export class BrowserSessionHost implements SessionHost {
  readonly embedded = false;

  /**
   * runnerUrl(): the active environment's runner, to say where /dump/submission is. opener: how
   * this process opens the user's browser (the command line's --open); browser mode has none, as
   * its page opens the tab itself.
   */
  constructor(
    private readonly runnerUrl: () => string,
    private readonly opener?: (url: string) => Promise<void>,
  ) {}

  async open(session: OpenSession): Promise<SessionInfo> {
    throw new ConsoleError('bad-input', `Sessions cannot be embedded here: open ${session.url.split('?')[0]} in your browser instead.`);
  }

  async openExternal(url: string): Promise<void> {
    if (!this.opener) throw new ConsoleError('bad-input', 'In browser mode the page opens the launch in a new tab itself.');
    await this.opener(url);
  }

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
      `In browser mode the session lives in your browser, with its own cookie: open ${runnerEndpoints.dumpSubmission(this.runnerUrl())} there (the launch needs the dumper role).`,
    );
  }
}
