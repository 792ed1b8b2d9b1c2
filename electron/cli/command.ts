// The small frame every CLI command shares: option parsing with --help, and the exit codes
// of the CLI contract (0 fine, 1 a negative answer, 2 usage or key-store errors).
import fs from 'node:fs';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { ConsoleError } from '../../shared/errors';
import { CLAIMS_LIMITS, textOverLimit } from '../../shared/json-limits';

export const EXIT_OK = 0;
export const EXIT_NO = 1;
export const EXIT_USAGE = 2;

export class UsageError extends Error {}

export interface Io {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  readStdin: () => Promise<string>;
}

/** A command's code: its options and what it does (its name and help are in catalog.ts). */
export interface CommandImpl {
  options: NonNullable<ParseArgsConfig['options']>;
  run(args: ParsedArgs, io: Io): Promise<number>;
}

/** What parse() and helpText() need to know of a command. */
interface Named {
  name: string;
  summary: string;
  usage: string;
}

export interface ParsedArgs {
  values: Record<string, string | boolean | string[] | undefined>;
  positionals: string[];
}

export function parse(command: Named, impl: CommandImpl, argv: string[]): ParsedArgs | 'help' {
  try {
    const { values, positionals } = parseArgs({
      args: argv,
      options: { ...impl.options, help: { type: 'boolean', short: 'h' } },
      allowPositionals: true,
      strict: true,
    });
    if (values.help) return 'help';
    return { values: values as ParsedArgs['values'], positionals };
  } catch (err) {
    throw new UsageError(`${(err as Error).message.split('\n')[0]} (see: eq-console ${command.name} --help)`);
  }
}

export function helpText(command: Named): string {
  return `${command.summary}\n\nUsage: eq-console ${command.usage}\n`;
}

/** Every failure a user can cause ends as one line on stderr, never a stack trace. */
export function describeFailure(err: unknown): { message: string; code: number } {
  if (err instanceof UsageError) return { message: err.message, code: EXIT_USAGE };
  if (err instanceof ConsoleError) return { message: err.message, code: EXIT_USAGE };
  const message = err instanceof Error ? err.message.split('\n')[0]! : String(err);
  return { message: `unexpected error: ${message}`, code: EXIT_USAGE };
}

export function str(values: ParsedArgs['values'], name: string): string | undefined {
  const v = values[name];
  return typeof v === 'string' ? v : undefined;
}

export function positiveInt(text: string | undefined, name: string): number | undefined {
  if (text === undefined) return undefined;
  if (!/^[1-9][0-9]*$/.test(text)) throw new UsageError(`--${name} must be a positive whole number, not "${text}"`);
  return Number(text);
}

/** Claims JSON given on the command line (a file, stdin, a --set value), refused before it is parsed when beyond the limits. */
export function checkClaimsText(text: string, from: string): void {
  const over = textOverLimit(text, CLAIMS_LIMITS, { noun: `the claims from ${from}`, plural: true });
  if (over) throw new UsageError(over);
}

export function readTextFile(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    throw new ConsoleError('not-found', `cannot read ${file}`);
  }
}
