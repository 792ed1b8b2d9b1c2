// sdc-cryptography key stores: `keys: {<kid>: {purpose, type, value: <PEM>, use?, service?, ...}}`
// in YAML (JSON parses as YAML too).
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
  return /^\s*(\{\s*)?["']?keys["']?\s*:/m.test(text) && !/^\s*-----BEGIN/.test(text);
}

export function parseKeyStore(text: string, name: string): { entries: StoreEntry[]; skipped: { name: string; reason: string }[] } {
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
