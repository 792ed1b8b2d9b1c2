// Where a CLI command gets its keys: --keys <store file | folder of PEMs>, else the console's ring.
import { ConsoleError } from '../../shared/errors';
import { defaultConfigDir } from '../services/config/paths';
import { SettingsStore } from '../services/config/settings';
import { importTexts, readKeyFiles } from '../services/keyring/import';
import { KeyRing } from '../services/keyring/keyring';
import { KeyRings } from '../services/keyring/rings';
import { userOnlyFileSealer } from '../services/keyring/secrets';
import type { KeyringService } from '../services/keyring/service';

/** The active environment's ring in the console's own config, as browser mode and the CLI keep it. */
export function openConsoleRing(): Promise<KeyringService> {
  return new KeyRings(new SettingsStore(defaultConfigDir()), userOnlyFileSealer).active();
}

export async function openKeySource(keysPath: string | undefined, warn: (line: string) => void): Promise<KeyRing> {
  if (!keysPath) return (await openConsoleRing()).ring;
  const ring = new KeyRing();
  const report = importTexts(ring, readKeyFiles([keysPath]));
  if (ring.list().length === 0) {
    const reason = report.skipped[0]?.reason ?? 'no keys found';
    throw new ConsoleError('bad-key-store', `${keysPath} gave no usable keys: ${reason}`);
  }
  for (const s of report.skipped) warn(`warning: skipped ${s.name}: ${s.reason}`);
  return ring;
}
