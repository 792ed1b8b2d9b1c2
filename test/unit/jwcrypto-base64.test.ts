// The runner opens tokens with jwcrypto's base64url_decode, which is lenient in ways of its own.
// The console's decoder must give the same bytes, or the same refusal, for any text: checked here
// against jwcrypto itself on Debian's Python, over random texts full of stray characters.
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { jwcryptoBase64urlDecode } from '../../electron/services/tokens/jwcrypto-base64';
import { oracleMissing, skipReason } from '../support/shared';

const PYTHON = `
import json, sys
from jwcrypto.common import base64url_decode
out = []
for s in json.load(sys.stdin):
    try:
        out.append(base64url_decode(s).hex())
    except Exception as e:
        out.append(None)
print(json.dumps(out))
`;

/** A seeded generator, so a failure can be reproduced. */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const PIECES = [
  ...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_',
  '+',
  '/',
  '=',
  '==',
  ' ',
  '*',
  '%',
  '~',
  '\n',
  '\t',
  'é',
  '.',
  '\u{1F600}',
];

function texts(count: number): string[] {
  const next = random(20261202);
  const out: string[] = [
    '',
    'A',
    'AA',
    'AAA',
    'AAAA',
    'QUJD',
    'QUI',
    'QUI=',
    'QUI==',
    'QQ',
    'QQ==',
    'QQ=',
    'Q=Q=',
    '====',
    'QU JD',
    'QUJD****',
    'QR',
    'QUJ',
    'QUJE_-',
    '-_-_-_',
  ];
  for (let i = 0; i < count; i++) {
    const length = Math.floor(next() * 24);
    let text = '';
    for (let j = 0; j < length; j++) {
      // Mostly the alphabet, sometimes a stray character.
      const stray = next() < 0.2;
      const piece = stray ? PIECES[64 + Math.floor(next() * (PIECES.length - 64))]! : PIECES[Math.floor(next() * 64)]!;
      text += piece;
    }
    out.push(text);
  }
  return out;
}

describe.skipIf(skipReason(oracleMissing()))('jwcrypto base64url decoding', () => {
  it('gives the bytes jwcrypto gives, and refuses what it refuses, for 5,000 texts with stray characters', () => {
    const inputs = texts(5000);
    const r = spawnSync('/usr/bin/python3', ['-c', PYTHON], { input: JSON.stringify(inputs), encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    expect(r.status, r.stderr).toBe(0);
    const expected = JSON.parse(r.stdout) as (string | null)[];
    const ours = inputs.map((t) => {
      try {
        return jwcryptoBase64urlDecode(t).toString('hex');
      } catch {
        return null;
      }
    });
    const differing = inputs.map((t, i) => ({ t, python: expected[i], ours: ours[i] })).filter((d) => d.python !== d.ours);
    expect(differing.slice(0, 5)).toEqual([]);
    // The sample covers both answers: some texts decode, some are refused.
    expect(expected.filter((e) => e === null).length).toBeGreaterThan(500);
    expect(expected.filter((e) => e !== null).length).toBeGreaterThan(500);
  });

  it('refuses one stray character anywhere, and takes padding that fits the length', () => {
    const valid = Buffer.from('{"alg":"RSA-OAEP"}').toString('base64url');
    for (const stray of [' ', '*', '%', '~', '\n']) {
      expect(() => jwcryptoBase64urlDecode(valid.slice(0, 5) + stray + valid.slice(5))).toThrow();
    }
    expect(jwcryptoBase64urlDecode(valid).toString()).toBe('{"alg":"RSA-OAEP"}');
  });
});
