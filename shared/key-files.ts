// What counts as a key file, for every front door that reads files: the page (picked and dropped
// folders) and the services (folders on disk). One definition, so the page never sends what the
// service would only refuse.

/** PEM keys, and the runner's key stores in YAML or JSON. Certificates and JWK sets are not supported. */
export const KEY_FILE_EXTENSIONS = ['.pem', '.key', '.pub', '.yml', '.yaml', '.json'] as const;

export const KEY_FILE_PATTERN = new RegExp(`(?:${KEY_FILE_EXTENSIONS.map((e) => e.replace('.', '\\.')).join('|')})$`, 'i');

/** A 4096-bit private key in PEM is about 3 KB; a whole keys.yml stays far below this. */
export const MAX_KEY_FILE_BYTES = 1024 * 1024;

export function isKeyFileName(name: string): boolean {
  return KEY_FILE_PATTERN.test(name);
}
