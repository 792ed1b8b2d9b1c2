// Every command reaches the console through createServices(), the same door as the desktop app
// and browser mode, with what its options override: --keys (a key store instead of the active
// environment's ring) and --runner (another runner).
import { launchKeyFacts } from '../../shared/verdict';
import { defaultConfigDir } from '../services/config/paths';
import { createServices, type Services } from '../services/index';
import { type Io, type ParsedArgs, str } from './command';
import { openInBrowser } from './open-browser';

/** mode: 'browser' for `serve`, which hands the services to a page. */
export async function cliServices(values: ParsedArgs['values'], io: Io, mode: 'cli' | 'browser' = 'cli'): Promise<Services> {
  const services = await createServices({
    configDir: defaultConfigDir(),
    mode,
    keyStore: str(values, 'keys'),
    runnerUrl: str(values, 'runner'),
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
