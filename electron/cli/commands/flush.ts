import type { ConsoleEvent } from '../../../shared/events';
import { runnerBaseUrl } from '../../../shared/runner-url';
import { parseResponseIds } from '../../../shared/flush/response-ids';
import { FLUSH_DEFAULT_CONCURRENCY, type FlushJob, type FlushOutcome, type FlushOutcomeKind, isSettled } from '../../../shared/flush/types';
import { type CommandImpl, EXIT_NO, EXIT_OK, positiveInt, readTextFile, str, UsageError } from '../command';
import { cliServices } from '../services';

export const flush: CommandImpl = {
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
    if (!runner) throw new UsageError("--runner <url> is required: the runner's base URL, e.g. http://localhost:5000");
    const given = (values['response-id'] as string[] | undefined) ?? [];
    const from = str(values, 'from');
    if (!given.length && !from) throw new UsageError('give --response-id ID (repeatable) or --from FILE');
    const text = [...given, from ? (from === '-' ? await io.readStdin() : readTextFile(from)) : ''].join('\n');
    const { ids, duplicates } = parseResponseIds(text);
    if (!ids.length) throw new UsageError(`no response ids found in ${from ?? 'the arguments'}`);
    if (duplicates.length) io.stderr(`note: ${duplicates.length} id(s) given more than once are flushed once\n`);
    const concurrency = positiveInt(str(values, 'concurrency'), 'concurrency') ?? FLUSH_DEFAULT_CONCURRENCY;
    const services = await cliServices(values, io);

    // A flush job of the contract, followed through its flush.progress events, as the Flush screen follows it.
    let job: FlushJob | undefined;
    const early: ConsoleEvent[] = [];
    let finish!: () => void;
    const finished = new Promise<void>((resolve) => (finish = resolve));
    const seen = (event: ConsoleEvent) => {
      if (event.type !== 'flush.progress' || event.job.id !== job!.id) return;
      const o = event.outcome;
      if (o) {
        if (values.json) io.stdout(JSON.stringify({ responseId: o.responseId, httpStatus: o.httpStatus, outcome: o.outcome, message: o.message }) + '\n');
        else io.stderr(`[${event.job.done}/${event.job.total}] ${o.responseId}: ${o.outcome}${o.httpStatus ? ` (${o.httpStatus})` : ''}\n`);
        outcomes.push(o);
      }
      if (!event.job.running) finish();
    };
    const outcomes: FlushOutcome[] = [];
    const stop = services.onEvent((event) => (job ? seen(event) : early.push(event)));
    const cancel = () => void (job && services.flush.cancel(job.id));
    process.once('SIGINT', cancel);
    try {
      job = await services.flush.start({ items: ids.map((responseId) => ({ responseId })), runnerUrl: runnerBaseUrl(runner), concurrency });
      for (const event of early.splice(0)) seen(event);
      await finished;
      if (!values.json) io.stdout(summary(outcomes));
      return outcomes.length === ids.length && outcomes.every((o) => isSettled(o.outcome)) ? EXIT_OK : EXIT_NO;
    } finally {
      stop();
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
