// Which launch versions a runner accepts, as every verdict needs it: what the user said (the
// command line's --runner-accepts, else the environment's setting), else what the runner answered
// to the probe (probe.ts), kept per runner URL (records.ts) and asked again only on request or when
// the runner's /status version changes. A runner that cannot be reached is "unknown": the verdicts
// then assume v2 only, as for every runner since v14, and say that they could not check.
//
// Within one process the answer is also kept for half a minute, so a launch (verdict, then mint)
// asks the runner's /status once, and verdicts on every keystroke would ask it at most that often.
import { acceptanceOf, capabilitiesSummary, type RunnerAcceptance, type RunnerCapabilities, type RunnerDetection } from '../../../shared/runner-capabilities';
import { runnerBaseUrl } from '../../../shared/runner-url';
import type { SigningKeys } from '../tokens/jwt-profile';
import { probeRunner, readStatus } from './probe';
import type { RunnerRecords } from './records';

const MEMO_MS = 30_000;
/** A runner that could not be asked may be starting: asked again sooner. */
const PROBLEM_MEMO_MS = 5_000;

export interface CapabilityDeps {
  /** The keys the probe tokens are minted with: the environment's launch keys. */
  keys: () => Promise<SigningKeys>;
  records: () => RunnerRecords;
  /** What the user said about the runner at this URL, when anything. */
  override: (runnerUrl: string) => RunnerCapabilities['override'];
  now?: () => number;
  timeouts?: { statusMs?: number; probeMs?: number };
}

/** What asking the runner gave: a detection (fresh or recorded), or why there is none. */
interface Found {
  detected?: RunnerDetection;
  cached?: boolean;
  problem?: string;
}

export class RunnerCapabilityService {
  private readonly memo = new Map<string, { at: number; ttl: number; found: Promise<Found> }>();

  constructor(private readonly deps: CapabilityDeps) {}

  private now(): number {
    return this.deps.now?.() ?? Date.now();
  }

  /** refresh: probe the runner again, even when it is overridden or recorded. */
  async capabilities(input: string, options: { refresh?: boolean } = {}): Promise<RunnerCapabilities> {
    const runnerUrl = runnerBaseUrl(input);
    const override = this.deps.override(runnerUrl);
    let found: Found;
    if (override && !options.refresh) {
      // Told by the user: the runner is not asked; what it said before is still shown.
      const detected = this.recorded(runnerUrl);
      found = detected ? { detected, cached: true } : {};
    } else {
      found = await this.find(runnerUrl, Boolean(options.refresh));
    }
    const fields: Omit<RunnerCapabilities, 'summary'> = override
      ? { runnerUrl, accepts: [...override.accepts], source: 'override', override, ...found }
      : found.detected && !found.problem
        ? { runnerUrl, accepts: [...found.detected.accepts], source: 'detected', ...found }
        : { runnerUrl, accepts: null, source: 'unknown', ...found };
    return { ...fields, summary: capabilitiesSummary(fields) };
  }

  /** The capabilities as the rules take them. */
  async acceptance(runnerUrl: string): Promise<RunnerAcceptance> {
    return acceptanceOf(await this.capabilities(runnerUrl));
  }

  private recorded(runnerUrl: string): RunnerDetection | undefined {
    try {
      return this.deps.records().get(runnerUrl);
    } catch {
      // runners.json unreadable beyond setting aside (the disk): the runner is asked instead.
      return undefined;
    }
  }

  private find(runnerUrl: string, refresh: boolean): Promise<Found> {
    const kept = this.memo.get(runnerUrl);
    if (!refresh && kept && this.now() - kept.at < kept.ttl) return kept.found;
    const entry = { at: this.now(), ttl: MEMO_MS, found: this.ask(runnerUrl, refresh) };
    this.memo.set(runnerUrl, entry);
    void entry.found.then((f) => {
      if (f.problem) entry.ttl = PROBLEM_MEMO_MS;
    });
    return entry.found;
  }

  private async ask(runnerUrl: string, refresh: boolean): Promise<Found> {
    const status = await readStatus(runnerUrl, this.deps.timeouts?.statusMs);
    if (!status.ok) return { problem: status.reason };
    const recorded = this.recorded(runnerUrl);
    if (!refresh && recorded && recorded.runnerVersion === status.version) return { detected: recorded, cached: true };

    let keys: SigningKeys;
    try {
      keys = await this.deps.keys();
    } catch (err) {
      return { problem: `the console cannot mint the probe tokens: ${(err as Error).message}` };
    }
    const outcome = await probeRunner(runnerUrl, keys, {
      runnerVersion: status.version,
      nowSeconds: Math.floor(this.now() / 1000),
      timeoutMs: this.deps.timeouts?.probeMs,
    });
    if (!outcome.ok) return { problem: outcome.reason };
    try {
      this.deps.records().put(runnerUrl, outcome.detection);
    } catch {
      // Not kept: the runner is probed again next time, which costs two requests.
    }
    return { detected: outcome.detection };
  }
}
