// DownstreamSource[] -> payload candidates, one file at a time: a folder of 10,000 payloads is
// never held in memory at once, and a runner log larger than a payload file may be is read line
// by line.
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import type { DownstreamSource } from '../../../shared/downstream/types';
import {
  DOWNSTREAM_FILE_EXTENSIONS,
  hasNoExtension,
  isDownstreamFileName,
  looksLikeDownstreamText,
  MAX_DOWNSTREAM_FILE_BYTES,
} from '../../../shared/downstream/files';
import { holdsPrivateKey, privateKeyRefusal, refuseConfigFile } from '../keyring/secret-guard';
import { type Candidate, candidatesInText, hintFor, jweInLine } from './extract';

/** A file met inside a folder (a watch's changed file): skipped unless its name or content fits. */
export type SourceInput = DownstreamSource | { kind: 'folder-entry'; path: string };

export type SourceError = { type: 'error'; source: string; message: string; /** A source given by the user held nothing to open. */ noPayloads?: boolean };

export type SourceEvent =
  | { type: 'candidate'; candidate: Candidate; /** The file it was read from; undefined for text. */ file?: string }
  /** defer: a payload file not read yet; whoever opens it reads it (fileCandidates), a worker thread for many. */
  | { type: 'file'; file: string; size: number }
  /** defer: the end of a source the user gave; if nothing came of it, message says why. */
  | { type: 'end'; source: string; message: string }
  | SourceError;

export interface ExpandOptions {
  /** Payload files are left for the opener to read (events of type file and end). */
  defer?: boolean;
  /** The console's own config folder (its key ring): never opened, whoever asks. */
  configDir?: string;
}

const SNIFF_BYTES = 4096;
/**
 * Payload files up to this size are read synchronously: for a 4 KiB file, fs.promises.readFile
 * and stat cost 10 to 20 times the CPU of their sync forms (thread-pool hops), a twentieth of the
 * RSA-4096 decryption that opening it costs, while each sync read blocks for microseconds.
 */
const SYNC_READ_BYTES = 1024 * 1024;
const MIB = 1024 * 1024;

export async function* expandSources(inputs: Iterable<SourceInput>, options: ExpandOptions = {}): AsyncGenerator<SourceEvent> {
  const defer = options.defer ?? false;
  for (const input of inputs) {
    if (input.kind !== 'text') {
      const refused = refuseConfigFile(input.path, options.configDir);
      if (refused) {
        if (input.kind === 'path') yield { type: 'error', source: input.path, message: refused };
        continue;
      }
    }
    let seen = 0;
    for await (const event of expandOne(input, defer, options.configDir)) {
      seen++;
      yield event;
    }
    if (input.kind === 'folder-entry') continue;
    const where = input.kind === 'text' ? input.name : input.path;
    // Deferred files' payloads are known only once they are read: the opener decides.
    if (defer) yield { type: 'end', source: where, message: noPayloadsMessage(input) };
    else if (seen === 0) yield { type: 'error', source: where, message: noPayloadsMessage(input), noPayloads: true };
  }
}

function noPayloadsMessage(input: DownstreamSource): string {
  const looked = 'compact JWEs, JSON payloads, or log lines with message=<JWE>';
  if (input.kind === 'text') return `No payloads found in ${input.name}: it holds no ${looked}.`;
  const kinds = `${DOWNSTREAM_FILE_EXTENSIONS.slice(0, -1).join(', ')} and ${DOWNSTREAM_FILE_EXTENSIONS.at(-1)}`;
  return `No payloads found in ${input.path}: looked for ${looked} (in a folder: ${kinds} files, and files without an extension that read like one).`;
}

async function* expandOne(input: SourceInput, defer: boolean, configDir: string | undefined): AsyncGenerator<SourceEvent> {
  if (input.kind === 'text') {
    if (holdsPrivateKey(input.text)) {
      yield { type: 'error', source: input.name, message: privateKeyRefusal(input.name) };
      return;
    }
    for (const candidate of candidatesInText(input.text, input.name, hintFor(input.name))) yield { type: 'candidate', candidate };
    return;
  }
  let stat: fs.Stats;
  try {
    stat = await fs.promises.stat(input.path);
  } catch (err) {
    // A watched file may be gone again before its turn: nothing to report.
    if (input.kind === 'folder-entry' && code(err) === 'ENOENT') return;
    yield {
      type: 'error',
      source: input.path,
      message: code(err) === 'ENOENT' ? `${input.path} does not exist.` : `Cannot read ${input.path}: ${reason(err)}.`,
    };
    return;
  }
  if (stat.isDirectory()) yield* walk(input.path, defer, configDir);
  else if (stat.isFile()) yield* fileEvents(input.path, stat.size, input.kind === 'path', defer);
  else if (input.kind === 'path') yield { type: 'error', source: input.path, message: `${input.path} is neither a file nor a folder.` };
}

