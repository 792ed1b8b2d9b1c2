// A stand-in for the eQ runner on loopback, following RUNNER-CONTRACT §5 for the endpoints
// the tests need: GET /schemas and GET /schemas/<name> from a folder of questionnaire schemas.
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';

export interface StandInRunner {
  url: string;
  requests: string[];
  close(): Promise<void>;
}

/** schemasDir holds <survey_type>/<language>/<name>.json, as the runner's schemas/ folder does. */
export async function startStandInRunner(schemasDir: string): Promise<StandInRunner> {
  const index = new Map<string, { type: string; file: string }>();
  for (const type of fs.readdirSync(schemasDir)) {
    const en = path.join(schemasDir, type, 'en');
    if (!fs.existsSync(en)) continue;
    for (const f of fs.readdirSync(en)) if (f.endsWith('.json')) index.set(f.slice(0, -5), { type, file: path.join(en, f) });
  }
  const requests: string[] = [];
  const server = http.createServer((req, res) => {
    requests.push(`${req.method} ${req.url}`);
    const url = new URL(req.url ?? '/', 'http://localhost');
    const json = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (req.method !== 'GET') return json(405, { error: 'method not allowed' });
    if (url.pathname === '/schemas') {
      const byType: Record<string, string[]> = {};
      for (const [name, { type }] of index) (byType[type] ??= []).push(name);
      return json(200, byType);
    }
    const m = /^\/schemas\/([^/]+)$/.exec(url.pathname);
    if (m) {
      const hit = index.get(decodeURIComponent(m[1]!));
      if (!hit) return json(404, { error: 'not found' });
      res.writeHead(200, { 'content-type': 'application/json' });
      return fs.createReadStream(hit.file).pipe(res);
    }
    json(404, { error: 'not found' });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
