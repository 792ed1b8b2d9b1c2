// The Tokens operations of the contract: explain any token, launch URL or pasted text.
import type { ConsoleApi, InspectOptions } from '../../../shared/api';
import type { InspectReport } from '../../../shared/inspect-types';
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
  ) {}

  async inspect(input: string, options: InspectOptions = {}): Promise<InspectReport> {
    return inspectToken(input, await this.ring(), options, this.history);
  }
}
