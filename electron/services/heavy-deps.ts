// Two dependencies weigh more than the rest of the services together: yaml (key stores) and conf
// (settings, profiles, history, with its JSON-schema checker). They are loaded when an operation
// first needs them, not at start: `keys kid` or `--help` never parse them. createServices() loads
// them before any operation that may; code that runs outside it (a test, a worker) gets them on
// first use through require.
import { createRequire } from 'node:module';

type Yaml = typeof import('yaml');
type ConfModule = typeof import('conf');

let yaml: Yaml | undefined;
let conf: ConfModule | undefined;

/** Loads both, once; every later call resolves at once. */
export async function loadHeavyDeps(): Promise<void> {
  // yaml is CommonJS once bundled: its functions are on the namespace's default.
  yaml ??= await import('yaml').then((m) => ((m as { default?: Yaml }).default ?? m) as Yaml);
  conf ??= await import('conf');
}

const requireHere = createRequire(import.meta.url);

export function yamlModule(): Yaml {
  return (yaml ??= requireHere('yaml') as Yaml);
}

export function confModule(): ConfModule {
  return (conf ??= requireHere('conf') as ConfModule);
}
