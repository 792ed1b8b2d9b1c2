// The fuzz suite's bookkeeping: every input is timed on its own, memory is sampled after each,
// and what counts as a crash is written down once: an exception out of a service, a reply that is
// not the documented shape (shared/inspect-types.ts, shared/downstream/types.ts), a reply a door
// cannot serialise, or an internal error leaking to the user.
import type { DownstreamResult } from '../../shared/downstream/types';
import type { InspectReport } from '../../shared/inspect-types';

/**
 * An input that keeps the console busy longer than this is a hang (issue 11). Busy is the CPU
 * time this process spends on it: the suite shares two cores with other test files (and, here,
 * with other work), and while it waits for a core the wall clock runs on without the console doing
 * anything. The wall clock still bounds what CPU time cannot see, an input that waits on nothing.
 */
export const HANG_MS = 2000;
export const WALL_MS = 15_000;

export interface Finding {
  kind: 'crash' | 'hang' | 'false accept' | 'disagreement';
  /** Which input (its number in this run's sequence, so FUZZ_SEED reproduces it) and what was done to it. */
  input: string;
  detail: string;
  /** The input itself, when short enough to paste. */
  text?: string;
}

export class FuzzStats {
  inputs = 0;
  /** The most CPU time one input took, and which. */
  maxMs = 0;
  maxInput = '';
  maxWallMs = 0;
  peakRss = process.memoryUsage.rss();
  readonly findings: Finding[] = [];
  /** Accepted mutations of what was minted or sealed, each checked with jwcrypto. */
  acceptedMutations = 0;
  oracleSample = 0;
  oracleAgreed = 0;
  /** Inputs the console refused for its limits, which jwcrypto (without them) reads. */
  beyondLimits = 0;
  /** Wall time spent in sdc-oracle. */
  oracleMs = 0;

  /** Runs one input through a service, timed; a throw is a crash, a slow one a hang. */
  async time<T>(input: string, text: string, run: () => Promise<T>): Promise<T | undefined> {
    this.inputs++;
    const cpu = process.cpuUsage();
    const start = performance.now();
    let value: T | undefined;
    try {
      value = await run();
    } catch (err) {
      this.find('crash', input, `threw: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`, text);
    }
    const wall = performance.now() - start;
    const used = process.cpuUsage(cpu);
    const ms = (used.user + used.system) / 1000;
    if (ms > this.maxMs) {
      this.maxMs = ms;
      this.maxInput = input;
    }
    this.maxWallMs = Math.max(this.maxWallMs, wall);
    if (ms > HANG_MS || wall > WALL_MS) this.find('hang', input, `took ${Math.round(ms)} ms of CPU, ${Math.round(wall)} ms in all`, text);
    this.peakRss = Math.max(this.peakRss, process.memoryUsage.rss());
    return value;
  }

  find(kind: Finding['kind'], input: string, detail: string, text?: string): void {
    this.findings.push({ kind, input, detail, ...(text !== undefined && text.length <= 4096 ? { text } : {}) });
  }

  count(kind: Finding['kind']): number {
    return this.findings.filter((f) => f.kind === kind).length;
  }
}

const STATES = new Set(['runner', 'cannot-mint', 'invalid-json', 'cannot-look-inside']);
const STATUSES = new Set([302, 401, 403, 500]);
const VERSIONS = new Set(['v2', 'v1', 'legacy', 'flush', 'unknown']);
const SOURCES = new Set(['runner', 'spec', 'console']);
const STAGES = new Set(['read', 'decrypt', 'signature', 'parse']);

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isText = (v: unknown) => typeof v === 'string' && v.length > 0;

/** What an internal failure looks like when it reaches a message: never a user's answer. */
const INTERNAL = /Maximum call stack|unexpected error|is not a function|Cannot read properties of|undefined is not/i;

