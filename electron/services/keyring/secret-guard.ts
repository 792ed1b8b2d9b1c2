// Private keys never cross the contract. Operations that read files a caller names (downstream
// payloads, schema previews) refuse the console's own config folder, where the key ring lives, and
// any text holding private key material, whatever its name or wherever it is linked from.
import fs from 'node:fs';
import path from 'node:path';

/** PKCS#8, PKCS#1 (RSA), SEC1 (EC), OpenSSH and encrypted PKCS#8 private key blocks. */
const PRIVATE_PEM = /-----BEGIN (?:RSA |EC |DSA |OPENSSH |ENCRYPTED )?PRIVATE KEY-----/;
/** A private JWK: a key type and the private exponent "d" (or an octet key's "k"). */
const JWK_KTY = /"kty"\s{0,16}:/;
const JWK_PRIVATE = /"(?:d|k)"\s{0,16}:\s{0,16}"/;

export function holdsPrivateKey(text: string): boolean {
  return PRIVATE_PEM.test(text) || (JWK_KTY.test(text) && JWK_PRIVATE.test(text));
}

/** Why a file cannot be opened here, or undefined. `configDir` is the console's own folder. */
export function refuseConfigFile(file: string, configDir: string | undefined): string | undefined {
  if (!configDir) return undefined;
  const real = realOrResolved(file);
  const config = realOrResolved(configDir);
  const rel = path.relative(config, real);
  if (rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel))) {
    return `${file} is in the console's own configuration folder (${configDir}), which holds its key ring; the console does not open it.`;
  }
  return undefined;
}

export function privateKeyRefusal(where: string): string {
  return `${where} holds private key material; the console never opens key files as payloads or schemas (import keys on the Keys screen, or with keys import).`;
}

function realOrResolved(p: string): string {
  try {
    return fs.realpathSync.native(p);
  } catch {
    // Not there (yet): the nearest existing parent decides, so a link in the path is still seen.
    const parent = path.dirname(path.resolve(p));
    return parent === path.resolve(p) ? parent : path.join(realOrResolved(parent), path.basename(p));
  }
}
