// `eq-console keys list` heads its list with what the active environment can do, in the words of
// the Keys screen (shared/environment-abilities.ts), and says "can launch" once the runner's keys are in.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli } from '../support/cli';
import { RUNNER_KEYS_DIR, sharedMissing, skipReason } from '../support/shared';

describe('keys list: the environment’s abilities', () => {
  let home: string;
  beforeAll(() => {
    home = fs.mkdtempSync(path.join(os.tmpdir(), 'eqc-keys-abilities-'));
  });
  afterAll(() => fs.rmSync(home, { recursive: true, force: true }));

  const header = (stdout: string) => stdout.split('\n').filter((l) => l.startsWith('# '));

  it('a fresh ring: the Local runner cannot launch, and says which key is missing', async () => {
    const r = await cli(['keys', 'list'], { home });
    expect(r.code, r.stderr).toBe(0);
    expect(header(r.stdout)).toEqual([
      '# Local runner  http://localhost:5000',
      "# ✗ cannot launch: runner public key missing (import the runner's public encryption key)",
      expect.stringMatching(/^# ✓ can sign launch and flush tokens \(key [0-9a-f]{8}…\)$/),
      '# ✓ can open downstream payloads',
      '# ✗ cannot verify downstream payloads: no runner submission signing key (their signatures go unchecked)',
    ]);
    // The keys follow, one a line, none of them a '#' line.
    expect(
      r.stdout
        .trimEnd()
        .split('\n')
        .filter((l) => !l.startsWith('#')),
    ).toHaveLength(2);
  }, 60_000);

  it.skipIf(skipReason(sharedMissing()) !== undefined)(
    "with the runner's test keys: can launch",
    async () => {
      const imported = await cli(['keys', 'import', RUNNER_KEYS_DIR], { home });
      expect(imported.code, imported.stderr).toBe(0);
      const r = await cli(['keys', 'list'], { home });
      expect(header(r.stdout)).toEqual(expect.arrayContaining(['# ✓ can launch', '# ✓ can verify downstream payloads']));
    },
    60_000,
  );
});