/** Why this is not an InspectReport as documented, or undefined. */
export function inspectShapeProblem(r: unknown): string | undefined {
  if (!isObject(r)) return 'not an object';
  if (!STATES.has(r.state as string)) return `state ${String(r.state)}`;
  if (r.runnerStatus === null ? r.state === 'runner' : !STATUSES.has(r.runnerStatus as number) || r.state !== 'runner')
    return `runnerStatus ${String(r.runnerStatus)} with state ${String(r.state)}`;
  if (!isText(r.verdict)) return 'no verdict';
  if (!VERSIONS.has(r.payloadVersion as string)) return `payloadVersion ${String(r.payloadVersion)}`;
  for (const k of ['jweHeader', 'jwsHeader', 'claims']) if (r[k] !== null && !isObject(r[k])) return `${k} is neither an object nor null`;
  if (!Array.isArray(r.problems)) return 'problems is not a list';
  for (const p of r.problems) {
    if (!isObject(p) || !isText(p.code) || typeof p.path !== 'string' || !isText(p.message) || !SOURCES.has(p.source as string))
      return `a problem is ${JSON.stringify(p)}`;
  }
  return leaks([r.verdict as string, ...r.problems.map((p) => (p as { message: string }).message)]) ?? serialises(r);
}

/** Why this is not a DownstreamResult as documented, or undefined. */
export function downstreamShapeProblem(r: unknown): string | undefined {
  if (!isObject(r) || !Array.isArray(r.items) || !Array.isArray(r.errors)) return 'not {items, errors}';
  for (const e of r.errors) if (!isObject(e) || typeof e.source !== 'string' || !isText(e.message)) return `an error is ${JSON.stringify(e)}`;
  for (const i of r.items as unknown[]) {
    if (!isObject(i) || !isText(i.id) || typeof i.source !== 'string') return 'an item without id or source';
    if (i.kind !== 'jwe' && i.kind !== 'json') return `kind ${String(i.kind)}`;
    if (typeof i.decrypted !== 'boolean' || (i.signatureValid !== null && typeof i.signatureValid !== 'boolean') || typeof i.valid !== 'boolean')
      return 'decrypted, signatureValid or valid of the wrong type';
    for (const k of ['payloadVersion', 'type', 'dataVersion']) if (!isText(i[k])) return `no ${k}`;
    if (i.failure !== undefined && (!isObject(i.failure) || !STAGES.has(i.failure.stage as string) || !isText(i.failure.message)))
      return `failure ${JSON.stringify(i.failure)}`;
    if (i.valid && (i.failure !== undefined || (i.problems as unknown[]).length)) return 'valid with a failure or problems';
    if (!Array.isArray(i.problems) || !isObject(i.summary)) return 'problems or summary missing';
    for (const p of i.problems) if (!isObject(p) || typeof p.path !== 'string' || !isText(p.message)) return `a problem is ${JSON.stringify(p)}`;
  }
  const r2 = r as unknown as DownstreamResult;
  return (
    leaks([...r2.errors.map((e) => e.message), ...r2.items.flatMap((i) => [i.failure?.message ?? '', ...i.problems.map((p) => p.message)])]) ?? serialises(r)
  );
}

function leaks(messages: string[]): string | undefined {
  const bad = messages.find((m) => INTERNAL.test(m));
  return bad === undefined ? undefined : `an internal error reached the user: ${bad.slice(0, 200)}`;
}

/** Every door serialises what the services answer (IPC's structured clone, the server's JSON, the CLI's --json). */
export function serialises(value: unknown): string | undefined {
  try {
    JSON.stringify(value);
    structuredClone(value);
    return undefined;
  } catch (err) {
    return `cannot be sent through a door: ${err instanceof Error ? err.message : String(err)}`;
  }
}

/** Problems that say the token was not opened: jwt-profile's OpenFailure steps, and why the console did not read it. */
const NOT_OPENED = new Set(
  ['format', 'jwe-header', 'jwe-key', 'decrypt', 'jws-header', 'jws-key', 'signature', 'payload', 'missing', 'sealed', 'over-limit', 'wrong-key'].map(
    (f) => `token.${f}`,
  ),
);

/**
 * The console opened the token: decrypted, verified, and read its claims as JSON, whatever it then
 * makes of them. That is what sdc-oracle's decrypt answers too.
 */
export const tokenOpened = (r: InspectReport) => !r.problems.some((p) => NOT_OPENED.has(p.code));

export const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
