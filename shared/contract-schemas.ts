// The arguments of every contract operation, as a schema checked at run time (valibot), so a bad
// argument from any door (IPC, the browser-mode server, the command line) is a bad-input error
// that names the argument, before a service sees it. The compile-time check below keeps the list
// in step with ConsoleApi.
import * as v from 'valibot';
import { CHANNELS, KEY_USES, LAUNCH_ROLES, PURPOSES, type Channel, type ConsoleApi } from './api';
import { ConsoleError } from './errors';
import { ANSWER_COLUMNS, MAX_WINDOW } from './downstream/answer-query';
import { GENERATE_BITS } from './key-policy';
import { CLAIMS_LIMITS, type JsonLimits, SCHEMA_LIMITS, valueOverLimit } from './json-limits';
import { LAUNCH_VERSIONS } from './runner-capabilities';
import { FORGE_KIND_NAMES } from './launch/forge-kinds';

const text = v.string();
const id = v.pipe(v.string(), v.minLength(1, 'must not be empty'), v.maxLength(200, 'is longer than any id'));
const path = v.pipe(v.string(), v.trim(), v.minLength(1, 'must not be empty'), v.maxLength(4096, 'is longer than any path'));
const url = v.pipe(v.string(), v.maxLength(8192, 'is longer than any URL'));
/** Within the limits before anything recursive (the rules, a report, a clone) walks it. */
const withinLimits = <T>(limits: JsonLimits, plural: boolean) =>
  v.rawCheck<T>(({ dataset, addIssue }) => {
    const over = dataset.typed ? valueOverLimit(dataset.value, limits, { noun: '', plural }) : undefined;
    if (over) addIssue({ message: over });
  });
const claims = v.pipe(v.record(v.string(), v.unknown()), withinLimits<Record<string, unknown>>(CLAIMS_LIMITS, true));
const openMode = v.picklist(['embedded', 'browser', 'tab', 'none']);
const schemaSource = v.variant('kind', [
  v.object({ kind: v.literal('runner'), runnerUrl: url }),
  v.object({ kind: v.literal('folder'), path }),
  v.object({ kind: v.literal('url'), url }),
]);
/** A schema summary the page hands back: its metadata list is what the verdict reads. */
const summaryShape = v.looseObject({ name: text, metadata: v.array(v.looseObject({ name: v.unknown(), type: v.unknown() })) });
const schemaSummary = v.pipe(summaryShape, withinLimits<v.InferOutput<typeof summaryShape>>(SCHEMA_LIMITS, false));
const finite = v.pipe(v.number(), v.finite());
const count = v.pipe(v.number(), v.integer(), v.minValue(0));
/** The answers table's filter, sort and grouping (shared/downstream/answer-table.ts). */
const answerQuery = {
  filter: v.optional(v.pipe(v.string(), v.maxLength(1000, 'is longer than any filter'))),
  sort: v.optional(v.pipe(v.array(v.object({ id: v.picklist(ANSWER_COLUMNS), desc: v.boolean() })), v.maxLength(ANSWER_COLUMNS.length))),
  grouped: v.optional(v.boolean()),
};
const answerWindow = v.pipe(
  v.object({ ...answerQuery, start: count, end: count, find: v.optional(count) }),
  v.check((w) => w.end - w.start <= MAX_WINDOW, `must ask for at most ${MAX_WINDOW} entries`),
);

