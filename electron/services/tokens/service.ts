// The Tokens operations of the contract: explain any token, launch URL or pasted text.
import type { ConsoleApi, InspectOptions } from '../../../shared/api';
import type { InspectReport } from '../../../shared/inspect-types';
import type { RunnerAcceptance } from '../../../shared/runner-capabilities';
import type { KeyRing } from '../keyring/keyring';
import { inspectToken, type MintHistory } from './inspect';

export class TokenService implements Readonly<ConsoleApi['tokens']> {
  /**
   * ring() gives the keys tokens are opened with, as they stand now (another front door may have
   * changed them); history what the console minted and sent.
   */
  constructor(
    private readonly ring: () => Promise<KeyRing>,
    private readonly history?: MintHistory,
    /** Which launch versions the runner accepts (services/runner), when a runner is named or the user said. */
    private readonly acceptance?: (runnerUrl: string | undefined) => Promise<RunnerAcceptance | undefined>,
  ) {}

  async inspect(input: string, options: InspectOptions = {}): Promise<InspectReport> {
    const [ring, accepts] = await Promise.all([this.ring(), this.acceptance?.(options.runnerUrl)]);
    return inspectToken(input, ring, { ...options, ...(accepts ? { accepts } : {}) }, this.history);
  }
}
