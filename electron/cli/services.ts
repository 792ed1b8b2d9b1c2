// Every command reaches the console through createServices(), the same door as the desktop app
// and browser mode, with what its options override: --keys (a key store instead of the active
// environment's ring), --runner (another runner) and --runner-accepts (the launch versions that
// runner takes, instead of what the console finds out).
import { parseAccepts, type LaunchVersion } from '../../shared/runner-capabilities';
import { launchKeyFacts } from '../../shared/verdict';
import { defaultConfigDir } from '../services/config/paths';
import { createServices, type Services } from '../services/index';
import { type Io, type ParsedArgs, str, UsageError } from './command';
import { openInBrowser } from './open-browser';

/** mode: 'browser' for `serve`, which hands the services to a page. */
export async function cliServices(values: ParsedArgs['values'], io: Io, mode: 'cli' | 'browser' = 'cli'): Promise<Services> {
  const services = await createServices({
    configDir: defaultConfigDir(),
    mode,
    keyStore: str(values, 'keys'),
    runnerUrl: str(values, 'runner'),
    runnerAccepts: runnerAcceptsOption(str(values, 'runner-accepts')),
    openExternal: async (url) => {
      const failed = await openInBrowser(url);
      if (failed) throw new Error(failed);
    },
  });
  for (const line of services.direct.keyStoreSkipped) io.stderr(`${line}\n`);
  return services;
}

/** "signed with <kid>, encrypted to <kid>": the launch keys the services use; undefined when one is missing (minting says which). */
export async function launchKidsLine(services: Services): Promise<string | undefined> {
  const { signer, recipient } = launchKeyFacts(await services.keys.list());
  return signer && recipient ? `signed with ${signer}, encrypted to ${recipient}` : undefined;
}

/** --runner-accepts v1,v2 | v2 | v1: what the user says the runner takes. */
function runnerAcceptsOption(text: string | undefined): LaunchVersion[] | undefined {
  if (text === undefined) return undefined;
  const accepts = parseAccepts(text);
  if (!accepts) throw new UsageError(`--runner-accepts takes v2, v1,v2 or v1 (the launch versions the runner accepts), not "${text}"`);
  return accepts;
}
