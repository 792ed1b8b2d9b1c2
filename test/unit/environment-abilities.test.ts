import { describe, expect, it } from 'vitest';
import type { KeyInfo } from '../../shared/api';
import { abilityLines, canDoEverything, environmentAbilities } from '../../shared/environment-abilities';
import type { RunnerCapabilities } from '../../shared/runner-capabilities';

type Key = Pick<KeyInfo, 'kid' | 'usedFor' | 'locked'>;
const SIGNER: Key = { kid: '709eb42cfee5570058ce0711f730bfbb7d4c8ade', usedFor: ['launch-signing'] };
const RUNNER: Key = { kid: 'e19091072f920cbf3ca9f436ceba309e7d814a62', usedFor: ['launch-encryption'] };
const SDX: Key = { kid: '2225f01580a949801274a5f3e6861947018aff5b', usedFor: ['downstream-decryption'] };
const SUBMISSION_SIGNER: Key = { kid: 'fe425f95aaaa', usedFor: ['downstream-verification'] };
/** A key the ring holds that no role uses: it must not count for anything. */
const SPARE: Key = { kid: 'spare', usedFor: [] };

const texts = (keys: Key[], runner?: RunnerCapabilities | null) => Object.fromEntries(environmentAbilities(keys, runner).map((a) => [a.id, a.text]));

describe('environmentAbilities', () => {
  it("a console's fresh ring: it can sign and open downstream payloads, but cannot launch without the runner's key", () => {
    const abilities = environmentAbilities([SIGNER, SDX, SPARE]);
    expect(abilities.map((a) => [a.id, a.ok])).toEqual([
      ['launch', false],
      ['sign', true],
      ['open-downstream', true],
      ['verify-downstream', false],
    ]);
    expect(abilities[0]).toMatchObject({
      text: "cannot launch: runner public key missing (import the runner's public encryption key)",
      fix: expect.stringContaining('sdc-sr-authentication-encryption-public-v1.pem'),
    });
    expect(abilities[1]!.text).toBe('can sign launch and flush tokens (key 709eb42c…)');
    expect(canDoEverything(abilities)).toBe(false);
  });

  it('an empty ring lacks everything, each with its own reason', () => {
    expect(texts([SPARE])).toEqual({
      launch: "cannot launch: no launch signing key; runner public key missing (import the runner's public encryption key)",
      sign: 'cannot sign: no launch signing key',
      'open-downstream': 'cannot open downstream payloads: no submission decryption key',
      'verify-downstream': 'cannot verify downstream payloads: no runner submission signing key (their signatures go unchecked)',
    });
  });

  it("with the runner checkout's keys it can do everything", () => {
    const abilities = environmentAbilities([SIGNER, RUNNER, SDX, SUBMISSION_SIGNER]);
    expect(abilities.every((a) => a.ok === true)).toBe(true);
    expect(abilities[0]).toEqual({ id: 'launch', ok: true, text: 'can launch' });
    expect(abilities.find((a) => a.id === 'open-downstream')!.text).toBe('can open downstream payloads');
    expect(canDoEverything(abilities)).toBe(true);
  });

  it('a key only the desktop keychain can use is named as such, not as missing', () => {
    const locked = 'its private half is sealed by the desktop app';
    const t = texts([{ ...SIGNER, locked }, RUNNER, { ...SDX, locked }]);
    expect(t.launch).toBe(`cannot launch: ${locked}`);
    expect(t.sign).toBe(`cannot sign here: ${locked}`);
    expect(t['open-downstream']).toBe(`cannot open downstream payloads here: ${locked}`);
  });

  describe('the runner', () => {
    const base = { runnerUrl: 'http://127.0.0.1:5000', summary: '' };
    it('is left out when not given, and "not asked yet" when not known yet', () => {
      expect(environmentAbilities([]).some((a) => a.id === 'runner')).toBe(false);
      expect(environmentAbilities([], null).at(-1)).toMatchObject({ id: 'runner', ok: null });
    });

    it('says what a probed runner accepts, or what the environment says', () => {
      const detected: RunnerCapabilities = {
        ...base,
        accepts: ['v1', 'v2'],
        source: 'detected',
        detected: { accepts: ['v1', 'v2'], at: '2026-12-02T06:00:00Z', runnerVersion: null, answers: { v1: 500, v2: 500 } },
      };
      expect(texts([], detected).runner).toBe('runner accepts v1 and v2 launches (detected)');
      const set: RunnerCapabilities = { ...base, accepts: ['v2'], source: 'override', override: { accepts: ['v2'], by: 'environment' } };
      expect(texts([], set).runner).toBe('runner accepts only v2 launches (as this environment’s setting says)');
    });

    it('an unreachable runner is unknown, not a failure, and says why', () => {
      const problem = 'cannot reach the runner at http://localhost:5000: connection refused';
      const abilities = environmentAbilities([SIGNER, RUNNER, SDX, SUBMISSION_SIGNER], { ...base, accepts: null, source: 'unknown', problem });
      expect(abilities.at(-1)).toMatchObject({ ok: null, text: `runner: not known which launch versions it accepts (${problem}); v2 only is assumed` });
      expect(canDoEverything(abilities)).toBe(true);
    });
  });

  it('prints one marked line per ability for the command line', () => {
    expect(abilityLines(environmentAbilities([SIGNER, SDX], null))).toEqual([
      "✗ cannot launch: runner public key missing (import the runner's public encryption key)",
      '✓ can sign launch and flush tokens (key 709eb42c…)',
      '✓ can open downstream payloads',
      '✗ cannot verify downstream payloads: no runner submission signing key (their signatures go unchecked)',
      '? runner: not asked yet which launch versions it accepts',
    ]);
  });
});
