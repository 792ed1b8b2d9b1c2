import { checkClaimsText, type CommandImpl, EXIT_OK, positiveInt, readTextFile, str, UsageError } from '../command';
import { cliServices, launchKidsLine } from '../services';

export const tokenMint: CommandImpl = {
  options: { keys: { type: 'string' }, claims: { type: 'string' }, count: { type: 'string' } },
  async run({ values, positionals }, io) {
    if (positionals.length) throw new UsageError(`unexpected argument "${positionals[0]}"`);
    const count = positiveInt(str(values, 'count'), 'count');
    const claimsFile = str(values, 'claims');
    const text = (claimsFile ? readTextFile(claimsFile) : await io.readStdin()).trim();
    const claims = parseClaims(text, claimsFile ?? 'stdin');
    const services = await cliServices(values, io);
    // Said first: a reader that stops early (| head) still learns which keys were used.
    const kids = await launchKidsLine(services);
    if (kids) io.stderr(`${kids}\n`);
    if (count === undefined) {
      // The text itself, not a re-serialisation: duplicate keys, number spellings and key order
      // reach the token as written (negative tests rely on that).
      io.stdout((await services.direct.mintText(text)).token + '\n');
    } else {
      await services.direct.mintMany(claims, count, (text) => io.stdout(text));
    }
    return EXIT_OK;
  },
};

function parseClaims(text: string, from: string): Record<string, unknown> {
  checkClaimsText(text, from);
  let claims: unknown;
  try {
    claims = JSON.parse(text);
  } catch (err) {
    throw new UsageError(`the claims from ${from} are not valid JSON: ${(err as Error).message}`);
  }
  if (!claims || typeof claims !== 'object' || Array.isArray(claims)) throw new UsageError(`the claims from ${from} must be a JSON object`);
  return claims as Record<string, unknown>;
}
