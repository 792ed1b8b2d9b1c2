// The fuzz suite (issue 11, item 5): over 10,000 hostile inputs, in-process, through the services
// every front door calls (createServices with the runner's test keys): launch tokens the console
// minted, mutated, through tokens.inspect; downstream payloads sealed as the runner seals them,
// and the ONS examples as plain JSON, mutated, through downstream.open with text sources (and
// downstream.payload for every item). Mutations: truncations, bit flips, stray characters, bad
// base64, swapped and borrowed parts, lost and doubled dots, changed headers, changed and broken
// content (re-signed), 200 KB strings, JSON nested 5,000 and 100,000 deep, 10 MB inputs.
//
// Required: no crash (an exception out of a service, a reply not of the documented shape, a reply
// a door cannot serialise), no input over 2 s, and no false accept: every mutated input the
// console accepts (302, or verified and valid) is put to jwcrypto (sdc-oracle), and jwcrypto must
// accept it too; a mutation jwcrypto shrugs off (padding, four stray characters) is no false
// accept. On a seeded sample, the console's opened/refused equals jwcrypto's. The seed is printed;
// FUZZ_SEED reproduces a run.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServices, type Services } from '../../electron/services/index';
import { candidatesInText, hintFor } from '../../electron/services/downstream/extract';
import { sealClaims } from '../../electron/services/tokens/jwt-profile';
import type { DownstreamItem } from '../../shared/downstream/types';
import type { InspectReport } from '../../shared/inspect-types';
import { PAYLOAD_LIMITS, TOKEN_LIMITS } from '../../shared/json-limits';
import { surveyResponse } from '../support/downstream';
import { ONS, oracleMissing, sharedMissing, skipReason } from '../support/shared';
import { downstreamExamples, type FuzzKeys, fuzzKeys, launchClaims } from './fixtures';
import { downstreamShapeProblem, FuzzStats, HANG_MS, inspectShapeProblem, median, serialises, tokenOpened } from './harness';
import { deepMember, hostileCompact, JSON_IN_TEN_MB_JWE, mutateCompact, mutateText, mutateValue, nested, padded } from './mutate';
import { type OracleJob, oracleBatch } from './oracle-batch';
import { fuzzSeed, type Rng, rng } from './prng';

const TOKEN_INPUTS = 6_000;
const PAYLOAD_INPUTS = 4_400;
/** How many inputs of each kind are also put to jwcrypto, besides every accepted mutation. */
const SAMPLE = 300;
/** The 200 KB rule: calls timed together, so that each figure is well above the clock's grain. */
const CALLS_PER_ROUND = 5;
const seed = fuzzSeed();
const skip = skipReason(sharedMissing(), oracleMissing());

interface Check {
  job: OracleJob;
  input: string;
  /** accepted: the console accepted a mutation, so jwcrypto must accept it too; sample: both must agree. */
  why: 'accepted' | 'sample';
  consoleOpened: boolean;
  /** The console did not read it for its limits on depth (shared/json-limits.ts), which jwcrypto lacks. */
  overLimit?: boolean;
  /** What the console read from it, to compare with what jwcrypto read. */
  read?: unknown;
}

/** How every refusal for a limit ends (shared/json-limits.ts). */
const LIMIT_MESSAGE = /; the console reads at most /;

const same = (a: unknown, b: unknown) => JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));
function canonical(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(canonical);
  if (v && typeof v === 'object')
    return Object.fromEntries(
      Object.keys(v)
        .sort()
        .map((k) => [k, canonical((v as Record<string, unknown>)[k])]),
    );
  return v;
}

