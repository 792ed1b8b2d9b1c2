// `token mint --count 6000` as a user runs it, start-up included, beside the best plain
// node:crypto program for the same tokens (plain/mint.mjs), jwcrypto (plain/mint_jwcrypto.py)
// and the raw RSA-2048 signing rate of one core. A token costs a signature, an RSA-OAEP
// encryption and AES-GCM, so one core mints at most about 0.78x its raw signing rate.
import crypto from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { type BenchKeys, CONSOLE, jwcryptoMissing, PLAIN, PYTHON } from './fixtures';
import { interleaved, median, rateOf, type Row, runProcess } from './measure';

export async function benchMint(rounds: number, keys: BenchKeys, claimsFile: string, count: number): Promise<{ rows: Row[]; notes: string[] }> {
  const signer = path.join(keys.launchDir, keys.launchSigningFile);
  const recipient = path.join(keys.launchDir, keys.launchEncryptionFile);
  const tokensPerSecond = async (command: string, args: string[]) => {
    const run = await runProcess(command, args, { countLines: true });
    if (run.lines !== count) throw new Error(`${path.basename(command)} minted ${run.lines} tokens, not ${count}`);
    return count / (run.ms / 1000);
  };
  const signingKey = crypto.createPrivateKey(readFileSync(signer, 'utf8'));
  const contenders: Record<string, () => Promise<number>> = {
    console: () => tokensPerSecond(CONSOLE, ['token', 'mint', '--keys', keys.launchDir, '--claims', claimsFile, '--count', String(count)]),
    plain: () => tokensPerSecond(process.execPath, [path.join(PLAIN, 'mint.mjs'), signer, recipient, claimsFile, String(count)]),
    raw: async () => rateOf(2, (i) => crypto.sign('sha256', Buffer.from(`payload ${i}`), signingKey)),
  };
  const noJwcrypto = jwcryptoMissing();
  if (!noJwcrypto) contenders.jwcrypto = () => tokensPerSecond(PYTHON, [path.join(PLAIN, 'mint_jwcrypto.py'), signer, recipient, claimsFile, String(count)]);
  const runs = await interleaved(rounds, contenders);
  const rows: Row[] = [
    {
      label: `eq-console token mint --count ${count}`,
      value: median(runs.console!),
      unit: 'tokens/s',
      targets: [
        { against: 'plain node:crypto program', times: 0.95 },
        { against: 'jwcrypto', times: 1.8 },
      ],
    },
    { label: 'plain node:crypto program', value: median(runs.plain!), unit: 'tokens/s' },
  ];
  if (runs.jwcrypto) rows.push({ label: 'jwcrypto', value: median(runs.jwcrypto), unit: 'tokens/s' });
  rows.push({ label: 'raw RSA-2048 sign, one core', value: median(runs.raw!), unit: 'signatures/s' });
  const notes = noJwcrypto ? [`jwcrypto not measured: ${noJwcrypto}`] : [];
  return { rows, notes };
}
