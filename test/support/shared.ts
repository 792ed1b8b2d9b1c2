// Where the ONS material and the reference tools live, and a printed reason when they do not.
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const SHARED = path.resolve(REPO, '../shared');
export const ONS = path.join(SHARED, 'ons');
export const RUNNER_KEYS_DIR = path.join(ONS, 'runner/tests/jwt-test-keys');
export const RUNNER_DEV_KEYS = path.join(ONS, 'runner/dev-keys.yml');
export const ORACLE = path.join(SHARED, 'tools/sdc-oracle');

export const KIDS = {
  launcherSigning: '709eb42cfee5570058ce0711f730bfbb7d4c8ade',
  runnerEncryption: 'e19091072f920cbf3ca9f436ceba309e7d814a62',
  sdxSubmission: '2225f01580a949801274a5f3e6861947018aff5b',
};

/** Why ../shared cannot be used here, or undefined when it can. Printed by the tests that skip. */
export function sharedMissing(): string | undefined {
  return fs.existsSync(RUNNER_KEYS_DIR) ? undefined : `skipped: ${RUNNER_KEYS_DIR} is absent (the ONS material lives in ../shared beside the checkout)`;
}

let oracleState: string | null | undefined;
export function oracleMissing(): string | undefined {
  if (oracleState === undefined) {
    if (!fs.existsSync(ORACLE)) oracleState = `skipped: ${ORACLE} is absent`;
    else {
      const r = spawnSync('/usr/bin/python3', ['-c', 'import jwcrypto, yaml'], { encoding: 'utf8' });
      oracleState =
        r.status === 0 ? null : 'skipped: sdc-oracle needs Debian python3-jwcrypto and python3-yaml (apt-get install -y python3-jwcrypto python3-yaml)';
    }
  }
  return oracleState ?? undefined;
}

/**
 * The first of `reasons`, printed: what a describe.skipIf / it.skipIf skips for. Under CI=true a
 * missing ../shared, Chromium or runner is a broken build, not a reason to skip: it throws, naming
 * what is missing, so the file fails instead of passing with nothing run.
 */
export function skipReason(...reasons: (string | undefined)[]): string | undefined {
  const reason = reasons.find(Boolean);
  if (reason) {
    failUnderCi(reason);
    console.warn(reason);
  }
  return reason;
}

/** Throws when CI=true: there, every test must run. */
export function failUnderCi(reason: string): void {
  if (process.env.CI === 'true') throw new Error(`CI=true, so this test must run, but it cannot: ${reason.replace(/^skipped: /, '')}`);
}

export function oracle(args: string[], input: string): { status: number; stdout: string; stderr: string } {
  const r = spawnSync('/usr/bin/python3', [ORACLE, ...args], { input, encoding: 'utf8', timeout: 30_000 });
  return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

export function oracleKid(pemFile: string): string {
  return execFileSync('/usr/bin/python3', [ORACLE, 'kid', pemFile], { encoding: 'utf8' }).trim();
}
