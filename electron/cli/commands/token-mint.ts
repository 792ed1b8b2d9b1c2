import fs from 'node:fs';
import { ConsoleError } from '../../../shared/errors';
import { sealClaims } from '../../services/tokens/jwt-profile';
import { launchKeys } from '../../services/tokens/launch-keys';
import { mintBatch } from '../../services/tokens/mint-pool';
import { type Command, EXIT_OK, positiveInt, str, UsageError } from '../command';
import { openKeySource } from '../key-source';

export const tokenMint: Command = {
  name: 'token mint',
  summary:
    'Sign (RS256) and encrypt (RSA-OAEP/A256GCM) claims exactly as given: no defaults, no validation, so invalid tokens can be made on purpose. ' +
    'Claims come from --claims or stdin. --count N prints N tokens, one a line, each with a fresh jti and tx_id.',
  usage: 'token mint [--keys <store>] [--claims <file>] [--count N]',
  options: { keys: { type: 'string' }, claims: { type: 'string' }, count: { type: 'string' } },
  async run({ values, positionals }, io) {
    if (positionals.length) throw new UsageError(`unexpected argument "${positionals[0]}"`);
    const count = positiveInt(str(values, 'count'), 'count');
    const claimsFile = str(values, 'claims');
    const claims = parseClaims(claimsFile ? readFile(claimsFile) : await io.readStdin(), claimsFile ?? 'stdin');
    const keys = launchKeys(await openKeySource(str(values, 'keys'), (l) => io.stderr(l + '\n')));
    if (count === undefined) {
      io.stdout((await sealClaims(claims, keys)) + '\n');
    } else {
      await mintBatch(claims, keys, count, (tokens) => io.stdout(tokens.join('\n') + '\n'));
    }
    return EXIT_OK;
  },
};

function readFile(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    throw new ConsoleError('not-found', `cannot read ${file}`);
  }
}

function parseClaims(text: string, from: string): Record<string, unknown> {
  let claims: unknown;
  try {
    claims = JSON.parse(text);
  } catch (err) {
    throw new UsageError(`the claims from ${from} are not valid JSON: ${(err as Error).message}`);
  }
  if (!claims || typeof claims !== 'object' || Array.isArray(claims)) throw new UsageError(`the claims from ${from} must be a JSON object`);
  return claims as Record<string, unknown>;
}
