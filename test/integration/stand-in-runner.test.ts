// The Python stand-in runner (test/stand-in/runner.py) against RUNNER-CONTRACT §3-§6, row by row.
// Its tokens come from ../shared/tools/sdc-oracle, the independent jwcrypto reference, and what it
// sends downstream is opened by the same oracle and checked with ajv against the ONS
// submission_v2 schema: the stand-in is judged by the reference, never by the console it serves.
// Tokens the oracle cannot make (other algorithms, missing kids, forged signatures) are built with
// jose and node:crypto, each beside a jose-built token the stand-in accepts.
import { execFile } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { CompactEncrypt, CompactSign } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { KIDS, ONS, ORACLE, oracle, oracleKid, oracleMissing, RUNNER_DEV_KEYS, RUNNER_KEYS_DIR, SHARED, sharedMissing, skipReason } from '../support/shared';
import { PYTHON, standInMissing, startStandInRunner, type StandInRunner } from '../support/stand-in-runner';

type Claims = Record<string, unknown>;

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'eqc-stand-in-'));
const downstreamDir = path.join(work, 'downstream');
const schemasDir = path.join(work, 'schemas');
const now = () => Math.floor(Date.now() / 1000);
const pem = (name: string) => fs.readFileSync(path.join(RUNNER_KEYS_DIR, name), 'utf8');
const PEM = {
  launcherSigning: 'sdc-rrm-authentication-signing-private-v1.pem',
  runnerEncryption: 'sdc-sr-authentication-encryption-public-v1.pem',
  runnerSubmission: 'sdc-sr-submission-signing-private-v1.pem',
  sdxSubmission: 'sdc-sdx-submission-encryption-private-v1.pem',
};
const UNKNOWN_KID = 'ffffffffffffffffffffffffffffffffffffffff';

// ---- key stores for sdc-oracle -------------------------------------------------------------

function store(name: string, keys: Record<string, { purpose: string; type: 'public' | 'private'; file: string }>): string {
  const file = path.join(work, `${name}.yml`);
  const entries = Object.fromEntries(Object.entries(keys).map(([kid, k]) => [kid, { purpose: k.purpose, type: k.type, value: pem(k.file) }]));
  fs.writeFileSync(file, YAML.stringify({ keys: entries }));
  return file;
}

let submissionKid = '';
const STORES = {} as Record<'auth' | 'unknownJweKid' | 'unknownJwsKid' | 'jweWrongPurpose' | 'jweWrongType' | 'jwsWrongPurpose' | 'downstream', string>;

function writeStores() {
  submissionKid = oracleKid(path.join(RUNNER_KEYS_DIR, PEM.runnerSubmission));
  const auth = 'authentication';
  const signer = { purpose: auth, type: 'private' as const, file: PEM.launcherSigning };
  const recipient = { purpose: auth, type: 'public' as const, file: PEM.runnerEncryption };
  // The console's side of the runner's keys: what the brief calls STORE.
  STORES.auth = store('auth', { [KIDS.launcherSigning]: signer, [KIDS.runnerEncryption]: recipient });
  STORES.unknownJweKid = store('unknown-jwe-kid', { [KIDS.launcherSigning]: signer, [UNKNOWN_KID]: recipient });
  STORES.unknownJwsKid = store('unknown-jws-kid', { [UNKNOWN_KID]: signer, [KIDS.runnerEncryption]: recipient });
  // Encrypted to the runner's submission signing key: the runner holds it, as a submission key.
  STORES.jweWrongPurpose = store('jwe-wrong-purpose', { [KIDS.launcherSigning]: signer, [submissionKid]: { purpose: auth, type: 'public', file: PEM.runnerSubmission } });
  // Encrypted to the launcher's key: the runner holds only its public half.
  STORES.jweWrongType = store('jwe-wrong-type', {
    [submissionKid]: { purpose: auth, type: 'private', file: PEM.runnerSubmission },
    [KIDS.launcherSigning]: { purpose: auth, type: 'public', file: PEM.launcherSigning },
  });
  // Signed with the runner's submission key, which the runner's store files under submission.
  STORES.jwsWrongPurpose = store('jws-wrong-purpose', { [submissionKid]: { purpose: auth, type: 'private', file: PEM.runnerSubmission }, [KIDS.runnerEncryption]: recipient });
  // Downstream's side: its decryption key and the runner's signing key (as its own public half).
  STORES.downstream = store('downstream', {
    [KIDS.sdxSubmission]: { purpose: 'submission', type: 'private', file: PEM.sdxSubmission },
    [submissionKid]: { purpose: 'submission', type: 'public', file: PEM.runnerSubmission },
  });
}

// ---- minting with sdc-oracle ---------------------------------------------------------------

// One Python process loads sdc-oracle and runs its own `encrypt` command once per item, exactly
// as `sdc-oracle encrypt --keys STORE --purpose authentication < CLAIMS` would. Only the reading
// of each key store is remembered: loading an RSA private key costs more than signing with it.
const MINT_DRIVER = `
import contextlib, functools, importlib.machinery, importlib.util, io, json, sys, types
loader = importlib.machinery.SourceFileLoader("sdc_oracle", sys.argv[1])
oracle = importlib.util.module_from_spec(importlib.util.spec_from_loader("sdc_oracle", loader))
loader.exec_module(oracle)
oracle.load_store = functools.lru_cache(maxsize=None)(oracle.load_store)
items, tokens = json.load(sys.stdin), []
for item in items:
    sys.stdin, out = io.StringIO(json.dumps(item["claims"])), io.StringIO()
    with contextlib.redirect_stdout(out):
        oracle.cmd_encrypt(types.SimpleNamespace(keys=item["store"], purpose="authentication"))
    tokens.append(out.getvalue().strip())
json.dump(tokens, sys.__stdout__)
`;

function mintAll(items: { claims: Claims; store?: string }[]): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const child = execFile(PYTHON, ['-c', MINT_DRIVER, ORACLE], { maxBuffer: 64 << 20, timeout: 60_000 }, (error, stdout, stderr) => {
      if (error) return reject(new Error(`sdc-oracle: ${stderr || error.message}`));
      resolve(JSON.parse(stdout) as string[]);
    });
    child.stdin!.end(JSON.stringify(items.map((i) => ({ claims: i.claims, store: i.store ?? STORES.auth }))));
  });
}
const mint = async (claims: Claims, store?: string) => (await mintAll([{ claims, store }]))[0]!;

