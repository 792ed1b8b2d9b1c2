// What an environment can do with its key ring and its runner, and what it lacks, in the words the
// Keys screen, the Launch screen's first-run guide and `eq-console keys list` all print. Derived
// from the roles the ring gives its keys (KeyInfo.usedFor, the same facts judge() mints by) and
// from what is known of the runner, so no screen can claim more than the ring can do.
import type { KeyInfo, KeyRole } from './api';
import { acceptsWords, type RunnerCapabilities } from './runner-capabilities';
import { launchKeyFacts } from './verdict';

export type AbilityId = 'launch' | 'sign' | 'open-downstream' | 'verify-downstream' | 'runner';

export interface Ability {
  id: AbilityId;
  /** true: it can; false: something is missing; null: not known (the runner could not be asked). */
  ok: boolean | null;
  /** One line, e.g. "can launch", "cannot sign: no launch signing key". */
  text: string;
  /** What to do about it, when it cannot. */
  fix?: string;
}

type RingKey = Pick<KeyInfo, 'kid' | 'usedFor' | 'locked'>;

const RUNNER_KEY_MISSING = "runner public key missing (import the runner's public encryption key)";
const NO_SIGNER = 'no launch signing key';

const FIX = {
  signer: "Import the launcher's signing key (sdc-rrm-authentication-signing-private-v1.pem) or generate one, and give its public half to the runner.",
  recipient: "Import the runner's sdc-sr-authentication-encryption-public-v1.pem, or a runner checkout or key store, on the Keys screen.",
  decryption: "Import downstream's private key (e.g. sdc-sdx-submission-encryption-private-v1.pem), or a runner checkout, on the Keys screen.",
  verification: "Import the runner's submission signing key (e.g. sdc-sr-submission-signing-private-v1.pem or its public half).",
} as const;

/**
 * The environment's abilities, in a fixed order: launch, sign, open and verify downstream payloads,
 * and what its runner accepts (when the capabilities are given; null: not known yet).
 */
export function environmentAbilities(keys: readonly RingKey[], runner?: RunnerCapabilities | null): Ability[] {
  const facts = launchKeyFacts(keys);
  const lacks = [...(facts.signer ? [] : [NO_SIGNER]), ...(facts.recipient ? [] : [RUNNER_KEY_MISSING]), ...(facts.locked ? [facts.locked] : [])];
  const launchFix = !facts.recipient
    ? FIX.recipient
    : !facts.signer
      ? FIX.signer
      : facts.locked
        ? 'Import the key again here, or use the desktop app.'
        : undefined;
  const abilities: Ability[] = [
    lacks.length === 0
      ? { id: 'launch', ok: true, text: 'can launch' }
      : { id: 'launch', ok: false, text: `cannot launch: ${lacks.join('; ')}`, fix: launchFix },
    !facts.signer
      ? { id: 'sign', ok: false, text: `cannot sign: ${NO_SIGNER}`, fix: FIX.signer }
      : facts.locked
        ? { id: 'sign', ok: false, text: `cannot sign here: ${facts.locked}`, fix: 'Import the key again here, or use the desktop app.' }
        : { id: 'sign', ok: true, text: `can sign launch and flush tokens (key ${short(facts.signer)})` },
    roleAbility(keys, 'downstream-decryption', {
      id: 'open-downstream',
      can: 'can open downstream payloads',
      cannot: 'cannot open downstream payloads: no submission decryption key',
      fix: FIX.decryption,
    }),
    roleAbility(keys, 'downstream-verification', {
      id: 'verify-downstream',
      can: 'can verify downstream payloads',
      cannot: 'cannot verify downstream payloads: no runner submission signing key (their signatures go unchecked)',
      fix: FIX.verification,
    }),
  ];
  if (runner !== undefined) abilities.push(runnerAbility(runner));
  return abilities;
}

/** Whether every ability is there (the runner's, when unknown, does not count against it). */
export function canDoEverything(abilities: readonly Ability[]): boolean {
  return abilities.every((a) => a.ok !== false);
}

/** The abilities as lines for the command line: "✓ can launch", "✗ cannot sign: …", "? runner …". */
export function abilityLines(abilities: readonly Ability[]): string[] {
  return abilities.map((a) => `${a.ok === true ? '✓' : a.ok === false ? '✗' : '?'} ${a.text}`);
}

function roleAbility(keys: readonly RingKey[], role: KeyRole, words: { id: AbilityId; can: string; cannot: string; fix: string }): Ability {
  const holders = keys.filter((k) => k.usedFor?.includes(role));
  const usable = holders.find((k) => !k.locked);
  if (usable) return { id: words.id, ok: true, text: words.can };
  // Held, but only the desktop app's keychain can use it: say why rather than "missing".
  if (holders[0]?.locked)
    return {
      id: words.id,
      ok: false,
      text: `${words.cannot.split(':')[0]} here: ${holders[0].locked}`,
      fix: 'Use the desktop app, or import the key again here.',
    };
  return { id: words.id, ok: false, text: words.cannot, fix: words.fix };
}

function runnerAbility(runner: RunnerCapabilities | null): Ability {
  if (!runner) return { id: 'runner', ok: null, text: 'runner: not asked yet which launch versions it accepts' };
  if (runner.override) {
    const by = runner.override.by === 'command-line' ? '--runner-accepts' : 'this environment’s setting';
    return { id: 'runner', ok: true, text: `runner accepts ${acceptsWords(runner.override.accepts)} launches (as ${by} says)` };
  }
  if (runner.accepts && runner.source === 'detected')
    return { id: 'runner', ok: true, text: `runner accepts ${acceptsWords(runner.accepts)} launches (detected)` };
  return {
    id: 'runner',
    ok: null,
    text: `runner: not known which launch versions it accepts (${runner.problem ?? 'not asked'}); v2 only is assumed`,
    fix: 'Start the runner, or correct the environment’s runner URL, then check again.',
  };
}

const short = (kid: string) => `${kid.slice(0, 8)}…`;
