// token forge / "Make a broken token": each kind breaks exactly one thing of a valid launch. Every
// token is opened here independently of the console's own opener (jose, and node:crypto by hand
// for the tampered ones) and compared with the launch it was made from.
import crypto from 'node:crypto';
import { compactDecrypt } from 'jose';
import { describe, expect, it } from 'vitest';
import { forgeTokens, type ForgeContext } from '../../electron/services/tokens/forge';
import { forgeLaunch, type ForgeDeps } from '../../electron/services/tokens/forge-service';
import type { SigningKeys } from '../../electron/services/tokens/jwt-profile';
import { checkQuestionnaireMetadata } from '../../shared/claims/metadata-rules';
import { checkArgs } from '../../shared/contract-schemas';
import { ConsoleError } from '../../shared/errors';
import { buildLaunchClaims } from '../../shared/launch/build';
import { expectedStatuses, FORGE_KIND_NAMES, FORGE_KINDS, type ForgeKind } from '../../shared/launch/forge-kinds';
import { judge } from '../../shared/verdict';
import { schemaSummary } from '../support/schema-summary';

type Claims = Record<string, unknown>;

const signing = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
const encryption = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
const spki = (k: crypto.KeyObject) => k.export({ type: 'spki', format: 'pem' }).toString();
const kid = (k: crypto.KeyObject) => crypto.createHash('sha1').update(spki(k)).digest('hex');
const keys: SigningKeys = {
  signer: { kid: kid(signing.publicKey), key: signing.privateKey },
  recipient: { kid: kid(encryption.publicKey), key: encryption.publicKey },
};
const now = () => Math.floor(Date.now() / 1000);
const schema = schemaSummary();
const context = (): ForgeContext => ({ nowSeconds: now(), metadata: schema.metadata, schemaName: schema.name, schemaNames: ['test_textfield'] });
const validLaunch = (): Claims => buildLaunchClaims({ payload: 'v2', schema, nowSeconds: now() });

const fromB64 = (s: string) => Buffer.from(s, 'base64url');
const json = (s: string) => JSON.parse(fromB64(s).toString('utf8')) as Claims;

/** The JWE opened with the runner's private key (jose ignores the kid, so a wrong kid still opens). */
async function openJwe(token: string): Promise<{ jweHeader: Claims; jws: string }> {
  const { plaintext, protectedHeader } = await compactDecrypt(token, encryption.privateKey, {
    keyManagementAlgorithms: ['RSA-OAEP'],
    contentEncryptionAlgorithms: ['A256GCM'],
  });
  return { jweHeader: protectedHeader as Claims, jws: new TextDecoder().decode(plaintext) };
}

function readJws(jws: string): { header: Claims; claims: Claims; input: string; signature: Buffer } {
  const [h, p, s] = jws.split('.');
  return { header: json(h!), claims: json(p!), input: `${h}.${p}`, signature: fromB64(s!) };
}

const verifiesRs256 = (input: string, signature: Buffer) => crypto.verify('sha256', Buffer.from(input), signing.publicKey, signature);

/** Every dotted path whose value differs between a and b (present in one only, or different). */
function differences(a: unknown, b: unknown, path = ''): string[] {
  const isObject = (x: unknown): x is Claims => typeof x === 'object' && x !== null && !Array.isArray(x);
  if (isObject(a) && isObject(b)) {
    const names = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
    return names.flatMap((k) => differences(a[k], b[k], path ? `${path}.${k}` : k));
  }
  return JSON.stringify(a) === JSON.stringify(b) ? [] : [path];
}

const STANDARD_JWE = () => ({ alg: 'RSA-OAEP', enc: 'A256GCM', kid: keys.recipient.kid });
const STANDARD_JWS = () => ({ alg: 'RS256', kid: keys.signer.kid, typ: 'JWT' });

/** Forges one token of the kind from a fresh valid launch; the launch, the token and what it opens to. */
async function forgedOne(kind: ForgeKind, base = validLaunch(), ctx = context()) {
  const forged = forgeTokens(kind, base, keys, ctx);
  expect(forged.tokens).toHaveLength(1);
  const token = forged.tokens[0]!;
  expect(token.split('.')).toHaveLength(5);
  return { base, token, forged };
}

