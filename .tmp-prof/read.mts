import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rd-'));
const N = 2000;
const text = 'eyJ' + 'a'.repeat(4000) + '.b.c.d.e';
for (let i = 0; i < N; i++) fs.writeFileSync(path.join(dir, `${i}.jwe`), text);
const names = fs.readdirSync(dir).map((n) => path.join(dir, n));
const readCb = promisify(fs.readFile);
const cpu = async (label: string, f: () => Promise<void> | void) => { const c = process.cpuUsage(); await f(); const d = process.cpuUsage(c); console.log(label, ((d.user + d.system) / 1000 / N).toFixed(3), 'ms CPU/file'); };
for (let r = 0; r < 2; r++) {
  await cpu('promises.readFile', async () => { for (const n of names) await fs.promises.readFile(n, 'utf8'); });
  await cpu('readFile cb      ', async () => { for (const n of names) await readCb(n, 'utf8'); });
  await cpu('readFileSync     ', () => { for (const n of names) fs.readFileSync(n, 'utf8'); });
  await cpu('promises.stat    ', async () => { for (const n of names) await fs.promises.stat(n); });
  await cpu('open/read/close  ', async () => { for (const n of names) { const h = await fs.promises.open(n, 'r'); const b = Buffer.allocUnsafe(4100); await h.read(b, 0, 4100, 0); await h.close(); } });
}
fs.rmSync(dir, { recursive: true });
