// What the console found each runner to accept, by runner URL (runners.json in the config folder,
// kept with conf like settings.json): a runner is probed once, and again only when asked or when
// its /status version changes. Shared by the desktop app, browser mode and every command.
import type { RunnerDetection } from '../../../shared/runner-capabilities';
import { type DocumentSpec, JsonDocument, type StoreFactory } from '../config/document';

interface RunnersDoc extends Record<string, unknown> {
  runners: Record<string, RunnerDetection>;
}

/** Enough for every runner anyone works with; the oldest records go first. */
const MAX_RUNNERS = 100;

export const RUNNERS: DocumentSpec<RunnersDoc> = {
  name: 'runners',
  version: '1.0.0',
  legacyVersions: [],
  schema: {
    runners: {
      type: 'object',
      additionalProperties: {
        type: 'object',
        required: ['accepts', 'at', 'runnerVersion', 'answers'],
        properties: {
          accepts: { type: 'array', minItems: 1, items: { enum: ['v1', 'v2'] } },
          at: { type: 'string' },
          runnerVersion: { type: ['string', 'null'] },
          answers: { type: 'object', required: ['v1', 'v2'], properties: { v1: { type: 'integer' }, v2: { type: 'integer' } } },
        },
      },
    },
  },
  required: ['runners'],
  migrations: {},
  fresh: () => ({ runners: {} }),
  instead: 'the console forgets which launch versions each runner accepts, and asks each runner again',
};

export class RunnerRecords {
  private readonly doc: JsonDocument<RunnersDoc>;

  constructor(configDir: string, storeFactory?: StoreFactory) {
    this.doc = new JsonDocument(configDir, RUNNERS, storeFactory);
  }

  get(runnerUrl: string): RunnerDetection | undefined {
    const found = this.doc.read().runners[runnerUrl];
    return found ? structuredClone(found) : undefined;
  }

  put(runnerUrl: string, detection: RunnerDetection): void {
    this.doc.change((doc) => {
      doc.runners[runnerUrl] = detection;
      const urls = Object.keys(doc.runners);
      if (urls.length <= MAX_RUNNERS) return;
      urls.sort((a, b) => doc.runners[a]!.at.localeCompare(doc.runners[b]!.at));
      for (const url of urls.slice(0, urls.length - MAX_RUNNERS)) delete doc.runners[url];
    });
  }
}
