// bin/eq-console: the command line over the same services as the desktop app and browser mode.
import { onSetAside } from '../services/config/set-aside';
import { COMMANDS as REGISTRY } from './catalog';
import { describeFailure, EXIT_USAGE, helpText, type Io, parse, UsageError } from './command';

// A command's code is loaded only to run it: --help and a quick `keys kid` pay for nothing else.
function overview(prefix = ''): string {
  const shown = REGISTRY.filter((c) => c.name.startsWith(prefix));
  return (
    'eq-console: the eQ launch console from the command line.\n\nCommands:\n' +
    shown.map((c) => `  eq-console ${c.usage}\n      ${c.summary}`).join('\n') +
    "\n\nEvery command takes --help. Without --keys, commands use the console's own key ring.\n"
  );
}

export async function runCli(argv: string[], io: Io): Promise<number> {
  // A damaged config file moved aside while the command runs is said once, in one line, on stderr.
  const stopNotices = onSetAside((note) => io.stderr(`eq-console: ${note.text}\n`));
  try {
    return await runCommand(argv, io);
  } finally {
    stopNotices();
  }
}

async function runCommand(argv: string[], io: Io): Promise<number> {
  try {
    const two = `${argv[0] ?? ''} ${argv[1] ?? ''}`;
    const entry = REGISTRY.find((c) => c.name === two) ?? REGISTRY.find((c) => c.name === argv[0]);
    if (!entry) {
      if (argv.length === 0 || argv[0] === '--help' || argv[0] === '-h' || argv[0] === 'help') {
        io.stdout(overview());
        return 0;
      }
      if (REGISTRY.some((c) => c.name.startsWith(`${argv[0]} `))) {
        if (argv[1] === '--help' || argv[1] === '-h') {
          io.stdout(overview(`${argv[0]} `));
          return 0;
        }
        if (argv[1] === undefined) {
          io.stderr(overview(`${argv[0]} `));
          return EXIT_USAGE;
        }
        throw new UsageError(`unknown command "${two.trim()}" (see: eq-console ${argv[0]} --help)`);
      }
      throw new UsageError(`unknown command "${argv[0]}" (see: eq-console --help)`);
    }
    const rest = argv.slice(entry.name.split(' ').length);
    if (rest.includes('--help') || rest.includes('-h')) {
      io.stdout(helpText(entry));
      return 0;
    }
    const impl = await entry.load();
    const parsed = parse(entry, impl, rest);
    if (parsed === 'help') {
      io.stdout(helpText(entry));
      return 0;
    }
    return await impl.run(parsed, io);
  } catch (err) {
    const { message, code } = describeFailure(err);
    io.stderr(`eq-console: ${message}\n`);
    return code;
  }
}

export const processIo: Io = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  readStdin: async () => {
    if (process.stdin.isTTY) throw new UsageError('expected input on stdin (or give a file)');
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString('utf8');
  },
};
