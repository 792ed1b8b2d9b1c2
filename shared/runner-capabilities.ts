// Which launch token versions a runner accepts. eq-questionnaire-runner took v1 (flat claims) until
// v13.6.1 and took v2 from v12; since v14.0.0 it takes v2 only. The Node side finds out by asking
// the runner (electron/services/runner), the user may say otherwise per environment or on the
// command line, and the rules (shared/claims/runner-rules.ts) judge tokens by the answer.

export type LaunchVersion = 'v1' | 'v2';
export const LAUNCH_VERSIONS: readonly LaunchVersion[] = ['v1', 'v2'];

/** What the runner answered to the probe tokens (electron/services/runner/probe.ts), and when. */
export interface RunnerDetection {
  accepts: LaunchVersion[];
  /** When the runner was probed (ISO 8601). */
  at: string;
  /** GET /status's version at the time (the runner's commit), or null when it reports none. */
  runnerVersion: string | null;
  /** The runner's answer to each probe token. */
  answers: Record<LaunchVersion, number>;
}

/**
 * - override: the user said so (the environment's setting, or --runner-accepts);
 * - detected: the runner was probed, now or earlier (cached: true);
 * - unknown: the runner could not be asked, or its answers did not tell; v2 only is assumed.
 */
export type AcceptsSource = 'override' | 'detected' | 'unknown';

export interface RunnerCapabilities {
  runnerUrl: string;
  /** What the verdicts go by; null when unknown (the console then assumes v2 only, as since v14). */
  accepts: LaunchVersion[] | null;
  source: AcceptsSource;
  /** One sentence: what the runner accepts and how the console knows it. */
  summary: string;
  override?: { accepts: LaunchVersion[]; by: 'environment' | 'command-line' };
  /** The last probe that told, shown beside an override too. */
  detected?: RunnerDetection;
  /** True when the detection came from the console's record, without probing this time. */
  cached?: boolean;
  /** Why the runner's capabilities are unknown, or why asking it again failed. */
  problem?: string;
}

/** What the rules take: the versions, and in words how that is known, for their messages. */
export interface RunnerAcceptance {
  versions: readonly LaunchVersion[];
  /** false: the console could not find out, and versions is its assumption. */
  known: boolean;
  /** e.g. "detected by probing the runner on …", "as set for this environment". */
  basis: string;
}

/** The assumption when nothing is known: every runner since v14 takes v2 only. */
export const ASSUMED: readonly LaunchVersion[] = ['v2'];

export function acceptsWords(versions: readonly LaunchVersion[]): string {
  const v1 = versions.includes('v1');
  const v2 = versions.includes('v2');
  return v1 && v2 ? 'v1 and v2' : v1 ? 'only v1' : 'only v2';
}

/** "v1,v2", "v2", "v1 v2" → the versions, in order; undefined for anything else. */
export function parseAccepts(text: string): LaunchVersion[] | undefined {
  const parts = text
    .split(/[\s,]+/)
    .map((p) => p.trim().toLowerCase())
    .filter(Boolean);
  if (!parts.length || parts.some((p) => p !== 'v1' && p !== 'v2')) return undefined;
  return LAUNCH_VERSIONS.filter((v) => parts.includes(v));
}

/** A time as people read it in a sentence: 2026-12-02 06:22 UTC. */
function when(iso: string): string {
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
}

/** How a probe's answers tell, e.g. "detected …: the runner refused a v1 probe token (403) and let a v2 one past its claim checks (…)". */
export function detectionWords(d: RunnerDetection): string {
  const past = LAUNCH_VERSIONS.filter((v) => d.answers[v] === 500);
  const refused = LAUNCH_VERSIONS.filter((v) => d.answers[v] !== 500);
  const said: string[] = [];
  if (refused.length) said.push(`refused a ${refused.join(' and a ')} probe token (${refused.map((v) => d.answers[v]).join(', ')})`);
  if (past.length) {
    said.push(`let ${refused.length ? 'a' : 'both a'} ${past.join(' and a ')} probe token past its claim checks (500 on a schema that does not exist)`);
  }
  const version = d.runnerVersion ? `; /status version ${d.runnerVersion.slice(0, 7)}` : '';
  return `detected ${when(d.at)}: the runner ${said.join(' and ')}${version}`;
}

/** The capabilities as the rules take them. */
export function acceptanceOf(c: RunnerCapabilities): RunnerAcceptance {
  if (c.override) {
    const basis = c.override.by === 'command-line' ? 'as --runner-accepts says' : 'as set for this environment';
    return { versions: c.override.accepts, known: true, basis };
  }
  if (c.accepts && c.detected) return { versions: c.accepts, known: true, basis: detectionWords(c.detected) };
  return {
    versions: ASSUMED,
    known: false,
    basis: `not checked: ${c.problem ?? 'the runner could not be asked'}; the console assumes v2 only, as for every runner since v14`,
  };
}

/** One sentence for the screen and the command line. */
export function capabilitiesSummary(c: Omit<RunnerCapabilities, 'summary'>): string {
  const detected = c.detected ? `${acceptsWords(c.detected.accepts)} (${detectionWords(c.detected)})` : undefined;
  if (c.override) {
    const by = c.override.by === 'command-line' ? '--runner-accepts' : 'this environment’s setting';
    return `The runner at ${c.runnerUrl} is taken to accept ${acceptsWords(c.override.accepts)}, as ${by} says${detected ? `; the console detected ${detected}` : ''}.`;
  }
  if (c.accepts && c.detected) return `The runner at ${c.runnerUrl} accepts ${detected}.`;
  return `The console could not find out which launch versions the runner at ${c.runnerUrl} accepts (${c.problem ?? 'not asked'}); it assumes v2 only, as for every runner since v14.`;
}
