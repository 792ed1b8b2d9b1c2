// One set of services behind every front door: Electron IPC, browser mode and the command line
// all call createServices(). This file is the light part: the services themselves are put
// together (assemble.ts) when the first operation needs them, so `--help` or `keys kid` start as
// fast as node itself does, loading nothing they do not use.
import fs from 'node:fs';
import path from 'node:path';
import { CHANNELS, type ConsoleApi, type ImportOptions, type ImportReport, type LaunchVersion } from '../../shared/api';
import type { DownstreamSource } from '../../shared/downstream/types';
import { ConsoleError } from '../../shared/errors';
import type { ConsoleEvents } from '../../shared/events';
import type { judge, Verdict } from '../../shared/verdict';
import type { Assembled } from './assemble';
import type { StoreFactory } from './config/document';
import { onSetAside } from './config/set-aside';
import type { OpenOutput } from './downstream/outputs';
import type { OpenOptions } from './downstream/pipeline';
import { EventHub } from './events';
import { looksLikeKeyStore } from './keyring/key-store-file';
import { parseSinglePem } from './keyring/pem';
import type { SecretSealer } from './keyring/secrets';
import type { SchemaPreviews } from './schemas/preview';
import type { SessionHost } from './sessions/host';

export interface ServicesOptions {
  configDir: string;
  mode: 'electron' | 'browser' | 'cli';
  sealer?: SecretSealer;
  /** Where respondent sessions open: the desktop shell embeds them; elsewhere the user's browser does. */
  sessionHost?: SessionHost;
  /** The local schema preview servers; made here when not given. */
  previews?: SchemaPreviews;
  /** The hub events go out on, when the front door made it first (the desktop shell's session host emits too). */
  events?: EventHub;
  /** How a URL is opened in the user's browser where the services do it themselves (the command line's --open). */
  openExternal?: (url: string) => Promise<void>;
  /** The command line's --keys: an sdc key store (file or folder of PEMs) to use instead of the active environment's ring. */
  keyStore?: string;
  /** The command line's --runner: the runner to use instead of the active environment's. */
  runnerUrl?: string;
  /** The command line's --runner-accepts: the launch versions the runner takes, instead of what the console finds out. */
  runnerAccepts?: LaunchVersion[];
  /** Makes the store of settings, profiles and history: electron-store in the desktop app, plain conf elsewhere. */
  storeFactory?: StoreFactory;
}

/** What only a caller in this process uses (the command line): files on disk, streams, text signed as written. */
export interface DirectOperations {
  /** The kid of the key in a PEM file. */
  kidOf(file: string): string;
  importPaths(paths: string[], options?: ImportOptions): Promise<ImportReport>;
  /** Signs and encrypts claims text byte for byte as written; the launch keys used. */
  mintText(text: string): Promise<{ token: string; signingKid: string; encryptionKid: string }>;
  /** count tokens of the claims, each with a fresh jti and tx_id, handed over as text, a token a line. */
  mintMany(claims: Record<string, unknown>, count: number, emit: (text: string) => void): Promise<{ signingKid: string; encryptionKid: string }>;
  /** Payloads opened one by one, in input order, in bounded memory (worker threads for many), as items or output lines. */
  openDownstream(sources: DownstreamSource[], options?: OpenOptions): AsyncGenerator<OpenOutput>;
  /** The verdict on claims about to be minted, with what this process knows of the runner (a schema it failed to load). */
  judgeLaunch(claims: Record<string, unknown>, facts: Parameters<typeof judge>[1]['runner']): Promise<Verdict>;
  /** The runner launches and flushes go to: --runner, else the active environment's. */
  runnerUrl(): Promise<string>;
  /** What the --keys store held that is not a key the console can use, one line each. */
  keyStoreSkipped: string[];
}

export interface Services extends ConsoleApi, ConsoleEvents {
  /** Stops what runs in the background (schema previews, folder watches) when the app quits. */
  shutdown(): Promise<void>;
  direct: DirectOperations;
  /**
   * One line for each damaged file set aside in this config folder since the services started
   * (app.info().setAside shows them in the app). The command line prints each as it happens
   * (electron/cli/main.ts), so it need not print these again.
   */
  notices: string[];
}

export async function createServices(options: ServicesOptions): Promise<Services> {
  const hub = options.events ?? new EventHub();
  const notices: string[] = [];
  const stopNotices = onSetAside((note) => {
    if (isInside(note.file, options.configDir)) notices.push(note.text);
  });
  const skipped: string[] = [];
  let assembling: Promise<Assembled> | undefined;
  const assembled = () => (assembling ??= import('./assemble').then((m) => m.assemble(options, hub, notices, skipped)));
  // A --keys store is opened now: one that cannot be read is the command's first error, not a later one's.
  if (options.keyStore) await assembled();

  const api: Record<string, Record<string, (...args: unknown[]) => Promise<unknown>>> = {};
  for (const channel of CHANNELS) {
    const [group, method] = channel.split('.') as [keyof ConsoleApi, string];
    api[group] ??= {};
    api[group][method] = async (...args) =>
      ((await assembled()).api[group] as unknown as Record<string, (...a: unknown[]) => Promise<unknown>>)[method]!(...args);
  }
  const later = <K extends keyof Assembled['direct']>(name: K) =>
    (async (...args: unknown[]) => ((await assembled()).direct[name] as (...a: unknown[]) => Promise<unknown>)(...args)) as unknown as Assembled['direct'][K];

  return {
    ...(api as unknown as ConsoleApi),
    onEvent: (listener) => hub.onEvent(listener),
    shutdown: async () => {
      stopNotices();
      if (assembling) await (await assembling).shutdown();
    },
    direct: {
      kidOf: (file) => {
        const text = readText(file);
        if (looksLikeKeyStore(text)) throw new ConsoleError('bad-pem', `${file} is a key store, not a PEM file; each key in it is filed under its kid already`);
        return parseSinglePem(text, file).kid;
      },
      importPaths: later('importPaths'),
      mintText: later('mintText'),
      mintMany: later('mintMany'),
      openDownstream: async function* (sources, openOptions) {
        yield* (await assembled()).direct.openDownstream(sources, openOptions);
      },
      judgeLaunch: later('judgeLaunch'),
      runnerUrl: later('runnerUrl'),
      keyStoreSkipped: skipped,
    },
    notices,
  };
}

function isInside(file: string, dir: string): boolean {
  const relative = path.relative(path.resolve(dir), path.resolve(file));
  return relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative);
}

function readText(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    throw new ConsoleError('not-found', `cannot read ${file}`);
  }
}