/**
 * Depth-first in name order, so results come in the same order every time. Symbolic links to
 * folders are not followed: a link back up the tree would never end.
 */
async function* walk(dir: string, defer: boolean, configDir: string | undefined): AsyncGenerator<SourceEvent> {
  let entries: fs.Dirent[];
  try {
    entries = await fs.promises.readdir(dir, { withFileTypes: true });
  } catch (err) {
    yield { type: 'error', source: dir, message: `Cannot read the folder ${dir}: ${reason(err)}.` };
    return;
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    const full = path.join(dir, entry.name);
    // A folder that holds (or links into) the config folder: that part is passed over, said once.
    const refused = refuseConfigFile(full, configDir);
    if (refused) {
      yield { type: 'error', source: full, message: refused };
      continue;
    }
    if (entry.isDirectory()) {
      yield* walk(full, defer, configDir);
      continue;
    }
    if (!entry.isFile() && !entry.isSymbolicLink()) continue;
    let stat: fs.Stats;
    try {
      stat = fs.statSync(full);
    } catch {
      continue; // a dangling link, or a file removed while walking
    }
    if (stat.isFile()) yield* fileEvents(full, stat.size, false, defer);
  }
}

/** Inside a folder only payload-looking files are opened; a file named by the user always is. */
async function* fileEvents(file: string, size: number, named: boolean, defer: boolean): AsyncGenerator<SourceEvent> {
  try {
    if (!named && !isDownstreamFileName(file)) {
      if (!hasNoExtension(file) || !looksLikeDownstreamText(await head(file))) return;
    }
    if (size > MAX_DOWNSTREAM_FILE_BYTES) {
      if (hintFor(file) !== 'text') {
        yield {
          type: 'error',
          source: file,
          message: `${file} is ${(size / MIB).toFixed(0)} MiB; a payload file is read whole and at most ${MAX_DOWNSTREAM_FILE_BYTES / MIB} MiB (a runner log named .log is read line by line at any size).`,
        };
        return;
      }
      yield* logLines(file);
      return;
    }
  } catch (err) {
    yield readError(file, err);
    return;
  }
  if (defer) yield { type: 'file', file, size };
  else yield* fileCandidates(file, size);
}

/** The payloads in a file of at most MAX_DOWNSTREAM_FILE_BYTES, read whole. */
export async function* fileCandidates(file: string, size: number): AsyncGenerator<Extract<SourceEvent, { type: 'candidate' | 'error' }>> {
  let text: string;
  try {
    text = size <= SYNC_READ_BYTES ? fs.readFileSync(file, 'utf8') : await fs.promises.readFile(file, 'utf8');
  } catch (err) {
    yield readError(file, err);
    return;
  }
  if (holdsPrivateKey(text)) {
    yield { type: 'error', source: file, message: privateKeyRefusal(file) };
    return;
  }
  for (const candidate of candidatesInText(text, file, hintFor(file))) yield { type: 'candidate', candidate, file };
}

function readError(file: string, err: unknown): SourceError {
  return { type: 'error', source: file, message: `Cannot read ${file}: ${reason(err)}.` };
}

async function* logLines(file: string): AsyncGenerator<SourceEvent> {
  const lines = readline.createInterface({ input: fs.createReadStream(file, { encoding: 'utf8' }), crlfDelay: Infinity });
  let n = 0;
  for await (const line of lines) {
    n++;
    const jwe = jweInLine(line);
    if (jwe) yield { type: 'candidate', candidate: { kind: 'jwe', source: `${file}:${n}`, text: jwe }, file };
  }
}

async function head(file: string): Promise<string> {
  const handle = await fs.promises.open(file, 'r');
  try {
    const buffer = Buffer.alloc(SNIFF_BYTES);
    const { bytesRead } = await handle.read(buffer, 0, SNIFF_BYTES, 0);
    return buffer.subarray(0, bytesRead).toString('utf8');
  } finally {
    await handle.close();
  }
}

function code(err: unknown): string | undefined {
  return (err as NodeJS.ErrnoException | undefined)?.code;
}

function reason(err: unknown): string {
  const c = code(err);
  if (c === 'EACCES' || c === 'EPERM') return 'permission denied';
  if (c === 'ENOENT') return 'it does not exist';
  if (c === 'EISDIR') return 'it is a folder';
  return err instanceof Error ? err.message.split('\n')[0]! : String(err);
}
