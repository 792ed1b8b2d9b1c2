import { type FlushOutcome, type FlushOutcomeKind, isSettled } from '../../../shared/flush/types';
import { FLUSH_DEFAULTS, flushAll } from '../../services/flush/batch';
import { launchKeys } from '../../services/tokens/launch-keys';
import { parseResponseIds } from '../../../shared/flush/response-ids';
import { type Command, EXIT_NO, EXIT_OK, positiveInt, readTextFile, str, UsageError } from '../command';
import { openKeySource } from '../key-source';

export const flush: Command = {
  name: 'flush',
  summary:
    'Flush partially completed responses downstream through the runner\'s /flush. Ids come from --response-id (repeatable) or --from a file ' +
    '(one a line, or a CSV with a response_id column; - for stdin). Exit 0 when every id is flushed or had nothing to flush, 1 otherwise.',
  usage: 'flush [--keys <store>] --runner <url> (--response-id ID ... | --from FILE) [--concurrency N] [--json]',
  options: {
    keys: { type: 'string' },
    runner: { type: 'string' },
    'response-id': { type: 'string', multiple: true },
    from: { type: 'string' },
    concurrency: { type: 'string' },
    json: { type: 'boolean' },
  },
  async run({ values, positionals }, io) {
    if (positionals.length) throw new UsageError(`unexpected argument "${positionals[0]}"`);
    const runner = str(values, 'runner');
    if (!runner || !/^https?:\/\/[^/]/.test(runner)) throw new UsageError('--runner <url> is required: the runner\'s base URL, e.g. http://localhost:5000');
    const given = (values['response-id'] as string[] | undefined) ?? [];
    const from = str(values, 'from');
    if (!given.length && !from) throw new UsageError('give --response-id ID (repeatable) or --from FILE');
    const text = [...given, from ? (from === '-' ? await io.readStdin() : readTextFile(from)) : ''].join('\n');
    const { ids, duplicates } = parseResponseIds(text);
    if (!ids.length) throw new UsageError(`no response ids found in ${from ?? 'the arguments'}`);
    if (duplicates.length) io.stderr(`note: ${duplicates.length} id(s) given more than once are flushed once\n`);
    const concurrency = positiveInt(str(values, 'concurrency'), 'concurrency') ?? FLUSH_DEFAULTS.concurrency;
    const keys = launchKeys(await openKeySource(str(values, 'keys'), (l) => io.stderr(l + '\n')));

    const abort = new AbortController();
    const cancel = () => abort.abort();
    process.once('SIGINT', cancel);
    try {
      const outcomes = await flushAll(ids, {
        runnerUrl: runner,
        keys,
        concurrency,
        signal: abort.signal,
        onOutcome: (o, done, total) => {
          if (values.json) io.stdout(JSON.stringify({ responseId: o.responseId, httpStatus: o.httpStatus, outcome: o.outcome, message: o.message }) + '\n');
          else io.stderr(`[${done}/${total}] ${o.responseId}: ${o.outcome}${o.httpStatus ? ` (${o.httpStatus})` : ''}\n`);
        },
      });
      if (!values.json) io.stdout(summary(outcomes));
      return outcomes.every((o) => isSettled(o.outcome)) ? EXIT_OK : EXIT_NO;
    } finally {
      process.off('SIGINT', cancel);
    }
  },
};

function summary(outcomes: FlushOutcome[]): string {
  const counts = new Map<FlushOutcomeKind, number>();
  for (const o of outcomes) counts.set(o.outcome, (counts.get(o.outcome) ?? 0) + 1);
  const lines = [[...counts].map(([k, n]) => `${n} ${k}`).join(', ')];
  for (const o of outcomes.filter((x) => !isSettled(x.outcome))) lines.push(`${o.responseId}: ${o.message}`);
  return lines.join('\n') + '\n';
}