// ---- tokens the oracle cannot make ----------------------------------------------------------

const b64 = (value: unknown) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');

interface Craft {
  jwsHeader?: Record<string, unknown>;
  jwsKey?: crypto.KeyObject | Uint8Array;
  jweHeader?: Record<string, unknown>;
}

async function craft(claims: Claims, c: Craft = {}): Promise<string> {
  const jwsHeader = c.jwsHeader ?? { alg: 'RS256', kid: KIDS.launcherSigning, typ: 'JWT' };
  const jws =
    jwsHeader.alg === 'none'
      ? `${b64(jwsHeader)}.${b64(claims)}.`
      : await new CompactSign(Buffer.from(JSON.stringify(claims))).setProtectedHeader(jwsHeader as { alg: string }).sign(c.jwsKey ?? crypto.createPrivateKey(pem(PEM.launcherSigning)));
  const jweHeader = c.jweHeader ?? { alg: 'RSA-OAEP', enc: 'A256GCM', kid: KIDS.runnerEncryption };
  return new CompactEncrypt(Buffer.from(jws)).setProtectedHeader(jweHeader as { alg: string; enc: string }).encrypt(crypto.createPublicKey(pem(PEM.runnerEncryption)));
}

// ---- claims ----------------------------------------------------------------------------------

const iso = (msFromNow: number) => new Date(Date.now() + msFromNow).toISOString().replace(/\.\d+Z$/, '+00:00');
const BUSINESS = { user_id: 'UNKNOWN', period_id: '201605', ru_name: 'ESSENTIAL ENTERPRISE LTD.', ru_ref: '12345678901A', form_type: '0001' };

function v2(overrides: Claims = {}, data: Claims = BUSINESS): Claims {
  const claims: Claims = {
    version: 'v2',
    jti: crypto.randomUUID(),
    tx_id: crypto.randomUUID(),
    iat: now(),
    exp: now() + 600,
    case_id: crypto.randomUUID(),
    collection_exercise_sid: crypto.randomUUID(),
    response_id: crypto.randomBytes(8).toString('hex'),
    account_service_url: 'http://localhost:8000',
    response_expires_at: iso(86_400_000),
    schema_name: 'test_textfield',
    language_code: 'en',
    survey_metadata: { data: { ...data } },
    ...overrides,
  };
  for (const [k, v] of Object.entries(claims)) if (v === undefined) delete claims[k];
  return claims;
}

const TYPES_DATA = {
  user_id: 'UNKNOWN',
  ru_ref: '12345678901A',
  period_id: '202401',
  ref_p_start_date: '2024-01-01',
  sample_unit: '1be356de-bde7-48bf-b169-00e0b3822a9c',
  flag: true,
  portal_url: 'https://portal.example.gov.uk/start',
  window_start: '2024-01-01T09:00:00Z',
};
const typesClaims = (data: Claims, overrides: Claims = {}) => v2({ schema_name: 'standin_types', ...overrides }, data);

// ---- fixture schemas: the project's own, beside the runner's test schemas ---------------------

function question(id: string, answers: Claims[]) {
  return { sections: [{ id: 'section', groups: [{ id: 'group', blocks: [{ type: 'Question', id: `${id}-block`, question: { id: `${id}-question`, title: id, type: 'General', answers } }] }] }] };
}

function writeSchemas() {
  const put = (lang: string, name: string, schema: Claims) => {
    fs.mkdirSync(path.join(schemasDir, 'standin', lang), { recursive: true });
    fs.writeFileSync(path.join(schemasDir, 'standin', lang, `${name}.json`), JSON.stringify(schema));
  };
  const types = (title: string) => ({
    data_version: '0.0.3',
    survey_id: '123',
    title,
    theme: 'default',
    metadata: [
      { name: 'user_id', type: 'string' },
      { name: 'ru_ref', type: 'string', min_length: 3, max_length: 12 },
      { name: 'period_id', type: 'string', length: 6 },
      { name: 'ref_p_start_date', type: 'date' },
      { name: 'sample_unit', type: 'uuid' },
      { name: 'flag', type: 'boolean' },
      { name: 'portal_url', type: 'url' },
      { name: 'window_start', type: 'iso_8601_date_string' },
      { name: 'trad_as', type: 'string', optional: true },
    ],
    answer_codes: [{ answer_id: 'colour-answer', code: '1' }],
    ...question('colour', [{ id: 'colour-answer', label: 'Favourite colour', type: 'TextField', mandatory: false }]),
  });
  put('en', 'standin_types', types('Stand-in Types'));
  put('cy', 'standin_types', types('Mathau Stand-in'));
  // No metadata and no data_version: survey_metadata is the only thing that can be missing.
  put('en', 'standin_no_metadata', { survey_id: 'abc', title: 'Stand-in No Metadata', theme: 'default', metadata: [], ...question('note', [{ id: 'note-answer', label: 'Note', type: 'TextField' }]) });
  put('en', 'standin_q_codes', {
    data_version: '0.0.1',
    survey_id: '456',
    title: 'Stand-in Q Codes',
    theme: 'business',
    metadata: [{ name: 'user_id', type: 'string' }],
    ...question('q', [
      { id: 'turnover-answer', label: 'Turnover', type: 'TextField', q_code: '0001' },
      { id: 'start-date-answer', label: 'Start', type: 'Date', q_code: '0002' },
      { id: 'no-q-code-answer', label: 'Unsent', type: 'TextField' },
    ]),
  });
  fs.symlinkSync(path.join(ONS, 'runner/schemas/test'), path.join(schemasDir, 'test'));
}

// ---- HTTP ---------------------------------------------------------------------------------------

interface Answer {
  status: number;
  reason: string | null;
  body: string;
  cookie?: string;
  location: string | null;
  setCookie: string[];
}

async function call(url: string, init: RequestInit = {}): Promise<Answer> {
  const res = await fetch(url, { redirect: 'manual', ...init });
  const setCookie = res.headers.getSetCookie();
  return {
    status: res.status,
    reason: res.headers.get('x-stand-in-reason'),
    body: await res.text(),
    cookie: setCookie[0]?.split(';')[0],
    location: res.headers.get('location'),
    setCookie,
  };
}