/** Each channel: its arguments' names (for the message) and their schemas, in order. */
const ARGS = {
  'app.info': [],
  'keys.list': [],
  'keys.importTexts': [
    ['files', v.array(v.object({ name: v.pipe(v.string(), v.maxLength(4096)), text }))],
    ['options', v.optional(v.object({ purpose: v.optional(v.picklist(PURPOSES)), use: v.optional(v.picklist(KEY_USES)) }))],
  ],
  'keys.importRunnerCheckout': [['path', path]],
  'keys.generate': [
    [
      'options',
      v.object({
        purpose: v.picklist(PURPOSES),
        use: v.picklist(KEY_USES),
        bits: v.picklist(GENERATE_BITS),
        label: v.optional(v.pipe(v.string(), v.maxLength(200, 'is longer than 200 characters'))),
      }),
    ],
  ],
  'keys.remove': [['kid', id]],
  'keys.exportPublic': [['kid', id]],
  'keys.assignRole': [
    ['role', v.picklist(LAUNCH_ROLES)],
    ['kid', id],
  ],
  'tokens.inspect': [
    ['input', text],
    ['options', v.optional(v.object({ runnerUrl: v.optional(url) }))],
  ],
  'environments.list': [],
  'environments.save': [['environment', v.object({ id: v.optional(id), name: v.string(), runnerUrl: url })]],
  'environments.remove': [['id', id]],
  'environments.activate': [['id', id]],
  'runners.capabilities': [
    ['runnerUrl', v.optional(url)],
    ['options', v.optional(v.object({ refresh: v.optional(v.boolean()) }))],
  ],
  'runners.setAccepts': [
    ['environmentId', id],
    ['accepts', v.nullable(v.pipe(v.array(v.picklist(LAUNCH_VERSIONS)), v.minLength(1, 'must name at least one version'), v.maxLength(2)))],
  ],
  'schemas.catalogue': [['source', schemaSource]],
  'schemas.summary': [
    ['source', schemaSource],
    ['name', id],
  ],
  'schemas.previewStart': [['path', path]],
  'schemas.previewStop': [['id', id]],
  'launch.check': [
    ['claims', claims],
    ['schema', v.optional(schemaSummary)],
  ],
  'launch.start': [['request', v.object({ claims, schema: v.optional(schemaSummary), runnerUrl: v.optional(url), open: v.optional(openMode) })]],
  'launch.relaunch': [
    ['historyId', id],
    ['options', v.optional(v.object({ newResponse: v.optional(v.boolean()), open: v.optional(openMode) }))],
  ],
  'launch.forge': [
    ['request', v.object({ kind: v.picklist(FORGE_KIND_NAMES), claims: v.optional(claims), schema: v.optional(schemaSummary), runnerUrl: v.optional(url) })],
  ],
  'history.list': [],
  'history.remove': [['id', id]],
  'history.clear': [],
  'profiles.list': [],
  'profiles.save': [
    [
      'profile',
      v.object({
        id: v.optional(id),
        name: v.pipe(v.string(), v.maxLength(200, 'is longer than 200 characters')),
        payload: v.picklist(['v2', 'v1', 'legacy']),
        schema: v.optional(v.object({ source: schemaSource, name: text })),
        claims,
      }),
    ],
  ],
  'profiles.remove': [['id', id]],
  'flush.start': [
    [
      'request',
      v.object({
        items: v.array(v.object({ responseId: v.pipe(v.string(), v.maxLength(1000)), historyId: v.optional(id) })),
        runnerUrl: v.optional(url),
        concurrency: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(64))),
      }),
    ],
  ],
  'flush.cancel': [['jobId', id]],
  'flush.retry': [['jobId', id]],
  'downstream.open': [
    [
      'sources',
      v.array(
        v.variant('kind', [
          v.object({ kind: v.literal('text'), name: v.pipe(v.string(), v.maxLength(4096)), text }),
          v.object({ kind: v.literal('path'), path }),
        ]),
      ),
    ],
  ],
  'downstream.payload': [
    ['itemId', id],
    ['options', v.optional(v.object({ withoutAnswers: v.optional(v.boolean()) }))],
  ],
  'downstream.answers': [
    ['itemId', id],
    ['window', answerWindow],
  ],
  'downstream.answersCsv': [
    ['itemId', id],
    ['query', v.object(answerQuery)],
  ],
  'downstream.watchStart': [['path', path]],
  'downstream.watchStop': [['watchId', id]],
  'sessions.list': [],
  'sessions.control': [
    ['id', id],
    ['action', v.picklist(['activate', 'back', 'forward', 'reload', 'devtools', 'external', 'close', 'navigate'])],
    ['url', v.optional(url)],
  ],
  'sessions.setViewport': [['rect', v.nullable(v.object({ x: finite, y: finite, width: finite, height: finite }))]],
  'sessions.previewSubmission': [['id', id]],
} as const satisfies Record<Channel, readonly (readonly [string, v.GenericSchema])[]>;

type Missing = Exclude<Channel, keyof typeof ARGS>;
// Compile-time proof that every operation of the contract has its schema.
export const ARGS_COMPLETE: [Missing] extends [never] ? true : Missing = true;

const TUPLES = new Map<Channel, v.GenericSchema>(
  CHANNELS.map((channel) => [channel, v.strictTuple((ARGS[channel] as readonly (readonly [string, v.GenericSchema])[]).map(([, schema]) => schema))]),
);

/** The names of a channel's arguments, in order. */
export function argumentNames(channel: Channel): string[] {
  return (ARGS[channel] as readonly (readonly [string, v.GenericSchema])[]).map(([name]) => name);
}

/** The arguments as given, or a bad-input error naming the first wrong one and where in it. */
export function checkArgs(channel: Channel, args: readonly unknown[]): unknown[] {
  const names = argumentNames(channel);
  const given = trimTrailingUndefined([...args]);
  if (given.length > names.length) {
    throw new ConsoleError('bad-input', `${channel} takes ${names.length ? names.join(', ') : 'no arguments'}; it was given ${given.length}.`);
  }
  const result = v.safeParse(TUPLES.get(channel)!, given);
  // The tuple fills optional arguments left out with undefined; the service sees the call as made.
  if (result.success) return trimTrailingUndefined(result.output as unknown[]);
  const issue = result.issues[0];
  const [first, ...rest] = issue.path ?? [];
  if (!first) throw new ConsoleError('bad-input', `${channel} takes ${names.join(', ')}; it was given ${given.length}.`);
  const name = names[first.key as number] ?? `argument ${Number(first.key) + 1}`;
  const where = rest.map((p) => (typeof p.key === 'number' ? `[${p.key}]` : `.${String(p.key)}`)).join('');
  throw new ConsoleError('bad-input', `${channel}: ${name}${where} ${describe(issue)}.`);
}

function describe(issue: v.BaseIssue<unknown>): string {
  if (issue.kind === 'schema' && issue.expected) {
    const got = issue.received === 'undefined' ? 'nothing' : issue.received;
    return `must be ${issue.expected
      .split('|')
      .map((s) => s.trim())
      .join(' or ')}, not ${got}`;
  }
  return issue.message.replace(/^Invalid \w+: /, '');
}

/** The same operations, each checking its arguments first. */
export function checkedApi(api: ConsoleApi): ConsoleApi {
  const out: Record<string, Record<string, (...args: unknown[]) => Promise<unknown>>> = {};
  for (const channel of CHANNELS) {
    const [group, method] = channel.split('.') as [keyof ConsoleApi, string];
    const fn = (api[group] as unknown as Record<string, (...a: unknown[]) => Promise<unknown>>)[method]!;
    out[group] ??= {};
    out[group][method] = async (...args: unknown[]) => fn(...checkArgs(channel, args));
  }
  return out as unknown as ConsoleApi;
}

/** An optional argument left out and one passed as undefined are the same call. */
function trimTrailingUndefined(args: unknown[]): unknown[] {
  let end = args.length;
  while (end > 0 && args[end - 1] === undefined) end--;
  return args.slice(0, end);
}
