// Turning texts, files and folders into keys in a ring: PEM files named the runner's way,
// sdc key stores (YAML or JSON), pasted PEM text.
import fs from 'node:fs';
import path from 'node:path';
import type { ImportOptions, ImportReport, ImportText, KeyType } from '../../../shared/api';
import { ConsoleError } from '../../../shared/errors';
import { isKeyFileName, MAX_KEY_FILE_BYTES } from '../../../shared/key-files';
import { parseKeyStore, looksLikeKeyStore } from './key-store-file';
import type { KeyRing } from './keyring';
import { defaultUse, hintsFromFileName } from './names';
import { parsePemText } from './pem';

export function emptyReport(): ImportReport {
  return { added: [], unchanged: [], upgraded: [], skipped: [] };
}

export function importTexts(ring: KeyRing, files: ImportText[], options: ImportOptions = {}, report = emptyReport()): ImportReport {
  for (const file of files) {
    try {
      importOne(ring, file, options, report);
    } catch (err) {
      if (!(err instanceof ConsoleError)) throw err;
      report.skipped.push({ name: file.name, reason: err.message });
    }
  }
  return report;
}

function importOne(ring: KeyRing, { name, text }: ImportText, options: ImportOptions, report: ImportReport): void {
  if (looksLikeKeyStore(text)) {
    const { entries, skipped } = parseKeyStore(text, name);
    report.skipped.push(...skipped);
    for (const e of entries) {
      record(ring, report, e.parsed, {
        purpose: e.purpose,
        type: e.type,
        use: e.use ?? defaultUse(e.purpose, e.type),
        source: e.service ? `${name} (${e.service})` : name,
      });
    }
    return;
  }
  const hints = hintsFromFileName(name);
  for (const parsed of parsePemText(text, name)) {
    const type: KeyType = parsed.privateKey ? 'private' : 'public';
    const purpose = options.purpose ?? hints.purpose ?? 'authentication';
    record(ring, report, parsed, { purpose, type, use: options.use ?? hints.use ?? defaultUse(purpose, type), source: name });
  }
}

function record(ring: KeyRing, report: ImportReport, ...args: Parameters<KeyRing['add']>): void {
  const outcome = ring.add(...args);
  const kid = args[0].kid;
  if (outcome === 'added') report.added.push(ring.get(kid)!.info);
  else if (outcome === 'upgraded') report.upgraded.push(kid);
  else if (!report.unchanged.includes(kid) && !report.upgraded.includes(kid) && !report.added.some((k) => k.kid === kid)) report.unchanged.push(kid);
}

/** Files and folders (recursively, key-looking files only) on this machine. */
export function readKeyFiles(paths: string[]): ImportText[] {
  const out: ImportText[] = [];
  for (const p of paths) {
    let stat: fs.Stats;
    try {
      stat = fs.statSync(p);
    } catch {
      throw new ConsoleError('not-found', `${p} does not exist.`);
    }
    if (stat.isDirectory()) {
      const found = walk(p);
      if (found.length === 0) throw new ConsoleError('not-found', `${p} holds no .pem, .yml, .yaml or .json files.`);
      out.push(...found.map(readText));
    } else {
      out.push(readText(p));
    }
  }
  return out;
}

function walk(dir: string): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((d) => (d.isDirectory() ? walk(path.join(dir, d.name)) : isKeyFileName(d.name) ? [path.join(dir, d.name)] : []))
    .sort();
}

function readText(file: string): ImportText {
  const size = fs.statSync(file).size;
  if (size > MAX_KEY_FILE_BYTES) throw new ConsoleError('bad-input', `${file} is ${size} bytes; a key file is at most ${MAX_KEY_FILE_BYTES}.`);
  return { name: file, text: fs.readFileSync(file, 'utf8') };
}

/** The two places a runner checkout keeps its development keys. */
export function runnerCheckoutFiles(dir: string): string[] {
  const parts = [path.join(dir, 'tests', 'jwt-test-keys'), path.join(dir, 'dev-keys.yml')].filter((p) => fs.existsSync(p));
  if (parts.length === 0) {
    throw new ConsoleError('not-found', `${dir} does not look like an eq-questionnaire-runner checkout: it has neither tests/jwt-test-keys nor dev-keys.yml.`);
  }
  return parts;
}