describe('the list of kinds', () => {
  it('has every kind of the issue, once, each with a label, a reason and a status', () => {
    expect([...FORGE_KIND_NAMES].sort()).toEqual(
      [
        'expired',
        'no-exp',
        'wrong-jwe-kid',
        'unknown-signer',
        'jws-hs256',
        'jws-none',
        'tampered-ciphertext',
        'tampered-tag',
        'missing-jti',
        'missing-tx-id',
        'bad-metadata',
        'unknown-schema',
        'reused-jti',
      ].sort(),
    );
    for (const k of FORGE_KINDS) {
      expect(k.label.length).toBeGreaterThan(3);
      expect(k.reason).toContain(String(k.expectedStatus));
    }
    expect(expectedStatuses('reused-jti')).toEqual([302, 401]);
    expect(expectedStatuses('expired')).toEqual([401]);
  });

  it('is the list launch.forge takes: any other kind is refused at the door, naming it', () => {
    expect(checkArgs('launch.forge', [{ kind: 'jws-none' }])).toEqual([{ kind: 'jws-none' }]);
    expect(() => checkArgs('launch.forge', [{ kind: 'jws-nope' }])).toThrow(/^launch\.forge: request\.kind must be .*"jws-none".*, not "jws-nope"\.$/);
  });
});

describe('claims kinds: only the named claim differs from the valid launch, and the envelope is intact', () => {
  const cases: [ForgeKind, string[], (forged: Claims, base: Claims) => void][] = [
    ['expired', ['exp'], (c) => expect(c.exp as number).toBeLessThan(now())],
    ['no-exp', ['exp'], (c) => expect('exp' in c).toBe(false)],
    ['missing-jti', ['jti'], (c) => expect('jti' in c).toBe(false)],
    ['missing-tx-id', ['tx_id'], (c) => expect('tx_id' in c).toBe(false)],
    // user_id is the schema's first required field and not a receipting key: it is removed.
    ['bad-metadata', ['survey_metadata.data.user_id'], (c) => expect('user_id' in (c.survey_metadata as { data: Claims }).data).toBe(false)],
    [
      'unknown-schema',
      ['schema_name'],
      (c) => {
        expect(c.schema_name).toMatch(/^forged_unknown_[0-9a-f]{8}$/);
        expect(context().schemaNames).not.toContain(c.schema_name);
      },
    ],
  ];
  for (const [kind, changed, check] of cases) {
    it(`${kind}: ${changed.join(', ')}`, async () => {
      const { base, token } = await forgedOne(kind);
      const { jweHeader, jws } = await openJwe(token);
      expect(jweHeader).toEqual(STANDARD_JWE());
      const { header, claims, input, signature } = readJws(jws);
      expect(header).toEqual(STANDARD_JWS());
      expect(verifiesRs256(input, signature)).toBe(true);
      expect(differences(claims, base)).toEqual(changed);
      check(claims, base);
    });
  }

  it('bad-metadata: the broken claims fail the questionnaire check, and nothing else of the runner', async () => {
    const { token } = await forgedOne('bad-metadata');
    const claims = readJws((await openJwe(token)).jws).claims;
    const verdict = judge({ kind: 'claims', claims }, { nowSeconds: now(), runner: { metadata: schema.metadata, schemaNames: ['test_textfield'] } });
    expect(verdict.runnerStatus).toBe(403);
    expect(verdict.problems.filter((p) => p.source === 'runner').map((p) => [p.code, p.path])).toEqual([['metadata.required', 'survey_metadata.data.user_id']]);
  });

  it('bad-metadata: a required field that is also the only (receipting) key is mistyped instead of removed', async () => {
    const metadata = [{ name: 'qid', type: 'string' }];
    const base = { ...validLaunch(), survey_metadata: { data: { qid: '0130000000000300' }, receipting_keys: ['qid'] } };
    const { token, forged } = await forgedOne('bad-metadata', base, { ...context(), metadata, schemaName: 'social' });
    const claims = readJws((await openJwe(token)).jws).claims;
    expect(differences(claims, base)).toEqual(['survey_metadata.data.qid']);
    const data = (claims.survey_metadata as { data: Claims }).data;
    expect(typeof data.qid).not.toBe('string');
    expect(checkQuestionnaireMetadata(claims, metadata, 'v2').map((p) => p.status)).toEqual([403]);
    expect(forged.detail).toContain('survey_metadata.data.qid');
  });

  it('bad-metadata: a schema that requires no metadata, or none known, is an error that says so', () => {
    const attempt = (metadata: ForgeContext['metadata']) => () => forgeTokens('bad-metadata', validLaunch(), keys, { ...context(), metadata });
    expect(attempt([{ name: 'x', type: 'string', optional: true }])).toThrow(/requires no metadata, so there is none to break/);
    expect(attempt(undefined)).toThrow(/choose a schema first/);
    expect(attempt([])).toThrow(ConsoleError);
  });

  it('reused-jti: two valid launches, the first exactly the launch, the second with its own tx_id and the same jti', async () => {
    const base = validLaunch();
    const { tokens } = forgeTokens('reused-jti', base, keys, context());
    expect(tokens).toHaveLength(2);
    expect(tokens[0]).not.toBe(tokens[1]);
    const [first, second] = await Promise.all(tokens.map(async (t) => readJws((await openJwe(t)).jws)));
    expect(first!.claims).toEqual(base);
    expect(second!.claims.jti).toBe(base.jti);
    expect(second!.claims.tx_id).not.toBe(base.tx_id);
    for (const jws of [first!, second!]) {
      expect(jws.header).toEqual(STANDARD_JWS());
      expect(verifiesRs256(jws.input, jws.signature)).toBe(true);
    }
  });
});

