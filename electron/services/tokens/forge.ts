// Broken tokens on purpose (shared/launch/forge-kinds.ts): a valid v2 launch, sealed as `launch`
// seals it, with exactly one thing broken. Real crypto only (node:crypto); the keys stay here, on
// the Node side. Which claims to break from, and whether they are valid to begin with, is the
// caller's (forge-service.ts); this module only breaks.
import crypto from 'node:crypto';
import { ConsoleError } from '../../../shared/errors';
import { checkQuestionnaireMetadata, type MetadataField } from '../../../shared/claims/metadata-rules';
import { isPlainObject } from '../../../shared/claims/formats';
import type { ForgeKind } from '../../../shared/launch/forge-kinds';
import { refreshIds } from '../../../shared/launch/build';
import { kidOf, spkiPem } from '../keyring/pem';
import { base64url, jwcryptoBase64urlDecode } from './jwcrypto-base64';
import { sealClaims, sealJwe, signJws, type SigningKeys } from './jwt-profile';

type Claims = Record<string, unknown>;

export interface ForgeContext {
  nowSeconds: number;
  /** The questionnaire's metadata list (bad-metadata breaks one of its required fields). */
  metadata?: readonly MetadataField[];
  /** The schema's name, for messages. */
  schemaName?: string;
  /** The names the runner lists, when known: unknown-schema picks one outside them. */
  schemaNames?: readonly string[];
}

export interface Forged {
  tokens: string[];
  /** What was broken, specifically, when the kind's own reason does not say it all (which field, which kid). */
  detail?: string;
}