function decodeHtml(text: string) {
  return text.replace(/&quot;/g, '"').replace(/&#x27;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}
function pre(body: string, id: string): unknown {
  const m = new RegExp(`<pre id="${id}">([\\s\\S]*?)</pre>`).exec(body);
  if (!m) throw new Error(`no <pre id="${id}">`);
  return JSON.parse(decodeHtml(m[1]!)) as unknown;
}

function validator() {
  const dir = path.join(ONS, 'schema-definitions/v2/schemas');
  const ajv = new Ajv2020({ allErrors: true, strict: false });
  addFormats(ajv);
  for (const f of fs.readdirSync(path.join(dir, 'common'))) ajv.addSchema(JSON.parse(fs.readFileSync(path.join(dir, 'common', f), 'utf8')) as object);
  return ajv.compile(JSON.parse(fs.readFileSync(path.join(dir, 'submission_v2.json'), 'utf8')) as object);
}

function openDownstream(jwe: string): Claims {
  const r = oracle(['decrypt', '--keys', STORES.downstream, '--purpose', 'submission'], jwe);
  if (r.status !== 0) throw new Error(`sdc-oracle could not open the downstream payload: ${r.stderr}`);
  return JSON.parse(r.stdout) as Claims;
}

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

// ---------------------------------------------------------------------------------------------

const missing = skipReason(standInMissing(), sharedMissing(), oracleMissing(), fs.existsSync(path.join(SHARED, 'ons/schema-definitions/v2')) ? undefined : 'skipped: ../shared/ons/schema-definitions/v2 is absent');

describe.skipIf(missing)('the stand-in runner', () => {
  let runner: StandInRunner;
  let url = '';
  const launch = (token: string, init?: RequestInit) => call(`${url}/session?token=${token}`, init);
  const flush = (token?: string, init?: RequestInit) => call(`${url}/flush${token === undefined ? '' : `?token=${token}`}`, { method: 'POST', ...init });
  /** Launches, answers the page's question, and answers the session cookie. */
  async function launched(claims: Claims, answer?: string): Promise<string> {
    const res = await launch(await mint(claims));
    expect(res.status, res.reason ?? '').toBe(302);
    if (answer !== undefined) {
      const posted = await call(`${url}/questionnaire/`, { method: 'POST', headers: { cookie: res.cookie!, 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ answer }).toString() });
      expect(posted.status).toBe(200);
    }
    return res.cookie!;
  }
  /** Mints every row's claims in one go and launches each; answers [status, reason] per row. */
  async function launchRows(rows: { claims: Claims; store?: string }[]): Promise<[number, string][]> {
    const tokens = await mintAll(rows);
    const out: [number, string][] = [];
    for (const t of tokens) {
      const res = await launch(t);
      out.push([res.status, res.reason ?? '']);
    }
    return out;
  }

  beforeAll(async () => {
    fs.mkdirSync(downstreamDir);
    writeSchemas();
    writeStores();
    runner = await startStandInRunner({
      schemasDir,
      keys: RUNNER_DEV_KEYS,
      downstreamDir,
      seed: [{ response_id: 'seeded-at-start', answers: { 'name-answer': 'From --seed' }, claims: { schema_name: 'test_textfield', survey_metadata: { data: BUSINESS } } }],
    });
    url = runner.url;
  });
  afterAll(async () => {
    try {
      await runner?.close();
      expect(runner?.stderr() ?? '').toBe('');
    } finally {
      fs.rmSync(work, { recursive: true, force: true });
    }
  });

  describe('GET /session (§3)', () => {
    it('no or empty token: 401; HEAD /session: 204', async () => {
      expect((await call(`${url}/session`)).status).toBe(401);
      expect((await call(`${url}/session?token=`)).status).toBe(401);
      expect((await call(`${url}/session`, { method: 'POST' })).status).toBe(401);
      const head = await call(`${url}/session`, { method: 'HEAD' });
      expect(head.status).toBe(204);
    });

    it('success: 302 to /questionnaire/ with an HttpOnly session cookie on path /, by GET and by POST', async () => {
      const [viaGet, viaPost] = await mintAll([{ claims: v2() }, { claims: v2() }]);
      const got = await launch(viaGet!);
      expect(got.status).toBe(302);
      expect(got.location).toBe('/questionnaire/');
      expect(got.setCookie).toHaveLength(1);
      expect(got.setCookie[0]).toMatch(/^session=[\w-]+;/);
      expect(got.setCookie[0]).toMatch(/; HttpOnly/);
      expect(got.setCookie[0]).toMatch(/; Path=\//);
      const posted = await launch(viaPost!, { method: 'POST', body: 'ignored=1' });
      expect(posted.status).toBe(302);
      expect(posted.cookie).not.toBe(got.cookie);
    });

    it('403 for every broken or foreign token (the decryption row)', async () => {
      const good = await mint(v2());
      const parts = good.split('.');
      const flip = (s: string) => (s[0] === 'A' ? 'B' : 'A') + s.slice(1);
      const oracleRows = await mintAll([
        { claims: v2(), store: STORES.unknownJweKid },
        { claims: v2(), store: STORES.unknownJwsKid },
        { claims: v2(), store: STORES.jweWrongPurpose },
        { claims: v2(), store: STORES.jweWrongType },
        { claims: v2(), store: STORES.jwsWrongPurpose },
        { claims: v2({ exp: String(now() + 600) }) },
        { claims: v2({ exp: now() + 600.5 }) },
        { claims: v2({ exp: true }) },
        { claims: v2({ iat: 'yesterday' }) },
        { claims: v2({ nbf: 1.5 }) },
        { claims: v2({ iss: 5 }) },
      ]);
      const launcherKey = crypto.createPrivateKey(pem(PEM.launcherSigning));
      const stranger = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
      const cases: [string, string, RegExp][] = [
        ['4 parts', parts.slice(0, 4).join('.'), /5 parts/],
        ['6 parts', `${good}.AAAA`, /5 parts/],
        ['header not base64url', ['!!!!', ...parts.slice(1)].join('.'), /JWE header is not base64url JSON/],
        ['header not JSON', [b64('{not json'), ...parts.slice(1)].join('.'), /JWE header is not base64url JSON/],
        ['ciphertext tampered', [...parts.slice(0, 3), flip(parts[3]!), parts[4]].join('.'), /decryption failed/],
        ['tag tampered', [...parts.slice(0, 4), flip(parts[4]!)].join('.'), /decryption failed/],
        ['unknown JWE kid', oracleRows[0]!, /unknown kid ffff/],
        ['unknown JWS kid', oracleRows[1]!, /unknown kid ffff/],
        ['JWE kid of a submission key', oracleRows[2]!, new RegExp(`kid ${submissionKid} is a submission key`)],
        ['JWE kid of a public key', oracleRows[3]!, /names a public key/],
        ['JWS kid of a submission key', oracleRows[4]!, new RegExp(`kid ${submissionKid} is a submission key`)],
        ['exp a numeric string', oracleRows[5]!, /exp is not an integer/],
        ['exp a fraction', oracleRows[6]!, /exp is not an integer/],
        ['exp a boolean', oracleRows[7]!, /exp is not an integer/],
        ['iat a string', oracleRows[8]!, /iat is not an integer/],
        ['nbf a fraction', oracleRows[9]!, /nbf is not an integer/],
        ['iss not a string (jwcrypto)', oracleRows[10]!, /iss is not a string/],
        ['no JWE kid', await craft(v2(), { jweHeader: { alg: 'RSA-OAEP', enc: 'A256GCM' } }), /no kid/],
        ['no JWS kid', await craft(v2(), { jwsHeader: { alg: 'RS256' } }), /no kid/],
        ['JWS alg none', await craft(v2(), { jwsHeader: { alg: 'none', kid: KIDS.launcherSigning } }), /JWS alg none/],
        ['JWS alg HS256', await craft(v2(), { jwsHeader: { alg: 'HS256', kid: KIDS.launcherSigning }, jwsKey: crypto.randomBytes(32) }), /JWS alg HS256/],
        ['JWS alg PS256', await craft(v2(), { jwsHeader: { alg: 'PS256', kid: KIDS.launcherSigning }, jwsKey: launcherKey }), /JWS alg PS256/],
        ['JWE alg RSA-OAEP-256', await craft(v2(), { jweHeader: { alg: 'RSA-OAEP-256', enc: 'A256GCM', kid: KIDS.runnerEncryption } }), /JWE alg\/enc RSA-OAEP-256\/A256GCM/],
        ['JWE enc A128GCM', await craft(v2(), { jweHeader: { alg: 'RSA-OAEP', enc: 'A128GCM', kid: KIDS.runnerEncryption } }), /JWE alg\/enc RSA-OAEP\/A128GCM/],
        ['signed by a stranger under the launcher kid', await craft(v2(), { jwsKey: stranger }), /signature check failed/],
      ];
      const answers: [string, number, string][] = [];
      for (const [name, token] of cases) {
        const res = await launch(token);
        answers.push([name, res.status, res.reason ?? '']);
        expect(res.body, name).toMatch(/^<!doctype html>/);
      }
      expect(answers.map(([name, status]) => [name, status])).toEqual(cases.map(([name]) => [name, 403]));
      answers.forEach(([name, , reason], i) => expect(reason, name).toMatch(cases[i]![2]));

      // The jose-built controls: the same construction with the profile's algorithms is accepted,
      // and a JWS kid naming the runner's own private authentication key serves as its public half.
      const runnerStore = YAML.parse(fs.readFileSync(RUNNER_DEV_KEYS, 'utf8')) as { keys: Record<string, { value: string }> };
      const runnerPrivate = crypto.createPrivateKey(runnerStore.keys[KIDS.runnerEncryption]!.value);
      expect((await launch(await craft(v2()))).status).toBe(302);
      expect((await launch(await craft(v2(), { jwsHeader: { alg: 'RS256', kid: KIDS.runnerEncryption }, jwsKey: runnerPrivate }))).status).toBe(302);
    });

    it('exp: missing or null 500, past 401 with no leeway at all; checked before jti is consumed', async () => {
      const jti = crypto.randomUUID();
      const rows = await launchRows([
        { claims: v2({ exp: undefined }) },
        { claims: v2({ exp: null }) },
        { claims: v2({ exp: now() - 1, jti }) },
        { claims: v2({ exp: now() - 3600 }) },
        { claims: v2({ exp: now() + 600, jti }) },
      ]);
      expect(rows.map(([s]) => s)).toEqual([500, 500, 401, 401, 302]);
      expect(rows[0]![1]).toMatch(/exp is missing/);
      expect(rows[2]![1]).toMatch(/exp is in the past/);
    });

    it('jti: missing or not a UUID 403, reused 401, consumed before the claims are validated', async () => {
      const jti = crypto.randomUUID();
      const badClaimsJti = crypto.randomUUID();
      const rows = await launchRows([
        { claims: v2({ jti: undefined }) },
        { claims: v2({ jti: 'not-a-uuid' }) },
        { claims: v2({ jti: ` ${crypto.randomUUID()} ` }) },
        { claims: v2({ jti: 42 }) },
        { claims: v2({ jti }) },
        { claims: v2({ jti }) },
        { claims: v2({ jti: badClaimsJti, tx_id: 'nope' }) },
        { claims: v2({ jti: badClaimsJti }) },
      ]);
      expect(rows.map(([s]) => s)).toEqual([403, 403, 403, 403, 302, 401, 403, 401]);
      expect(rows[0]![1]).toMatch(/jti is missing/);
      expect(rows[1]![1]).toMatch(/jti is not a UUID/);
      expect(rows[5]![1]).toMatch(/jti has been used before/);
      expect(rows[6]![1]).toMatch(/tx_id is not a UUID/);
    });

    it('jti: kept until exp + 60 s, then forgotten', async () => {
      const jti = crypto.randomUUID();
      const [first, during, after] = await mintAll([{ claims: v2({ jti, exp: now() + 10 }) }, { claims: v2({ jti, exp: now() + 600 }) }, { claims: v2({ jti, exp: now() + 600 }) }]);
      try {
        expect((await launch(first!)).status).toBe(302);
        await runner.setClockOffset(40); // past the first token's exp, within its 60 s grace
        expect((await launch(during!)).status).toBe(401);
        await runner.setClockOffset(80); // past exp + 60 s
        expect((await launch(after!)).status).toBe(302);
      } finally {
        await runner.setClockOffset(0);
      }
    });

    it('v1 and other versions: 403 (this runner accepts only v2)', async () => {
      const v1 = { jti: crypto.randomUUID(), tx_id: crypto.randomUUID(), iat: now(), exp: now() + 600, account_service_url: 'http://localhost:8000', case_id: crypto.randomUUID(), collection_exercise_sid: '789', period_id: '201605', response_id: '1', ru_ref: '12345678901A', user_id: 'UNKNOWN', response_expires_at: iso(86_400_000), schema_name: 'test_textfield', ru_name: 'X' };
      const rows = await launchRows([{ claims: v1 }, { claims: v2({ version: 'v1' }) }, { claims: v2({ version: 'v3' }) }, { claims: v2({ version: 2 }) }]);
      expect(rows.map(([s]) => s)).toEqual([403, 403, 403, 403]);
      expect(rows[0]![1]).toMatch(/no version claim/);
      expect(rows[2]![1]).toMatch(/version "v3" is not "v2"/);
    });

    it('runner claims: 403 for each invalid claim', async () => {
      const cases: [string, Claims, RegExp][] = [
        ['tx_id missing', { tx_id: undefined }, /tx_id is required/],
        ['tx_id not a UUID', { tx_id: 'abc' }, /tx_id is not a UUID/],
        ['case_id missing', { case_id: undefined }, /case_id is required/],
        ['case_id not a UUID', { case_id: '1234' }, /case_id is not a UUID/],
        ['collection_exercise_sid missing', { collection_exercise_sid: undefined }, /collection_exercise_sid is required/],
        ['collection_exercise_sid empty', { collection_exercise_sid: '' }, /collection_exercise_sid is empty/],
        ['collection_exercise_sid blank', { collection_exercise_sid: '   ' }, /collection_exercise_sid is empty/],
        ['collection_exercise_sid a number', { collection_exercise_sid: 789 }, /collection_exercise_sid is not a string/],
        ['response_id missing', { response_id: undefined }, /response_id is required/],
        ['response_id a number', { response_id: 123 }, /response_id is not a string/],
        ['account_service_url missing', { account_service_url: undefined }, /account_service_url is required/],
        ['account_service_url single-label host', { account_service_url: 'http://launcher:8000' }, /account_service_url is not a URL/],
        ['account_service_url no scheme', { account_service_url: 'www.ons.gov.uk' }, /account_service_url is not a URL/],
        ['response_expires_at missing', { response_expires_at: undefined }, /response_expires_at is required/],
        ['response_expires_at past', { response_expires_at: iso(-60_000) }, /response_expires_at is not in the future/],
        ['response_expires_at a date', { response_expires_at: '2099-01-01' }, /not an ISO 8601 date-time/],
        ['response_expires_at words', { response_expires_at: 'tomorrow' }, /not an ISO 8601 date-time/],
        ['schema_name and schema_url', { schema_url: 'https://schemas.example.gov.uk/x.json' }, /exactly one of .* not 2/],
        ['none of schema_name, schema_url, cir_instrument_id', { schema_name: undefined }, /exactly one of .* not 0/],
        ['schema_name and cir_instrument_id', { cir_instrument_id: crypto.randomUUID() }, /exactly one of .* not 2/],
        ['schema_url single-label host', { schema_name: undefined, schema_url: 'http://schemas/x.json' }, /schema_url is not a URL/],
        ['cir_instrument_id not a UUID', { schema_name: undefined, cir_instrument_id: 'cir-1' }, /cir_instrument_id is not a UUID/],
        ['language_code a number', { language_code: 5 }, /language_code is not a string/],
        ['channel empty', { channel: '' }, /channel is empty/],
        ['channel null', { channel: null }, /channel is null/],
        ['region_code too long', { region_code: 'GB-ENGL' }, /region_code does not match/],
        ['region_code lower case', { region_code: 'gb-eng' }, /region_code does not match/],
        ['roles a string', { roles: 'flusher' }, /roles is not a list of strings/],
        ['roles with a number', { roles: ['dumper', 1] }, /roles is not a list of strings/],
        ['survey_metadata not an object', { survey_metadata: 'x' }, /survey_metadata is not an object/],
        ['survey_metadata.data empty', { survey_metadata: { data: {} } }, /survey_metadata.data has no keys/],
        ['survey_metadata.data a list', { survey_metadata: { data: ['a'] } }, /survey_metadata.data is not an object/],
        ['survey_metadata with an unknown key', { survey_metadata: { data: BUSINESS, extra: 1 } }, /survey_metadata has unknown keys: extra/],
        ['receipting_keys not in data', { survey_metadata: { data: BUSINESS, receipting_keys: ['qid'] } }, /receipting key qid is not set/],
        ['receipting_keys not a list', { survey_metadata: { data: BUSINESS, receipting_keys: 'ru_ref' } }, /receipting_keys is not a list of strings/],
      ];
      const rows = await launchRows(cases.map(([, overrides]) => ({ claims: v2(overrides) })));
      expect(rows.map(([s], i) => [cases[i]![0], s])).toEqual(cases.map(([name]) => [name, 403]));
      rows.forEach(([, reason], i) => expect(reason, cases[i]![0]).toMatch(cases[i]![2]));
    });

    it('runner claims: whitespace is stripped, unknown claims ignored, localhost, dotted hosts and IPs pass', async () => {
      const cases: [string, Claims][] = [
        ['localhost', { account_service_url: 'http://localhost:8000' }],
        ['dotted host', { account_service_url: 'https://surveys.ons.gov.uk/surveys/todo' }],
        ['IPv4', { account_service_url: 'http://127.0.0.1:9000/x' }],
        ['padded strings', { version: ' v2 ', tx_id: ` ${crypto.randomUUID()}\n`, collection_exercise_sid: ' 789 ', account_service_url: ' http://localhost:8000 ', schema_name: ' test_textfield ' }],
        ['padded survey_metadata.data', { survey_metadata: { data: { ...BUSINESS, ru_name: '  ACME  ' } } }],
        ['unknown top-level claims', { foo: 'bar', nested: { a: [1] } }],
        ['upper-case UUIDs', { tx_id: crypto.randomUUID().toUpperCase(), case_id: crypto.randomUUID().toUpperCase() }],
        ['every optional claim', { channel: 'RH', region_code: 'GB-WLS', roles: ['dumper', 'flusher'], language_code: 'fr', survey_metadata: { data: BUSINESS, receipting_keys: ['ru_ref'] } }],
        ['response_expires_at without an offset', { response_expires_at: '2099-01-01T00:00:00' }],
        ['response_expires_at with Z and fraction', { response_expires_at: '2099-01-01T00:00:00.123Z' }],
        ['survey_metadata without data', { schema_name: 'standin_no_metadata', survey_metadata: {} }],
        ['iat and nbf are not compared with the clock', { iat: now() + 86_400, nbf: now() + 86_400 }],
      ];
      const rows = await launchRows(cases.map(([, overrides]) => ({ claims: v2(overrides) })));
      expect(rows.map(([s, reason], i) => [cases[i]![0], s, reason])).toEqual(cases.map(([name]) => [name, 302, '']));
    });

    it('schemas: unknown schema_name 500; schema_url fetched (?language=) or 500 when it fails; cir_instrument_id 500', async () => {
      const closed = await freePort();
      const rows = await launchRows([
        { claims: v2({ schema_name: 'no_such_schema' }) },
        { claims: v2({ schema_name: undefined, schema_url: `${url}/schemas/test_textfield` }) },
        { claims: v2({ schema_name: undefined, schema_url: `${url}/schemas/no_such_schema` }) },
        { claims: v2({ schema_name: undefined, schema_url: `http://127.0.0.1:${closed}/schema.json` }) },
        { claims: v2({ schema_name: undefined, cir_instrument_id: crypto.randomUUID() }) },
      ]);
      expect(rows.map(([s]) => s)).toEqual([500, 302, 500, 500, 500]);
      expect(rows[0]![1]).toMatch(/no schema named no_such_schema/);
      expect(rows[2]![1]).toMatch(/schema_url fetch failed: HTTP 404/);
      expect(rows[3]![1]).toMatch(/schema_url fetch failed/);
      expect(rows[4]![1]).toMatch(/cir_instrument_id/);
      expect(await runner.requests()).toContain('GET /schemas/test_textfield?language=en');
    });

    it('questionnaire claims: each metadata type, lengths and optional entries; 403 when they fail', async () => {
      const bad: [string, Claims, RegExp][] = [
        ['required missing', { user_id: undefined }, /user_id is missing/],
        ['string a number', { user_id: 42 }, /user_id is not a string/],
        ['shorter than min_length', { ru_ref: 'AB' }, /ru_ref is shorter than 3/],
        ['longer than max_length', { ru_ref: '12345678901AB' }, /ru_ref is longer than 12/],
        ['not the exact length', { period_id: '2024' }, /period_id must be 6 characters long/],
        ['date not a date', { ref_p_start_date: '2024-13-01' }, /ref_p_start_date is not a date/],
        ['date in another format', { ref_p_start_date: '01/01/2024' }, /ref_p_start_date is not a date/],
        ['uuid not a UUID', { sample_unit: 'unit-1' }, /sample_unit is not a uuid/],
        ['boolean a string', { flag: 'true' }, /flag is not a boolean/],
        ['boolean a number', { flag: 1 }, /flag is not a boolean/],
        ['url single-label host', { portal_url: 'http://portal/start' }, /portal_url is not a url/],
        ['iso_8601_date_string a date', { window_start: '2024-01-01' }, /window_start is not a iso_8601_date_string/],
        ['optional present but wrong', { trad_as: 5 }, /trad_as is not a string/],
      ];
      const good: [string, Claims][] = [
        ['all types', {}],
        ['optional present', { trad_as: 'ACME' }],
        ['boolean false', { flag: false }],
        ['padded to the length', { period_id: ' 202401 ' }],
        ['url on localhost', { portal_url: 'http://localhost:9000' }],
        ['iso_8601_date_string with an offset', { window_start: '2024-01-01T09:00:00+01:00' }],
      ];
      const data = (overrides: Claims) => Object.fromEntries(Object.entries({ ...TYPES_DATA, ...overrides }).filter(([, v]) => v !== undefined));
      const rows = await launchRows([...bad.map(([, o]) => ({ claims: typesClaims(data(o)) })), ...good.map(([, o]) => ({ claims: typesClaims(data(o)) }))]);
      expect(rows.map(([s], i) => [[...bad, ...good][i]![0], s])).toEqual([...bad.map(([n]) => [n, 403]), ...good.map(([n]) => [n, 302])]);
      bad.forEach(([name, , reason], i) => expect(rows[i]![1], name).toMatch(reason));
    });

    it('survey_metadata absent: 500, after the questionnaire claims (403 when the schema needs any)', async () => {
      const rows = await launchRows([
        { claims: v2({ schema_name: 'standin_no_metadata', survey_metadata: undefined }) },
        { claims: v2({ schema_name: 'test_textfield', survey_metadata: undefined }) },
        { claims: v2({ schema_name: 'standin_no_metadata' }) },
      ]);
      expect(rows.map(([s]) => s)).toEqual([500, 403, 302]);
      expect(rows[0]![1]).toMatch(/survey_metadata is absent/);
    });

    it('language_code picks the cy schema; others fall back to en', async () => {
      const title = async (language_code: string, schema_name: string, data: Claims) => {
        const cookie = await launched(v2({ language_code, schema_name }, data));
        return /<h1>(.*)<\/h1>/.exec((await call(`${url}/questionnaire/`, { headers: { cookie } })).body)![1];
      };
      expect(await title('cy', 'standin_types', TYPES_DATA)).toBe('Mathau Stand-in');
      expect(await title('en', 'standin_types', TYPES_DATA)).toBe('Stand-in Types');
      expect(await title('ga', 'test_language', BUSINESS)).toBe('Test Language'); // a ga folder exists; the runner reads only en and cy
      expect(await title('fr', 'standin_types', TYPES_DATA)).toBe('Stand-in Types');
    });
  });

  describe('the questionnaire page and GET /dump/submission', () => {
    it('without a session cookie: 401', async () => {
      expect((await call(`${url}/questionnaire/`)).status).toBe(401);
      expect((await call(`${url}/questionnaire/`, { headers: { cookie: 'session=forged' } })).status).toBe(401);
      expect((await call(`${url}/dump/submission`)).status).toBe(401);
    });

    it('shows the schema title, the decrypted claims and survey_metadata.data as they arrived', async () => {
      const claims = typesClaims(TYPES_DATA, { roles: ['dumper'], extra_claim: { kept: true } });
      const cookie = await launched(claims);
      const page = await call(`${url}/questionnaire/`, { headers: { cookie } });
      expect(page.status).toBe(200);
      expect(page.body).toContain('<h1>Stand-in Types</h1>');
      expect(pre(page.body, 'launch-claims')).toEqual(claims);
      expect(pre(page.body, 'survey-metadata')).toEqual(TYPES_DATA);
      expect((pre(page.body, 'survey-metadata') as Claims).flag).toBe(true);
      expect(page.body).toMatch(/<form method="post" action="\/questionnaire\/">[\s\S]*name="answer"/);
    });

    it('a launch again clears the session the browser had', async () => {
      const cookie = await launched(v2());
      const again = await launch(await mint(v2({ exp: now() - 5 })), { headers: { cookie } });
      expect(again.status).toBe(401);
      expect((await call(`${url}/questionnaire/`, { headers: { cookie } })).status).toBe(401);
    });

    it('dump: 403 without the dumper role; the v2 payload, not flushed, with it', async () => {
      const plain = await launched(v2(), 'Ann');
      const noRole = await call(`${url}/dump/submission`, { headers: { cookie: plain } });
      expect(noRole.status).toBe(403);
      expect(noRole.reason).toMatch(/dumper/);

      const claims = typesClaims(TYPES_DATA, { roles: ['dumper'], channel: 'RH', region_code: 'GB-WLS', tx_id: crypto.randomUUID().toUpperCase() });
      const cookie = await launched(claims, 'Blue');
      const dump = await call(`${url}/dump/submission`, { headers: { cookie } });
      expect(dump.status).toBe(200);
      const { submission } = JSON.parse(dump.body) as { submission: Claims };
      expect(submission).toEqual({
        case_id: claims.case_id,
        tx_id: (claims.tx_id as string).toLowerCase(),
        type: 'uk.gov.ons.edc.eq:surveyresponse',
        version: 'v2',
        data_version: '0.0.3',
        origin: 'uk.gov.ons.edc.eq',
        collection_exercise_sid: claims.collection_exercise_sid,
        schema_name: 'standin_types',
        flushed: false,
        submitted_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+\+00:00$/),
        launch_language_code: 'en',
        submission_language_code: 'en',
        survey_metadata: { survey_id: '123', ...TYPES_DATA, window_start: '2024-01-01T09:00:00+00:00' },
        data: { answers: [{ answer_id: 'colour-answer', value: 'Blue' }], lists: [], answer_codes: [{ answer_id: 'colour-answer', code: '1' }] },
        channel: 'RH',
        region_code: 'GB-WLS',
        started_at: expect.stringMatching(/^\d{4}-/),
      });
    });
  });

  describe('POST /flush (§4)', () => {
    const flushClaims = (overrides: Claims = {}) => ({ roles: ['flusher'], response_id: 'nothing-here', exp: now() + 600, jti: crypto.randomUUID(), ...overrides });

    it('GET: 405; no token: 403 with an empty body; invalid token: 403 with an HTML page', async () => {
      expect((await call(`${url}/flush?token=x`)).status).toBe(405);
      const none = await flush();
      expect([none.status, none.body]).toEqual([403, '']);
      const empty = await flush('');
      expect([empty.status, empty.body]).toEqual([403, '']);
      const invalid = await flush('a.b.c.d.e');
      expect(invalid.status).toBe(403);
      expect(invalid.body).toMatch(/^<!doctype html>/);
      const foreign = await flush(await mint(flushClaims(), STORES.unknownJweKid));
      expect(foreign.status).toBe(403);
      expect(foreign.body).toMatch(/^<!doctype html>/);
    });

    it('roles missing or without flusher: 403; response_id missing: 500; nothing stored or no answers: 404', async () => {
      await runner.seed([{ response_id: 'seeded-without-answers', answers: {}, claims: { schema_name: 'test_textfield' } }]);
      const [noRoles, otherRoles, emptyRoles, noResponseId, nothing, noAnswers] = await mintAll([
        { claims: flushClaims({ roles: undefined }) },
        { claims: flushClaims({ roles: ['dumper'] }) },
        { claims: flushClaims({ roles: [] }) },
        { claims: flushClaims({ response_id: undefined }) },
        { claims: flushClaims() },
        { claims: flushClaims({ response_id: 'seeded-without-answers' }) },
      ]);
      const answers = [];
      for (const t of [noRoles, otherRoles, emptyRoles, noResponseId, nothing, noAnswers]) answers.push(await flush(t!));
      expect(answers.map((a) => a.status)).toEqual([403, 403, 403, 500, 404, 404]);
      expect(answers.map((a) => a.body)).toEqual(['', '', '', expect.stringMatching(/^<!doctype html>/), '', '']);
    });

    it('flushed: 200 empty body; the payload goes downstream encrypted for submission, then the state is gone', async () => {
      const claims = v2({ roles: ['dumper'], channel: 'RH' });
      await launched(claims, 'Zoe');
      const token = await mint(flushClaims({ response_id: claims.response_id }));
      const res = await flush(token);
      expect([res.status, res.body, res.reason]).toEqual([200, '', null]);

      const file = path.join(downstreamDir, `${claims.tx_id as string}.jwe`);
      const jwe = fs.readFileSync(file, 'utf8');
      expect(JSON.parse(Buffer.from(jwe.split('.')[0]!, 'base64url').toString())).toEqual({ alg: 'RSA-OAEP', enc: 'A256GCM', kid: KIDS.sdxSubmission });
      const log = fs.readFileSync(path.join(downstreamDir, 'runner.log'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Claims);
      expect(log).toContainEqual({ message: jwe, tx_id: claims.tx_id, case_id: claims.case_id });
      expect(await runner.downstream()).toContainEqual({ message: jwe, tx_id: claims.tx_id, case_id: claims.case_id });

      const payload = openDownstream(jwe);
      expect(payload).toMatchObject({
        tx_id: claims.tx_id,
        case_id: claims.case_id,
        type: 'uk.gov.ons.edc.eq:surveyresponse',
        version: 'v2',
        data_version: '0.0.3',
        origin: 'uk.gov.ons.edc.eq',
        flushed: true,
        launch_language_code: 'en',
        collection_exercise_sid: claims.collection_exercise_sid,
        schema_name: 'test_textfield',
        channel: 'RH',
        survey_metadata: { survey_id: '999', ...BUSINESS },
        data: { answers: [{ answer_id: 'name-answer', value: 'Zoe' }], lists: [] },
      });
      expect(payload).not.toHaveProperty('submission_language_code');
      const validate = validator();
      expect(validate(payload), JSON.stringify(validate.errors)).toBe(true);

      expect((await flush(token)).status).toBe(404); // a second flush: nothing stored any more
    });

    it('exp and jti are not checked', async () => {
      const jti = crypto.randomUUID();
      await runner.seed([
        { response_id: 'expired-flush', answers: { 'name-answer': 'A' }, claims: { schema_name: 'test_textfield', survey_metadata: { data: BUSINESS } } },
        { response_id: 'reused-jti-flush', answers: { 'name-answer': 'B' }, claims: { schema_name: 'test_textfield', survey_metadata: { data: BUSINESS } } },
      ]);
      const [expired, noExp, first, reused] = await mintAll([
        { claims: flushClaims({ response_id: 'expired-flush', exp: now() - 3600, jti }) },
        { claims: { roles: ['flusher'], response_id: 'nobody' } },
        { claims: flushClaims({ response_id: 'reused-jti-flush', jti }) },
        { claims: flushClaims({ response_id: 'reused-jti-flush', jti }) },
      ]);
      expect((await flush(expired!)).status).toBe(200);
      expect((await flush(noExp!)).status).toBe(404);
      expect((await flush(first!)).status).toBe(200);
      expect((await flush(reused!)).status).toBe(404);
    });

    it('a questionnaire seeded by --seed flushes, and 0.0.1 schemas send {q_code: value}', async () => {
      expect((await flush(await mint(flushClaims({ response_id: 'seeded-at-start' })))).status).toBe(200);
      const txId = crypto.randomUUID();
      await runner.seed([
        {
          response_id: 'q-codes',
          answers: { 'turnover-answer': '1000', 'start-date-answer': '2024-03-31', 'no-q-code-answer': 'dropped' },
          claims: { tx_id: txId, schema_name: 'standin_q_codes', survey_metadata: { data: { ...BUSINESS } } },
        },
      ]);
      expect((await flush(await mint(flushClaims({ response_id: 'q-codes' })))).status).toBe(200);
      const payload = openDownstream(fs.readFileSync(path.join(downstreamDir, `${txId}.jwe`), 'utf8'));
      expect(payload).toMatchObject({ data_version: '0.0.1', schema_name: 'standin_q_codes', flushed: true, data: { '0001': '1000', '0002': '31/03/2024' } });
      const validate = validator();
      expect(validate(payload), JSON.stringify(validate.errors)).toBe(true);
    });

    it('submitter failed: 500, and the answers stay for the next flush', async () => {
      await runner.seed([{ response_id: 'submitter-down', answers: { 'name-answer': 'C' }, claims: { schema_name: 'test_textfield' } }]);
      const token = await mint(flushClaims({ response_id: 'submitter-down' }));
      const aside = `${downstreamDir}.aside`;
      fs.renameSync(downstreamDir, aside);
      fs.writeFileSync(downstreamDir, 'not a folder');
      try {
        const failed = await flush(token);
        expect(failed.status).toBe(500);
        expect(failed.reason).toMatch(/submitter failed/);
      } finally {
        fs.rmSync(downstreamDir);
        fs.renameSync(aside, downstreamDir);
      }
      expect((await flush(token)).status).toBe(200);
    });
  });

  describe('other endpoints', () => {
    it('GET /schemas, /schemas/<name>, /status', async () => {
      const list = JSON.parse((await call(`${url}/schemas`)).body) as Record<string, string[]>;
      expect(Object.keys(list).sort()).toEqual(['standin', 'test']);
      expect(list.standin).toEqual(['standin_no_metadata', 'standin_q_codes', 'standin_types']);
      expect(list.test).toContain('test_textfield');
      const one = await call(`${url}/schemas/test_textfield`);
      expect(one.status).toBe(200);
      expect(JSON.parse(one.body)).toEqual(JSON.parse(fs.readFileSync(path.join(ONS, 'runner/schemas/test/en/test_textfield.json'), 'utf8')));
      expect((await call(`${url}/schemas/no_such_schema`)).status).toBe(404);
      expect((await call(`${url}/status`)).status).toBe(200);
      expect((await call(`${url}/nowhere`)).status).toBe(404);
    });

    it('logs runner requests, not its own, and refuses bad seeds', async () => {
      await call(`${url}/status?probe=1`);
      const seen = await runner.requests();
      expect(seen).toContain('GET /status?probe=1');
      expect(seen.some((r) => r.includes('__stand-in'))).toBe(false);
      await expect(runner.seed([{ response_id: 'x', answers: {}, claims: { schema_name: 'no_such_schema' } }])).rejects.toThrow(/400 bad seed: no schema named no_such_schema/);
      const bad = await call(`${url}/__stand-in/seed`, { method: 'POST', body: '{"not": "a list"}' });
      expect(bad.status).toBe(400);
    });

    it('exits on SIGTERM and binds loopback only', async () => {
      const second = await startStandInRunner({ schemasDir });
      expect(second.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const started = Date.now();
      await second.close();
      expect(Date.now() - started).toBeLessThan(3000);
      await expect(fetch(`${second.url}/status`)).rejects.toThrow();
      expect(second.stderr()).toBe('');
    });
  });
});