describe('envelope kinds: the claims are the valid launch, and only the envelope is broken as stated', () => {
  it('wrong-jwe-kid: encrypted to the runner key, under a kid that is no key of it', async () => {
    const { base, token, forged } = await forgedOne('wrong-jwe-kid');
    const { jweHeader, jws } = await openJwe(token);
    expect(differences(jweHeader, STANDARD_JWE())).toEqual(['kid']);
    expect(jweHeader.kid).toMatch(/^[0-9a-f]{40}$/);
    expect([keys.recipient.kid, keys.signer.kid]).not.toContain(jweHeader.kid);
    expect(forged.detail).toContain(String(jweHeader.kid));
    const opened = readJws(jws);
    expect(opened.header).toEqual(STANDARD_JWS());
    expect(verifiesRs256(opened.input, opened.signature)).toBe(true);
    expect(opened.claims).toEqual(base);
  });

  it('unknown-signer: RS256 under a new kid, with a signature the launch signing key did not make', async () => {
    const { base, token } = await forgedOne('unknown-signer');
    const { jweHeader, jws } = await openJwe(token);
    expect(jweHeader).toEqual(STANDARD_JWE());
    const opened = readJws(jws);
    expect(differences(opened.header, STANDARD_JWS())).toEqual(['kid']);
    expect(opened.header.kid).toMatch(/^[0-9a-f]{40}$/);
    expect(opened.signature).toHaveLength(256);
    expect(verifiesRs256(opened.input, opened.signature)).toBe(false);
    expect(opened.claims).toEqual(base);
  });

  it("jws-hs256: HMAC-SHA256 keyed with the signing key's public PEM", async () => {
    const { base, token } = await forgedOne('jws-hs256');
    const opened = readJws((await openJwe(token)).jws);
    expect(opened.header).toEqual({ ...STANDARD_JWS(), alg: 'HS256' });
    const hmac = crypto.createHmac('sha256', spki(signing.publicKey)).update(opened.input).digest();
    expect(opened.signature.equals(hmac)).toBe(true);
    expect(opened.claims).toEqual(base);
  });

  it('jws-none: alg none and an empty signature', async () => {
    const { base, token } = await forgedOne('jws-none');
    const { jws } = await openJwe(token);
    expect(jws.endsWith('.')).toBe(true);
    const opened = readJws(jws);
    expect(opened.header).toEqual({ ...STANDARD_JWS(), alg: 'none' });
    expect(opened.signature).toHaveLength(0);
    expect(opened.claims).toEqual(base);
  });

  /** The single bit positions of `part` whose flip makes the token authenticate again (with the CEK it carries). */
  function restoringFlips(token: string, part: 3 | 4): number[] {
    const p = token.split('.');
    const cek = crypto.privateDecrypt({ key: encryption.privateKey, padding: crypto.constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha1' }, fromB64(p[1]!));
    const iv = fromB64(p[2]!);
    const opens = (ciphertext: Buffer, tag: Buffer) => {
      try {
        const d = crypto.createDecipheriv('aes-256-gcm', cek, iv);
        d.setAAD(Buffer.from(p[0]!, 'ascii'));
        d.setAuthTag(tag);
        return Buffer.concat([d.update(ciphertext), d.final()]);
      } catch {
        return null;
      }
    };
    const [ciphertext, tag] = [fromB64(p[3]!), fromB64(p[4]!)];
    expect(opens(ciphertext, tag)).toBeNull();
    const target = part === 3 ? ciphertext : tag;
    const found: number[] = [];
    for (let bit = 0; bit < target.length * 8; bit++) {
      const flipped = Buffer.from(target);
      flipped[bit >> 3] = flipped[bit >> 3]! ^ (1 << (bit & 7));
      const plain = part === 3 ? opens(flipped, tag) : opens(ciphertext, flipped);
      if (plain) found.push(bit);
    }
    return found;
  }

  for (const [kind, part] of [
    ['tampered-ciphertext', 3],
    ['tampered-tag', 4],
  ] as const) {
    it(`${kind}: does not open; flipping back exactly one bit of part ${part + 1} restores a valid token of the launch`, async () => {
      const { base, token } = await forgedOne(kind);
      await expect(openJwe(token)).rejects.toThrow();
      const flips = restoringFlips(token, part);
      expect(flips).toHaveLength(1);
      // Restored, the token is the valid launch: header, JWS and claims as the profile has them.
      const p = token.split('.');
      const bytes = fromB64(p[part]!);
      bytes[flips[0]! >> 3] = bytes[flips[0]! >> 3]! ^ (1 << (flips[0]! & 7));
      p[part] = bytes.toString('base64url');
      const { jweHeader, jws } = await openJwe(p.join('.'));
      expect(jweHeader).toEqual(STANDARD_JWE());
      const opened = readJws(jws);
      expect(opened.header).toEqual(STANDARD_JWS());
      expect(verifiesRs256(opened.input, opened.signature)).toBe(true);
      expect(opened.claims).toEqual(base);
    });
  }
});

describe('launch.forge: the launch to break must be valid, and is not the one given', () => {
  const deps = (): ForgeDeps => ({
    keys: async () => keys,
    runnerUrl: () => 'http://127.0.0.1:5999/',
    schemaNames: async () => ['test_textfield'],
    judge: async (claims, runner) =>
      judge({ kind: 'claims', claims, keys: { signer: keys.signer.kid, recipient: keys.recipient.kid } }, { nowSeconds: now(), runner }),
  });

  it("breaks a fresh copy of the builder's launch: its own jti is never spent; URLs point at the runner's /session", async () => {
    const claims = buildLaunchClaims({ payload: 'v2', schema, nowSeconds: now() - 100 });
    const result = await forgeLaunch({ kind: 'missing-tx-id', claims, schema }, deps());
    expect(result).toMatchObject({ kind: 'missing-tx-id', expectedStatus: 403 });
    expect(result.urls).toEqual([`http://127.0.0.1:5999/session?token=${result.tokens[0]}`]);
    const forged = readJws((await openJwe(result.tokens[0]!)).jws).claims;
    expect(forged.jti).not.toBe(claims.jti);
    expect(differences(forged, claims).sort()).toEqual(['exp', 'iat', 'jti', 'tx_id']);
  });

  it('builds a launch for the schema when no claims are given, and names the field it broke', async () => {
    const result = await forgeLaunch({ kind: 'bad-metadata', schema }, deps());
    expect(result.reason).toContain('survey_metadata.data.user_id is removed');
    expect(result.tokens).toHaveLength(1);
  });

  it('refuses a launch the runner would not accept as it stands, one that is not v2, and one without keys', async () => {
    // Times are made fresh, so a builder launch that has merely expired is a launch to break.
    const expired = { ...validLaunch(), iat: now() - 20, exp: now() - 10 };
    await expect(forgeLaunch({ kind: 'jws-none', claims: expired, schema }, deps())).resolves.toMatchObject({ expectedStatus: 403 });
    const noUserId = buildLaunchClaims({ payload: 'v2', schema, nowSeconds: now() });
    delete (noUserId.survey_metadata as { data: Claims }).data.user_id;
    await expect(forgeLaunch({ kind: 'jws-none', claims: noUserId, schema }, deps())).rejects.toThrow(
      /would answer 403 \(survey_metadata\.data\.user_id: .*mend the launch first/,
    );
    const v1 = buildLaunchClaims({ payload: 'v1', schema, nowSeconds: now() });
    await expect(forgeLaunch({ kind: 'jws-none', claims: v1, schema }, deps())).rejects.toThrow(/v2 launches/);
    const noKeys: ForgeDeps = { ...deps(), judge: async (claims, runner) => judge({ kind: 'claims', claims, keys: {} }, { nowSeconds: now(), runner }) };
    await expect(forgeLaunch({ kind: 'jws-none', schema }, noKeys)).rejects.toMatchObject({ code: 'no-key-for-purpose' });
    await expect(forgeLaunch({ kind: 'jws-none' }, deps())).rejects.toThrow(/give the claims or the schema/);
  });
});