/** Breaks one thing of `claims` (a valid v2 launch) as `kind` says, and seals the result. */
export function forgeTokens(kind: ForgeKind, claims: Claims, keys: SigningKeys, context: ForgeContext): Forged {
  switch (kind) {
    case 'expired':
      return { tokens: [sealClaims({ ...claims, exp: Math.floor(context.nowSeconds) - 60 }, keys)] };
    case 'no-exp':
      return { tokens: [sealClaims(without(claims, 'exp'), keys)] };
    case 'missing-jti':
      return { tokens: [sealClaims(without(claims, 'jti'), keys)] };
    case 'missing-tx-id':
      return { tokens: [sealClaims(without(claims, 'tx_id'), keys)] };
    case 'bad-metadata': {
      const broken = breakMetadata(claims, context);
      return { tokens: [sealClaims(broken.claims, keys)], detail: broken.detail };
    }
    case 'unknown-schema': {
      const name = unknownSchemaName(context.schemaNames);
      return { tokens: [sealClaims(withSchemaName(claims, name), keys)], detail: `schema_name is "${name}"` };
    }
    case 'reused-jti': {
      // The second is a launch of its own (fresh tx_id and times) that only reuses the first one's jti.
      const second = { ...refreshIds(claims, { nowSeconds: context.nowSeconds }), jti: claims.jti };
      return { tokens: [sealClaims(claims, keys), sealClaims(second, keys)], detail: `both carry jti ${String(claims.jti)}` };
    }
    case 'wrong-jwe-kid': {
      // Encrypted to the runner's key as always; only the header names another key (it is the AAD, so sealed with it).
      const kid = randomKid();
      return { tokens: [sealJwe(signJws(claims, keys.signer), { kid, key: keys.recipient.key })], detail: `the JWE kid is ${kid}` };
    }
    case 'unknown-signer': {
      const { privateKey, publicKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
      const kid = kidOf(publicKey);
      return { tokens: [sealJwe(signJws(claims, { kid, key: privateKey }), keys.recipient)], detail: `the JWS kid is ${kid}` };
    }
    case 'jws-hs256': {
      // The classic confusion: a verifier that took the alg from the header would HMAC with the public key's text.
      const secret = spkiPem(crypto.createPublicKey(keys.signer.key));
      const input = signingInput({ alg: 'HS256', kid: keys.signer.kid, typ: 'JWT' }, claims);
      const jws = `${input}.${base64url(crypto.createHmac('sha256', secret).update(input).digest())}`;
      return { tokens: [sealJwe(jws, keys.recipient)] };
    }
    case 'jws-none':
      return { tokens: [sealJwe(`${signingInput({ alg: 'none', kid: keys.signer.kid, typ: 'JWT' }, claims)}.`, keys.recipient)] };
    case 'tampered-ciphertext':
      return { tokens: [flipBit(sealClaims(claims, keys), 3)] };
    case 'tampered-tag':
      return { tokens: [flipBit(sealClaims(claims, keys), 4)] };
  }
}

function without(claims: Claims, name: string): Claims {
  const out = { ...claims };
  delete out[name];
  return out;
}

function signingInput(header: Record<string, unknown>, claims: Claims): string {
  return `${base64url(JSON.stringify(header))}.${base64url(JSON.stringify(claims))}`;
}

/** A kid as sdc writes them (40 hex digits) that names no key anyone holds. */
function randomKid(): string {
  return crypto.createHash('sha1').update(crypto.randomBytes(32)).digest('hex');
}

/** The token with the lowest bit of the first byte of one part (0-based) flipped, re-encoded canonically. */
export function flipBit(token: string, part: number): string {
  const parts = token.split('.');
  const bytes = jwcryptoBase64urlDecode(parts[part]!);
  bytes[0] = bytes[0]! ^ 1;
  parts[part] = base64url(bytes);
  return parts.join('.');
}

const SELECTORS = ['schema_name', 'schema_url', 'cir_instrument_id'];

/** The launch selecting a schema by a name the runner does not hold, in place of however it selected one. */
function withSchemaName(claims: Claims, name: string): Claims {
  const out: Claims = {};
  let placed = false;
  for (const [k, v] of Object.entries(claims)) {
    if (!SELECTORS.includes(k)) out[k] = v;
    else if (!placed) {
      out.schema_name = name;
      placed = true;
    }
  }
  if (!placed) out.schema_name = name;
  return out;
}

function unknownSchemaName(listed: readonly string[] = []): string {
  for (;;) {
    const name = `forged_unknown_${crypto.randomBytes(4).toString('hex')}`;
    if (!listed.includes(name)) return name;
  }
}

/** A value of the wrong type for each metadata type (the runner's marshmallow fields refuse each). */
const MISTYPED: Record<string, unknown[]> = {
  string: [12345, ['a list']],
  date: ['not-a-date', 20240131],
  uuid: ['not-a-uuid', 12345],
  boolean: ['not-a-boolean', ['a list']],
  url: ['not a url', 12345],
  iso_8601_date_string: ['not-a-date-time', 12345],
};

/**
 * One required metadata field of the questionnaire, removed from survey_metadata.data; where that
 * would break a runner claim first (the field is a receipting key, or the only key of data), the
 * field is given a value of the wrong type instead, so the questionnaire claims check is what fails.
 */
function breakMetadata(claims: Claims, context: ForgeContext): { claims: Claims; detail: string } {
  const schema = context.schemaName ? `the schema ${context.schemaName}` : 'the schema';
  if (!context.metadata) {
    throw new ConsoleError('bad-input', `bad-metadata breaks the schema's required metadata, but ${schema} is not known here: choose a schema first.`);
  }
  const required = context.metadata.filter((f) => isPlainObject(f) && typeof f.name === 'string' && !f.optional);
  if (!required.length) {
    throw new ConsoleError('bad-input', `${schema} requires no metadata, so there is none to break: choose a schema that requires some for bad-metadata.`);
  }
  const sm = isPlainObject(claims.survey_metadata) ? claims.survey_metadata : {};
  const data = isPlainObject(sm.data) ? sm.data : {};
  const receipting = Array.isArray(sm.receipting_keys) ? sm.receipting_keys : [];
  const withData = (next: Claims): Claims => ({ ...claims, survey_metadata: { ...sm, data: next } });
  const fails = (candidate: Claims) => checkQuestionnaireMetadata(candidate, context.metadata!, 'v2').some((p) => p.status === 403);

  const droppable = required.find((f) => Object.keys(data).length > 1 && !receipting.includes(f.name));
  if (droppable) {
    const next = { ...data };
    delete next[droppable.name];
    const broken = withData(next);
    if (fails(broken)) return { claims: broken, detail: `survey_metadata.data.${droppable.name} is removed; ${schema} requires it` };
  }
  for (const field of required) {
    for (const value of MISTYPED[field.type] ?? []) {
      const broken = withData({ ...data, [field.name]: value });
      if (fails(broken)) {
        return { claims: broken, detail: `survey_metadata.data.${field.name} is ${JSON.stringify(value)}, not ${field.type} as ${schema} requires` };
      }
    }
  }
  throw new ConsoleError('bad-input', `${schema}'s required metadata cannot be broken without breaking another claim first.`);
}
