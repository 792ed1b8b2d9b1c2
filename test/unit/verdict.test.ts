// The one verdict: every state the Launch bar, Inspect, `launch` and `token inspect` can be in,
// from the same pure function.
import { describe, expect, it } from 'vitest';
import { judge, launchKeyFacts } from '../../shared/verdict';
import { NOW, validV2 } from './claims-fixtures';

const keys = { signer: 'a'.repeat(40), recipient: 'b'.repeat(40) };
const METADATA = [
  { name: 'user_id', type: 'string' },
  { name: 'period_id', type: 'string' },
  { name: 'ru_name', type: 'string' },
];

describe('judge', () => {
  it('predicts the runner for claims it can mint, and cannot mint without a signing key or the runner public key', () => {
    const claims = validV2();
    expect(judge({ kind: 'claims', claims, keys }, { nowSeconds: NOW })).toMatchObject({ state: 'runner', runnerStatus: 302 });

    const noRunnerKey = judge({ kind: 'claims', claims, keys: { signer: keys.signer } }, { nowSeconds: NOW });
    expect(noRunnerKey).toMatchObject({ state: 'cannot-mint', runnerStatus: null });
    expect(noRunnerKey.verdict).toMatch(/^Cannot mint: the key ring has no runner public key/);
    expect(noRunnerKey.fix).toMatch(/sdc-sr-authentication-encryption-public-v1\.pem/);
    expect(noRunnerKey.problems[0]).toMatchObject({ source: 'console', code: 'keys.no-runner-key' });

    const noSigner = judge({ kind: 'claims', claims, keys: { recipient: keys.recipient } }, { nowSeconds: NOW });
    expect(noSigner).toMatchObject({ state: 'cannot-mint', runnerStatus: null });
    expect(noSigner.fix).toMatch(/sdc-rrm-authentication-signing-private-v1\.pem/);
  });

  it('has no verdict while the claims text does not parse', () => {
    const v = judge({ kind: 'claims-text', error: 'Unexpected token } in JSON at position 12' }, { nowSeconds: NOW });
    expect(v).toMatchObject({ state: 'invalid-json', runnerStatus: null });
    expect(v.verdict).toContain('position 12');
  });

  it("predicts 500 for a schema_name missing from the runner's list, and nothing for one it lists", () => {
    const claims = { ...validV2(), schema_name: 'no_such_schema' };
    const v = judge({ kind: 'claims', claims, keys }, { nowSeconds: NOW, runner: { schemaNames: ['test_checkbox'] } });
    expect(v.runnerStatus).toBe(500);
    expect(v.problems).toContainEqual(expect.objectContaining({ code: 'schema.unknown', path: 'schema_name' }));
    expect(judge({ kind: 'claims', claims: validV2(), keys }, { nowSeconds: NOW, runner: { schemaNames: ['test_checkbox'] } }).runnerStatus).toBe(302);
  });

  it('survey_metadata absent: 403 when the questionnaire requires metadata or is not known, 500 when it requires none', () => {
    const { survey_metadata: _drop, ...claims } = validV2();
    expect(judge({ kind: 'claims', claims, keys }, { nowSeconds: NOW }).runnerStatus).toBe(403);
    expect(judge({ kind: 'claims', claims, keys }, { nowSeconds: NOW, runner: { metadata: METADATA } }).runnerStatus).toBe(403);
    expect(judge({ kind: 'claims', claims, keys }, { nowSeconds: NOW, runner: { metadata: [] } }).runnerStatus).toBe(500);
  });

  it('cannot look inside a sealed token; when the console minted it, judges what it minted', () => {
    const sealed = judge({ kind: 'sealed', reason: 'It is encrypted to the runner key e19091….' }, { nowSeconds: NOW });
    expect(sealed).toMatchObject({ state: 'cannot-look-inside', runnerStatus: null });
    expect(sealed.problems).toEqual([expect.objectContaining({ source: 'console', code: 'token.sealed' })]);

    const claims = validV2();
    const minted = judge({ kind: 'sealed', reason: 'Sealed.', minted: { historyId: 'h1', at: '2025-06-15T15:06:40Z', claims } }, { nowSeconds: NOW });
    expect(minted).toMatchObject({ state: 'cannot-look-inside', runnerStatus: null, payloadVersion: 'v2' });
    expect(minted.minted?.check.runnerStatus).toBe(302);
    expect(minted.verdict).toMatch(/minted it.*would accept/);
  });

  it('a token the ring opens but the runner could not (encrypted to a signing key) is 403', () => {
    const v = judge({ kind: 'opened', claims: validV2(), refusal: 'it is encrypted to a signing key' }, { nowSeconds: NOW });
    expect(v).toMatchObject({ state: 'runner', runnerStatus: 403 });
  });

  it('reads the launch roles from KeyInfo.usedFor, and a locked signing key', () => {
    expect(
      launchKeyFacts([
        { kid: 'a', usedFor: ['launch-signing'] },
        { kid: 'b', usedFor: ['launch-encryption'] },
      ]),
    ).toEqual({ signer: 'a', recipient: 'b' });
    expect(launchKeyFacts([{ kid: 'a', usedFor: ['launch-signing'], locked: 'sealed by the desktop app' }])).toEqual({
      signer: 'a',
      locked: 'sealed by the desktop app',
    });
  });
});
