import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConsoleError } from '../../../shared/errors';
import { startWebServer } from '../../web/server';
import { type CommandImpl, str, UsageError } from '../command';
import { cliServices } from '../services';

const here = path.dirname(fileURLToPath(import.meta.url));
/** Built, this code is a chunk in out/cli, beside out/renderer (in a checkout or the app's asar); from source, it is in electron/cli/commands. */
export const RENDERER_DIR =
  path.basename(here) === 'cli' && path.basename(path.dirname(here)) === 'out'
    ? path.join(here, '..', 'renderer')
    : path.resolve(here, '../../../out/renderer');

export const serve: CommandImpl = {
  options: { port: { type: 'string' } },
  async run({ values, positionals }, io) {
    if (positionals.length) throw new UsageError(`unexpected argument "${positionals[0]}"`);
    const portText = str(values, 'port') ?? '0';
    if (!/^[0-9]{1,5}$/.test(portText) || Number(portText) > 65535)
      throw new UsageError(`--port must be a port number from 0 (any free port) to 65535, not "${portText}"`);
    const port = Number(portText);
    if (!fs.existsSync(path.join(RENDERER_DIR, 'index.html'))) {
      throw new ConsoleError('not-found', `the console's pages are not built (${RENDERER_DIR} is missing): run npm start, or npm run build`);
    }
    const api = await cliServices({}, io, 'browser');
    const server = await startWebServer({ api, staticDir: RENDERER_DIR, port });
    io.stdout(`eQ console in browser mode: open ${server.url}\n`);
    const signal = await new Promise<NodeJS.Signals>((resolve) => {
      process.once('SIGINT', () => resolve('SIGINT'));
      process.once('SIGTERM', () => resolve('SIGTERM'));
    });
    // A second signal while stopping means now. Previews, folder watches and open connections all
    // keep the event loop alive, so they are stopped here rather than left to end by themselves.
    process.once(signal, () => process.exit(130));
    io.stderr(`eq-console: ${signal}: stopping the server, schema previews and folder watches\n`);
    await Promise.all([server.close(), api.shutdown()]);
    // Whatever still holds the event loop (a flush waiting on a runner) must not keep a stopped server alive.
    setTimeout(() => process.exit(0), 2000).unref();
    return 0;
  },
};
