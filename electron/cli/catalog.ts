// What the command line offers, as data: the overview and each command's --help come from here
// without loading a command's module; a command's code is loaded only to run it.
import { FORGE_KIND_NAMES } from '../../shared/launch/forge-kinds';
import type { CommandImpl } from './command';

export interface CommandSpec {
  name: string;
  summary: string;
  usage: string;
  load: () => Promise<CommandImpl>;
}

export const COMMANDS: CommandSpec[] = [
  {
    name: 'keys kid',
    summary: 'Print the kid of a PEM key (SHA-1 of its SubjectPublicKeyInfo PEM, as sdc-cryptography computes it).',
    usage: 'keys kid <pem-file>',
    load: async () => (await import('./commands/keys')).keysKid,
  },
  {
    name: 'keys list',
    summary: "List the console's key ring: kid, purpose, type, use, bits, where each key came from and what the console uses it for.",
    usage: 'keys list [--json]',
    load: async () => (await import('./commands/keys')).keysList,
  },
  {
    name: 'keys import',
    summary:
      "Import PEM files, folders of PEM files or sdc key stores into the console's key ring; --runner-checkout takes a runner checkout's tests/jwt-test-keys and dev-keys.yml in one step.",
    usage: 'keys import [--purpose P] <path>... | keys import --runner-checkout <dir>',
    load: async () => (await import('./commands/keys')).keysImport,
  },
  {
    name: 'keys role',
    summary:
      "Choose the key that signs launches (launch-signing: a private key of the launcher's signing pair) or the runner key launches are encrypted to (launch-encryption). The console picks them as keys arrive and a later import never changes them; this does.",
    usage: 'keys role <launch-signing | launch-encryption> <kid>',
    load: async () => (await import('./commands/keys')).keysRole,
  },
  {
    name: 'token mint',
    summary:
      'Sign (RS256) and encrypt (RSA-OAEP/A256GCM) claims exactly as given: no defaults, no validation, so invalid tokens can be made on purpose. Claims come from --claims or stdin. --count N prints N tokens, one a line, each with a fresh jti and tx_id.',
    usage: 'token mint [--keys <store>] [--claims <file>] [--count N]',
    load: async () => (await import('./commands/token-mint')).tokenMint,
  },
  {
    name: 'token inspect',
    summary:
      "Decrypt and verify a token (or the token in a launch URL, or stdin with -), classify its payload, check it as the runner and the ONS specification do, and predict the runner's answer. A token the key ring cannot decrypt gets runnerStatus null and says which key would open it (and, when the console minted it, what it minted). Exit 0 when the runner would answer 302, 1 otherwise.",
    usage: 'token inspect [--keys <store>] [--runner <url>] [--runner-accepts v2|v1,v2] [--json] <token | launch URL | ->',
    load: async () => (await import('./commands/token-inspect')).tokenInspect,
  },
  {
    name: 'token forge',
    summary: `Build a complete, valid v2 launch for the schema (as launch does, --claims merged) and break exactly one thing, for negative tests. Kinds: ${FORGE_KIND_NAMES.join(', ')}. Prints the token (reused-jti: two lines, to be sent in order). --json prints one object {kind, expectedStatus, reason, token, tokens, expectedStatuses, urls}: expectedStatus is what the runner answers to token (for reused-jti the second; the first gets 302). Nothing is sent. Without --schema-name, the first schema the runner lists that requires metadata.`,
    usage: `token forge --kind <${FORGE_KIND_NAMES.join(' | ')}> [--keys <store>] [--runner <url>] [--schema-name N] [--claims <file>] [--json]`,
    load: async () => (await import('./commands/token-forge')).tokenForge,
  },
  {
    name: 'launch',
    summary:
      "Build launch claims for a schema (every required claim fresh, the schema's required metadata with typed defaults), apply --claims (merged) and each --set (dotted path = JSON value, else text), check them as the runner would, mint the token and print the /session URL as the last line. Exit 1, with the reasons on stderr and no URL, when the runner would refuse the launch, unless --force. The launch is recorded in the console's history. Without --runner, the active environment's runner; without --keys, its key ring. Which launch versions the runner accepts (v1 until v13, v2 since v12) the console finds out by itself and keeps per runner; --runner-accepts says instead. --from-payload <file | -> relaunches the respondent of a downstream payload (a JWE, plain JSON or a runner log; --pick N, counted from 1, when it holds several) and --from-token <token | URL | -> the respondent of a launch token: the same schema, survey metadata (without the survey_id the runner adds), language, region, channel, case_id and collection_exercise_sid, v1 claims from a v1 payload; fresh jti, tx_id and times, and a new response_id, so the respondent's stored answers are never touched. --reuse-response-id (with --from-token) takes theirs instead: the runner then opens their stored answers, and a launch can change them. Every other option applies on top.",
    usage:
      'launch [--keys <store>] [--runner <url>] [--runner-accepts v2|v1,v2] (--schema-name N | --schema-url U | --cir-instrument-id I | --from-payload <file | -> [--pick N] | --from-token <token | URL | -> [--reuse-response-id]) [--payload v2|v1|legacy] [--claims <file>] [--set dotted.path=value]... [--role R]... [--open] [--force] [--json]',
    load: async () => (await import('./commands/launch')).launch,
  },
  {
    name: 'flush',
    summary:
      "Flush partially completed responses downstream through the runner's /flush. Ids come from --response-id (repeatable) or --from a file (one a line, or a CSV with a response_id column; - for stdin). Exit 0 when every id is flushed or had nothing to flush, 1 otherwise.",
    usage: 'flush [--keys <store>] --runner <url> (--response-id ID ... | --from FILE) [--concurrency N] [--json]',
    load: async () => (await import('./commands/flush')).flush,
  },
  {
    name: 'downstream',
    summary:
      'Decrypt, verify and validate downstream payloads (what the runner sends to SDX): compact JWEs, JSON payloads, runner logs (JSON lines or key=value lines with message=<JWE>) and folders of them (recursively), or stdin with -. Payloads are decrypted with the private submission key the JWE names and verified with the submission key the JWS names. --json prints one line per payload as it is opened. Exit 0 when every payload was opened (or was plain JSON), verified and valid; 1 otherwise; 2 for usage and key-store errors, and for a source with no payloads in it.',
    usage: 'downstream [--keys <store>] [--json] <file | dir | -> ...',
    load: async () => (await import('./commands/downstream')).downstream,
  },
  {
    name: 'serve',
    summary:
      'Serve the console to a browser on this machine (127.0.0.1 only). Prints a URL carrying a random access token; every API call must present it. Runs until interrupted (Ctrl+C).',
    usage: 'serve [--port N]   (N = 0 or none: any free port)',
    load: async () => (await import('./commands/serve')).serve,
  },
];