describe.skipIf(skip !== undefined)(`fuzz (seed ${seed}): hostile tokens and payloads through inspect and downstream`, () => {
  const r = rng(seed);
  const stats = new FuzzStats();
  const started = performance.now();
  const nowSeconds = Math.floor(Date.now() / 1000);
  let dir: string;
  let services: Services;
  let keys: FuzzKeys;
  let ratios = '';

  beforeAll(async () => {
    console.log(`fuzz seed ${seed}: FUZZ_SEED=${seed} runs these inputs again`);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'eqc-fuzz-'));
    services = await createServices({ configDir: dir, mode: 'browser' });
    // The runner's test keys both ways: the console mints what the runner opens, and opens it too.
    await services.keys.importRunnerCheckout(path.join(ONS, 'runner'));
    keys = fuzzKeys(dir);
  }, 120_000);

  afterAll(async () => {
    await services?.shutdown();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
    const found = stats.findings;
    for (const f of found.slice(0, 30))
      console.log(`FOUND ${f.kind}: input ${f.input}: ${f.detail}${f.text !== undefined ? `\n  text: ${JSON.stringify(f.text)}` : ''}`);
    console.log(
      `fuzz summary (seed ${seed}): ${stats.inputs} inputs, ${stats.count('crash')} crashes, ${stats.count('hang')} inputs over ${HANG_MS / 1000} s, ` +
        `${stats.count('false accept')} false accepts (${stats.acceptedMutations} accepted mutations checked with jwcrypto), ` +
        `jwcrypto sample ${stats.oracleAgreed}/${stats.oracleSample} agree (${stats.beyondLimits} beyond the console's limits not compared), ` +
        `max ${Math.round(stats.maxMs)} ms of CPU per input (${stats.maxInput}; the longest wall time ${Math.round(stats.maxWallMs)} ms), ` +
        `peak RSS ${Math.round(stats.peakRss / 1024 / 1024)} MB, ${((performance.now() - started) / 1000).toFixed(0)} s (jwcrypto ${(stats.oracleMs / 1000).toFixed(0)} s)${ratios}`,
    );
  });

  /** jwcrypto on every check at once, then the verdicts compared. */
  function judgeWithJwcrypto(checks: Check[]): void {
    const start = performance.now();
    const verdicts = oracleBatch(checks.map((c) => c.job));
    stats.oracleMs += performance.now() - start;
    checks.forEach((c, i) => {
      const jw = verdicts[i]!;
      const text = c.job.token;
      if (c.why === 'accepted') {
        stats.acceptedMutations++;
        if (!jw.accepted) stats.find('false accept', c.input, `the console accepts it, jwcrypto refuses it (${jw.reason})`, text);
        else if (c.read !== undefined && !same(c.read, jw.value))
          stats.find('disagreement', c.input, 'the console and jwcrypto read different content from it', text);
        return;
      }
      // Nested deeper than the console reads but not as deep as Python's recursion limit: jwcrypto reads it.
      if (c.overLimit && jw.accepted) {
        stats.beyondLimits++;
        return;
      }
      stats.oracleSample++;
      if (c.consoleOpened === jw.accepted && (!jw.accepted || c.read === undefined || same(c.read, jw.value))) stats.oracleAgreed++;
      else if (c.consoleOpened === jw.accepted) stats.find('disagreement', c.input, 'the console and jwcrypto read different content from it', text);
      else
        stats.find(
          'disagreement',
          c.input,
          `the console ${c.consoleOpened ? 'opens' : 'refuses'} it, jwcrypto ${jw.accepted ? 'accepts' : `refuses (${jw.reason})`}`,
          text,
        );
    });
  }

  // First, while the process is fresh: after 10,000 inputs its heap is larger and a 200 KB string costs more to collect.
  it('a 200 KB schema_name or ru_ref costs at most 20 times a normal input, in inspect and launch.check', async () => {
    const KB200 = 200 * 1024;
    const long = (field: 'schema_name' | 'ru_ref', text: string) => {
      const claims = launchClaims(nowSeconds);
      if (field === 'ru_ref') (claims.survey_metadata as { data: Record<string, unknown> }).data.ru_ref = text;
      else claims.schema_name = text;
      return claims;
    };
    // Plain letters, and near misses for the ONS patterns: a regular expression that backtracks shows on these.
    const cases: [string, Record<string, unknown>][] = [
      ['schema_name of x', long('schema_name', 'x'.repeat(KB200))],
      ['schema_name of a_', long('schema_name', 'a_'.repeat(KB200 / 2))],
      ['schema_name of a_ ending !', long('schema_name', `${'a_'.repeat(KB200 / 2 - 1)}a!`)],
      ['ru_ref of digits', long('ru_ref', '1'.repeat(KB200))],
      ['ru_ref of digits ending !', long('ru_ref', `${'1'.repeat(KB200 - 1)}!`)],
      ['ru_ref of 1A', long('ru_ref', '1A'.repeat(KB200 / 2))],
    ];
    const normal = launchClaims(nowSeconds);
    const normalToken = sealClaims(JSON.stringify(normal), keys.launch);
    const lines: string[] = [];
    let worst = 0;
    for (const [what, claims] of cases) {
      const token = sealClaims(JSON.stringify(claims), keys.launch);
      for (const [door, run, runNormal] of [
        ['inspect', () => services.tokens.inspect(token), () => services.tokens.inspect(normalToken)],
        ['launch.check', () => services.launch.check(claims), () => services.launch.check(normal)],
      ] as const) {
        const longMs: number[] = [];
        const normalMs: number[] = [];
        // The CPU time of a few calls at a time (as the hang check counts it: a core shared with other
        // work does not count against the console), interleaved, and medians of the rounds, so that
        // a collection or a compilation in one of them does not count either.
        for (let round = 0; round < 11; round++) {
          for (const [list, fn] of round % 2
            ? ([
                [longMs, run],
                [normalMs, runNormal],
              ] as const)
            : ([
                [normalMs, runNormal],
                [longMs, run],
              ] as const)) {
            const start = process.cpuUsage();
            for (let k = 0; k < CALLS_PER_ROUND; k++) await fn();
            const used = process.cpuUsage(start);
            list.push((used.user + used.system) / 1000 / CALLS_PER_ROUND);
          }
        }
        const ratio = median(longMs) / median(normalMs);
        worst = Math.max(worst, ratio);
        lines.push(`${door} ${what}: ${median(longMs).toFixed(2)} ms vs ${median(normalMs).toFixed(2)} ms (${ratio.toFixed(1)}x)`);
      }
    }
    console.log(`200 KB strings:\n  ${lines.join('\n  ')}`);
    ratios = `, 200 KB strings at most ${worst.toFixed(1)}x a normal input`;
    expect(worst, lines.join('; ')).toBeLessThanOrEqual(20);
  }, 300_000);

  it(`tokens.inspect: ${TOKEN_INPUTS.toLocaleString('en')} mutated launch tokens and the hostile ones`, async () => {
    const t = r.fork();
    const bases: string[] = [];
    for (let i = 0; i < 8; i++) {
      const claims = launchClaims(nowSeconds, i % 2 ? { roles: ['dumper'] } : {});
      bases.push((await services.direct.mintText(JSON.stringify(claims))).token);
    }
    // Every base is a launch the runner takes: an accepted mutation is then a real question.
    for (const b of bases) expect((await services.tokens.inspect(b)).runnerStatus).toBe(302);
    const checks: Check[] = [];
    const sampleRate = SAMPLE / TOKEN_INPUTS;

    const inspect = async (label: string, text: string, options: { mutated: boolean; sample: boolean }) => {
      const report = await stats.time<InspectReport>(label, text, () => services.tokens.inspect(text));
      if (!report) return;
      const shape = inspectShapeProblem(report);
      if (shape) stats.find('crash', label, shape, text);
      const job: OracleJob = { token: text, keys: keys.launchStore, purpose: 'authentication' };
      if (report.runnerStatus === 302 && options.mutated) checks.push({ job, input: label, why: 'accepted', consoleOpened: true, read: report.claims });
      // jwcrypto reads any size; the console reads tokens of at most TOKEN_LIMITS.chars (the runner's URL limit is 64 KiB).
      if (text.trim().length > TOKEN_LIMITS.chars) stats.beyondLimits++;
      else if (options.sample) {
        const overLimit = report.problems.some((p) => p.code === 'token.over-limit');
        checks.push({ job, input: label, why: 'sample', consoleOpened: tokenOpened(report), overLimit, read: report.claims ?? undefined });
      }
    };

    for (let i = 0; i < TOKEN_INPUTS; i++) {
      const base = t.pick(bases);
      const kind = t.weighted<'envelope' | 'content' | 'broken-content'>([
        [85, 'envelope'],
        [8, 'content'],
        [7, 'broken-content'],
      ]);
      let text: string;
      let op: string;
      if (kind === 'envelope') ({ text, op } = mutateCompact(base, t, bases));
      else {
        // Signed anew: the envelope is sound, the claims are changed or are not JSON at all.
        const changed = mutateValue(launchClaims(nowSeconds), t);
        const broken = kind === 'broken-content' ? mutateText(JSON.stringify(changed.value), t) : undefined;
        op = `${broken ? 'broken ' : ''}content re-signed: ${changed.op}${broken ? `; ${broken.op}` : ''}`;
        text = sealClaims(broken ? broken.text : JSON.stringify(changed.value), keys.launch);
      }
      await inspect(`token #${i} (${op})`, text, { mutated: kind === 'envelope' && text !== base, sample: t.chance(sampleRate) });
    }

    // The heavy ones, each a few times: 10 MB tokens, headers and claims nested 5,000 and
    // 100,000 deep, 200 KB strings, a 10 MB claim.
    // [what, token, whether it is a mutation of a minted token rather than one signed anew]
    const heavy: [string, string, boolean][] = [];
    for (let k = 0; k < 10; k++) {
      const m = hostileCompact(t.pick(bases), t);
      heavy.push([m.op, m.text, true]);
    }
    const signed = (extra: string) => sealClaims(JSON.stringify(launchClaims(nowSeconds)).replace(/^\{/, `{${extra},`), keys.launch);
    for (const depth of [5_000, 5_000, 100_000, 100_000]) heavy.push([`claims nested ${depth} deep, signed`, signed(`"deep":${nested(depth)}`), false]);
    heavy.push(['a 10 MB claim, signed', signed(`"padding":"${'x'.repeat(10 * 1024 * 1024)}"`), false]);
    heavy.push(['claims of 1 MB, just within the limits, signed', signed(`"padding":"${'x'.repeat(1000 * 1024)}"`), false]);
    for (const field of ['schema_name', 'ru_ref', 'response_id', 'account_service_url', 'jti']) {
      for (const fill of ['x', '1', 'a_']) {
        const long = fill.repeat((200 * 1024) / fill.length);
        const claims = launchClaims(nowSeconds);
        if (field === 'ru_ref') (claims.survey_metadata as { data: Record<string, unknown> }).data.ru_ref = long;
        else claims[field] = long;
        heavy.push([`200 KB ${field} of ${JSON.stringify(fill)}`, sealClaims(JSON.stringify(claims), keys.launch), false]);
      }
    }
    for (const [op, text, mutated] of heavy) await inspect(`token (${op})`, text, { mutated, sample: true });

    judgeWithJwcrypto(checks);
    expect(
      stats.findings.filter((f) => f.input.startsWith('token')),
      'findings (printed above with their inputs)',
    ).toEqual([]);
  }, 600_000);

  it(`downstream.open: ${PAYLOAD_INPUTS.toLocaleString('en')} mutated payloads, sealed and plain, and the hostile ones`, async () => {
    const d = r.fork();
    const examples = downstreamExamples().map((e) => ({ ...e, value: JSON.parse(e.text) as Record<string, unknown> }));
    const payloads = [...examples.map((e) => e.value), surveyResponse(3)];
    const jwes = payloads.map((p) => sealClaims(JSON.stringify(p), keys.submission));
    // Every base opens, verifies and validates: an accepted mutation is then a real question.
    for (const [i, jwe] of jwes.entries()) {
      const { items } = await services.downstream.open([{ kind: 'text', name: `base-${i}.jwe`, text: jwe }]);
      expect(items.map((x) => [x.signatureValid, x.valid, x.problems])).toEqual([[true, true, []]]);
    }
    const checks: Check[] = [];
    let readAsLogs = 0;
    const sampleRate = SAMPLE / (PAYLOAD_INPUTS * 0.7);

    const open = async (label: string, name: string, text: string, options: { mutated: boolean; sample: boolean }) => {
      const opened = await stats.time(label, text, async () => {
        const result = await services.downstream.open([{ kind: 'text', name, text }]);
        // What the page asks for next, for every item it can show: the observed 500 was here.
        const held = await Promise.all(result.items.map((i) => (i.failure ? undefined : services.downstream.payload(i.id))));
        return { result, held };
      });
      if (!opened) return;
      const { result, held } = opened;
      const shape = downstreamShapeProblem(result) ?? held.map(serialises).find(Boolean);
      if (shape) stats.find('crash', label, shape, text);
      const jwe = (i: DownstreamItem) => i.kind === 'jwe';
      const accepted = result.items.filter((i) => jwe(i) && i.signatureValid === true && i.valid);
      if (accepted.length && options.mutated) {
        // The JWE each accepted item was opened from, as the console found it in the text.
        const found = [...candidatesInText(text, name, hintFor(name))];
        for (const item of accepted) {
          const candidate = found.find((c) => c.kind === 'jwe' && c.source === item.source);
          const token = candidate?.text ?? text;
          const read = held[result.items.indexOf(item)];
          checks.push({ job: { token, keys: keys.submissionStore, purpose: 'submission' }, input: label, why: 'accepted', consoleOpened: true, read });
        }
      }
      if (!options.sample || !name.endsWith('.jwe')) return;
      if (text.trim().length > PAYLOAD_LIMITS.chars) {
        stats.beyondLimits++;
        return;
      }
      // A text the console read as a log (a line of it looked like a whole JWE) is not one JWE to compare.
      if (result.items.some((i) => i.source !== name)) {
        readAsLogs++;
        return;
      }
      const item = result.items[0];
      const consoleOpened = item !== undefined && item.signatureValid === true && item.failure === undefined;
      const overLimit = item?.failure !== undefined && LIMIT_MESSAGE.test(item.failure.message);
      const read = consoleOpened ? held[0] : undefined;
      checks.push({ job: { token: text, keys: keys.submissionStore, purpose: 'submission' }, input: label, why: 'sample', consoleOpened, overLimit, read });
    };

    for (let i = 0; i < PAYLOAD_INPUTS; i++) {
      const at = d.int(0, payloads.length - 1);
      const kind = d.weighted<'jwe' | 'log' | 'content' | 'broken-content' | 'json-text' | 'json-value'>([
        [50, 'jwe'],
        [5, 'log'],
        [10, 'content'],
        [5, 'broken-content'],
        [20, 'json-text'],
        [10, 'json-value'],
      ]);
      const label = (op: string) => `payload #${i} (${kind} of base ${at}: ${op})`;
      if (kind === 'jwe' || kind === 'log') {
        const m = mutateCompact(jwes[at]!, d, jwes);
        const text = kind === 'jwe' ? m.text : logLine(d, m.text);
        await open(label(m.op), `in-${i}.${kind === 'jwe' ? 'jwe' : 'log'}`, text, { mutated: m.text !== jwes[at], sample: d.chance(sampleRate) });
      } else if (kind === 'content' || kind === 'broken-content') {
        const changed = mutateValue(payloads[at]!, d);
        const broken = kind === 'broken-content' ? mutateText(JSON.stringify(changed.value), d) : undefined;
        const text = sealClaims(broken ? broken.text : JSON.stringify(changed.value), keys.submission);
        await open(label(`${changed.op}${broken ? `; ${broken.op}` : ''}`), `in-${i}.jwe`, text, { mutated: false, sample: d.chance(sampleRate) });
      } else {
        const m = kind === 'json-text' ? mutateText(JSON.stringify(payloads[at], null, d.chance(0.5) ? 2 : undefined), d) : mutateValue(payloads[at]!, d);
        const text = 'value' in m ? JSON.stringify(m.value) : m.text;
        await open(label(m.op), `in-${i}.json`, text, { mutated: false, sample: false });
      }
    }

    // The heavy ones: JSON and signed payloads nested 5,000 and 100,000 deep (and at the limit),
    // 10 MB payloads plain and sealed, 10 MB JWEs, a 10 MB log line, 200 KB strings.
    const example = JSON.stringify(payloads[0]);
    // [what, source name, text, whether it is a mutation of a sealed payload rather than one sealed anew]
    const heavy: [string, string, string, boolean?][] = [];
    for (const depth of [5_000, 100_000, PAYLOAD_LIMITS.depth - 1, PAYLOAD_LIMITS.depth]) {
      heavy.push([`plain JSON nested ${depth + 1} deep`, 'deep.json', deepMember(example, depth)]);
      heavy.push([`a payload nested ${depth + 1} deep, sealed`, 'deep.jwe', sealClaims(deepMember(example, depth), keys.submission)]);
    }
    heavy.push(['a JSON list nested 100,000 deep', 'deep-list.json', nested(100_000, example)]);
    // 10 MB as given: a JWE of 10 MB holds 5.6 MB of JSON.
    heavy.push(['10 MB of plain JSON', 'big.json', padded(example)]);
    heavy.push(['a 10 MB JWE', 'big.jwe', sealClaims(padded(example, JSON_IN_TEN_MB_JWE), keys.submission)]);
    heavy.push(['230,000 answers in 10 MB of plain JSON', 'answers.json', JSON.stringify(surveyResponse(230_000))]);
    heavy.push(['120,000 answers in a 10 MB JWE', 'answers.jwe', sealClaims(JSON.stringify(surveyResponse(120_000)), keys.submission)]);
    heavy.push(['a 10 MB log line', 'big.log', `message='${'A.'.repeat(5 * 1024 * 1024)}'`]);
    heavy.push(['10 MB of JSON lines', 'lines.log', `${JSON.stringify({ event: 'x', message: 'eyJ' })}\n`.repeat(300_000)]);
    for (let k = 0; k < 10; k++) {
      const m = hostileCompact(d.pick(jwes), d);
      heavy.push([m.op, 'hostile.jwe', m.text, true]);
    }
    for (const field of ['tx_id', 'schema_name', 'case_id', 'submitted_at']) {
      const long = { ...payloads[0]!, [field]: 'x'.repeat(200 * 1024) };
      heavy.push([`200 KB ${field}, plain`, 'long.json', JSON.stringify(long)]);
      heavy.push([`200 KB ${field}, sealed`, 'long.jwe', sealClaims(JSON.stringify(long), keys.submission)]);
    }
    for (const [op, name, text, mutated] of heavy) await open(`payload (${op})`, name, text, { mutated: mutated ?? false, sample: true });

    judgeWithJwcrypto(checks);
    if (readAsLogs) console.log(`${readAsLogs} sampled .jwe texts were read as logs (a line looked like a whole JWE), so not compared with jwcrypto`);
    expect(
      stats.findings.filter((f) => f.input.startsWith('payload')),
      'findings (printed above with their inputs)',
    ).toEqual([]);
  }, 600_000);
});

/** A runner log line carrying the JWE, as its log backend writes it (JSON) or as structlog's key=value. */
function logLine(r: Rng, jwe: string): string {
  return r.chance(0.5)
    ? `${JSON.stringify({ event: 'message payload', message: jwe, tx_id: 'x' })}\n`
    : `2026-03-01 10:00:00 [info] message payload tx_id=x message='${jwe}'\n`;
}
