// The Tokens operations of the contract: mint with the ring's launch keys, inspect any token,
// launch URL or pasted text.
import type { ConsoleApi, InspectOptions, MintResult } from '../../../shared/api';
import type { InspectReport } from '../../../shared/inspect-types';
import { ConsoleError } from '../../../shared/errors';
import type { KeyRing } from '../keyring/keyring';
import { inspectToken, type MintHistory } from './inspect';
import { sealClaims } from './jwt-profile';
import { launchKeys } from './launch-keys';

export class TokenService implements Readonly<ConsoleApi['tokens']> {
  /**
   * ring() gives the active environment's key ring as it stands now (another front door may have
   * changed it); history what the console minted and sent.
   */
  constructor(
    private readonly ring: () => Promise<KeyRing>,
    private readonly history?: MintHistory,
  ) {}

  async mint(claims: Record<string, unknown>): Promise<MintResult> {
    if (!claims || typeof claims !== 'object' || Array.isArray(claims)) throw new ConsoleError('bad-input', 'Claims must be a JSON object.');
    const keys = launchKeys(await this.ring());
    return { token: sealClaims(claims, keys), signingKid: keys.signer.kid, encryptionKid: keys.recipient.kid };
  }

  async inspect(input: string, options: InspectOptions = {}): Promise<InspectReport> {
    if (typeof input !== 'string') throw new ConsoleError('bad-input', 'Give a token or a launch URL as text.');
    return inspectToken(input, await this.ring(), options, this.history);
  }
}
