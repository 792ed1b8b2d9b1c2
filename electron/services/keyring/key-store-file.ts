// sdc-cryptography key stores: `keys: {<kid>: {purpose, type, value: <PEM>, use?, service?, ...}}`
// in YAML (JSON parses as YAML too).
import { type JsonLimits, textOverLimit } from '../../../shared/json-limits';
import { yamlModule } from '../heavy-deps';
import type { KeyType, KeyUse, Purpose } from '../../../shared/api';
import { KEY_USES, PURPOSES } from '../../../shared/api';
import { ConsoleError } from '../../../shared/errors';
import { parseSinglePem, type ParsedKey } from './pem';

export interface StoreEntry {
  parsed: ParsedKey;
  purpose: Purpose;
  type: KeyType;
  use?: KeyUse;
  service?: string;
}

export function looksLikeKeyStore(text: string): boolean {
  if (text.trimStart().startsWith('-----BEGIN')) return false;
  // Line by line: a multi-line pattern would retry from every line start and backtrack on long whitespace.
  return text.split('\n').some((line) => {
    let rest = line.trimStart();
    if (rest.startsWith('{')) rest = rest.slice(1).trimStart();
    return /^["']?keys["']?\s*:/.test(rest);
  });
}

/** A key store nests three deep (keys, kid, fields) and holds a few PEM texts. */
const KEY_STORE_LIMITS: JsonLimits = { depth: 16, chars: 4 * 1024 * 1024 };

export function parseKeyStore(text: string, name: string): { entries: StoreEntry[]; skipped: { name: string; reason: string }[] } {
  // The YAML parser recurses: brackets nested 100,000 deep took 10 s and ended in a stack overflow.
  const over = textOverLimit(text, KEY_STORE_LIMITS, { noun: name });
  if (over) throw new ConsoleError('bad-key-store', `${over}; an sdc key store is a flat mapping of kid to key.`);
  let doc: unknown;
  try {
    doc = yamlModule().parse(text);
  } catch (err) {
    const line = err instanceof Error ? err.message.split('\n')[0] : String(err);
    throw new ConsoleError('bad-key-store', `${name} is not valid YAML or JSON: ${line}`);
  }
  const keys = (doc as { keys?: unknown } | null)?.keys;
  if (!keys || typeof keys !== 'object' || Array.isArray(keys)) {
    throw new ConsoleError('bad-key-store', `${name} is not an sdc key store: it needs a top-level "keys" mapping of kid to {purpose, type, value}.`);
  }
  const entries: StoreEntry[] = [];
  const skipped: { name: string; reason: string }[] = [];
  for (const [declaredKid, raw] of Object.entries(keys as Record<string, unknown>)) {
    const where = `${name} → ${declaredKid}`;
    try {
      entries.push(readEntry(declaredKid, raw, where));
    } catch (err) {
      if (!(err instanceof ConsoleError)) throw err;
      skipped.push({ name: where, reason: err.message });
    }
  }
  return { entries, skipped };
}

function readEntry(declaredKid: string, raw: unknown, where: string): StoreEntry {
  if (!raw || typeof raw !== 'object') throw new ConsoleError('bad-key-store', `${where}: entry is not a mapping.`);
  const e = raw as Record<string, unknown>;
  const purpose = PURPOSES.find((p) => p === e.purpose);
  if (!purpose) throw new ConsoleError('bad-key-store', `${where}: purpose "${String(e.purpose)}" is not one of ${PURPOSES.join(', ')}.`);
  if (e.type !== 'public' && e.type !== 'private')
    throw new ConsoleError('bad-key-store', `${where}: type must be public or private, not "${String(e.type)}".`);
  if (typeof e.value !== 'string') throw new ConsoleError('bad-key-store', `${where}: value must be the key's PEM text.`);
  const parsed = parseSinglePem(e.value, where);
  if (e.type === 'private' && !parsed.privateKey) throw new ConsoleError('bad-key-store', `${where}: declared private but holds a public key.`);
  if (parsed.kid !== declaredKid.toLowerCase()) {
    throw new ConsoleError(
      'bad-key-store',
      `${where}: the key's kid is ${parsed.kid}, not the ${declaredKid} it is filed under; the runner would never find it.`,
    );
  }
  const use = KEY_USES.find((u) => u === e.use);
  return {
    parsed,
    purpose,
    type: e.type,
    use,
    service: typeof e.service === 'string' ? e.service : undefined,
  };
}
