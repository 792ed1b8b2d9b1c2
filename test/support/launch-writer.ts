// Launches from a process of its own, as a second front door on the same config folder would:
//   node --import tsx test/support/launch-writer.ts <config dir> <count>
// Says "ready" on a line of its own when it is about to launch (so the other writer can start at
// the same moment), then prints the history ids of its launches as JSON.
import crypto from 'node:crypto';
import { createServices } from '../../electron/services/index';
import { newClaims } from '../../shared/launch/index';
import { schemaSummary } from './schema-summary';

const [configDir, count] = process.argv.slice(2);
const api = await createServices({ configDir: configDir!, mode: 'browser' });
await api.environments.list();
process.stdout.write('ready\n');
const ids: string[] = [];
for (let i = 0; i < Number(count); i++) {
  const claims = { ...newClaims({ payload: 'v2', schema: schemaSummary(), nowSeconds: Math.floor(Date.now() / 1000) }), tx_id: crypto.randomUUID() };
  // A runner that is not there: the launch is minted and recorded all the same.
  const result = await api.launch.start({ claims, open: 'none', runnerUrl: 'http://127.0.0.1:9' });
  ids.push(result.entry.id);
}
await api.shutdown();
process.stdout.write(JSON.stringify(ids));
