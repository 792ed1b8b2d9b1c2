// Browser mode's loopback server over the real services: who may call it, what it serves, and
// that nothing outside the built renderer can be read through it.
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Services } from '../../electron/services/index';
import { createServices } from '../../electron/services/index';
import { APP_CSP } from '../../shared/csp';
import { startWebServer, type WebServer } from '../../electron/web/index';

interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
  json(): any;
}

/** node:http rather than fetch: fetch would normalise the path and refuses to set Host. */
function request(port: number, options: { method?: string; path: string; headers?: Record<string, string | number>; body?: string }): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: '127.0.0.1', port, method: options.method ?? 'GET', path: options.path, headers: options.headers, agent: false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          resolve({ status: res.statusCode!, headers: res.headers, text, json: () => JSON.parse(text) });
        });
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

let tmp: string;
let staticDir: string;
let api: Services;
let server: WebServer;
let port: number;
let token: string;

const INDEX_HTML = '<!doctype html><html><head><title>t</title></head><body><div id="root"></div></body></html>';
const SECRET = 'outside-the-static-folder-7f3a';

function call(channel: string, args: unknown[] = [], headers: Record<string, string> = {}) {
  return request(port, {
    method: 'POST',
    path: `/api/${channel}`,
    headers: {
      Host: `127.0.0.1:${port}`,
      'Content-Type': 'application/json',
      'X-EQ-Token': token,
      ...headers,
    },
    body: JSON.stringify({ args }),
  });
}

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'eq-web-'));
  staticDir = path.join(tmp, 'static');
  fs.mkdirSync(path.join(staticDir, 'assets'), { recursive: true });
  fs.writeFileSync(path.join(staticDir, 'index.html'), INDEX_HTML);
  fs.writeFileSync(path.join(staticDir, 'assets', 'app.js'), 'console.log("app");');
  fs.writeFileSync(path.join(staticDir, 'assets', 'app.css'), 'body{}');
  // Things a traversal would be after: a file beside the static folder and a package.json.
  fs.writeFileSync(path.join(tmp, 'secret.txt'), SECRET);
  fs.writeFileSync(path.join(tmp, 'package.json'), JSON.stringify({ name: SECRET }));
  fs.symlinkSync(path.join(tmp, 'secret.txt'), path.join(staticDir, 'assets', 'link.txt'));

  api = await createServices({ configDir: path.join(tmp, 'config'), mode: 'browser' });
  server = await startWebServer({ api, staticDir });
  port = server.port;
  token = server.token;
});

afterAll(async () => {
  await server?.close();
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

describe('address and token', () => {
  it('listens on 127.0.0.1 only and puts a 32-byte URL-safe token in the address', async () => {
    expect(server.url).toBe(`http://127.0.0.1:${port}/?token=${token}`);
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(token, 'base64url')).toHaveLength(32);

    const others = Object.values(os.networkInterfaces())
      .flat()
      .filter((a): a is os.NetworkInterfaceInfo => !!a && a.family === 'IPv4' && !a.internal)
      .map((a) => a.address);
    for (const address of others) {
      const outcome = await new Promise<string>((resolve) => {
        const socket = net.connect({ host: address, port });
        socket.once('connect', () => {
          socket.destroy();
          resolve('connected');
        });
        socket.once('error', (err: NodeJS.ErrnoException) => resolve(err.code ?? 'error'));
      });
      expect(outcome, `reachable on ${address}`).not.toBe('connected');
    }
  });

  it('gives each server its own token unless one is supplied', async () => {
    const other = await startWebServer({ api, staticDir });
    const fixed = await startWebServer({ api, staticDir, token: 'fixed-token-for-test' });
    try {
      expect(other.token).not.toBe(token);
      expect(fixed.token).toBe('fixed-token-for-test');
      expect(fixed.url).toContain('?token=fixed-token-for-test');
    } finally {
      await other.close();
      await fixed.close();
    }
  });
});

describe('events', () => {
  /** GET /api/events as the page reads it, until `count` events came (or the stream ends). */
  function readEvents(headers: Record<string, string>, count: number, onOpen: () => void): Promise<{ status: number; type: string; events: unknown[] }> {
    return new Promise((resolve, reject) => {
      const req = http.get({ host: '127.0.0.1', port, path: '/api/events', headers: { Host: `127.0.0.1:${port}`, ...headers } }, (res) => {
        const events: unknown[] = [];
        let buffer = '';
        const done = () => {
          req.destroy();
          resolve({ status: res.statusCode!, type: String(res.headers['content-type']), events });
        };
        if (res.statusCode !== 200) return done();
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          buffer += chunk;
          if (buffer.startsWith(': events')) {
            buffer = buffer.slice(buffer.indexOf('\n\n') + 2);
            onOpen();
          }
          let end: number;
          while ((end = buffer.indexOf('\n\n')) >= 0) {
            const block = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            if (block.startsWith('data: ')) events.push(JSON.parse(block.slice(6)));
          }
          if (events.length >= count) done();
        });
        res.on('end', done);
      });
      req.on('error', reject);
    });
  }

  it("streams the services' events to a page with the token, and to nobody else", async () => {
    const preview = path.join(tmp, 'schema.json');
    fs.writeFileSync(preview, JSON.stringify({ title: 'Events', metadata: [] }));
    let started: { id: string } | undefined;
    const got = readEvents({ 'X-EQ-Token': token }, 1, () => {
      void api.schemas.previewStart(preview).then((p) => {
        started = p;
        fs.writeFileSync(preview, JSON.stringify({ title: 'Events, edited', metadata: [] }));
      });
    });
    const { status, type, events } = await got;
    expect(status).toBe(200);
    expect(type).toMatch(/^text\/event-stream/);
    expect(events[0]).toMatchObject({ type: 'schemas.preview', preview: { id: started!.id, version: 2, summary: { title: 'Events, edited' } } });
    await api.schemas.previewStop(started!.id);

    expect((await readEvents({ 'X-EQ-Token': 'wrong' }, 1, () => {})).status).toBe(401);
    expect((await readEvents({ 'X-EQ-Token': token, Origin: 'http://evil.example' }, 1, () => {})).status).toBe(403);
    expect((await readEvents({ 'X-EQ-Token': token, Host: 'evil.example' }, 1, () => {})).status).toBe(403);
  });
});

describe('API calls', () => {
  it('refuses a call without a token with 401 and a JSON error', async () => {
    const res = await call('app.info', [], { 'X-EQ-Token': '' });
    expect(res.status).toBe(401);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.json()).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  });

  it('refuses a wrong token, in either header', async () => {
    expect((await call('app.info', [], { 'X-EQ-Token': `${token}x` })).status).toBe(401);
    const bearer = await call('app.info', [], { 'X-EQ-Token': '', Authorization: 'Bearer not-the-token' });
    expect(bearer.status).toBe(401);
  });

  it('accepts the token as a Bearer credential too', async () => {
    const res = await call('app.info', [], { 'X-EQ-Token': '', Authorization: `Bearer ${token}` });
    expect(res.status).toBe(200);
    expect(res.json().ok).toBe(true);
  });

  it('refuses a Host other than 127.0.0.1 or localhost on this port (DNS rebinding)', async () => {
    for (const host of ['evil.example', `evil.example:${port}`, `127.0.0.1:${port + 1}`, `0.0.0.0:${port}`]) {
      const res = await call('app.info', [], { Host: host });
      expect(res.status, host).toBe(403);
      expect(res.json()).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    }
    expect((await call('app.info', [], { Host: `localhost:${port}` })).status).toBe(200);
  });

  it('refuses a foreign Origin and accepts its own', async () => {
    for (const origin of ['https://evil.example', `http://127.0.0.1:${port + 1}`, 'null', `https://127.0.0.1:${port}`]) {
      const res = await call('app.info', [], { Origin: origin });
      expect(res.status, origin).toBe(403);
    }
    expect((await call('app.info', [], { Origin: `http://127.0.0.1:${port}` })).status).toBe(200);
    expect((await call('app.info', [], { Origin: `http://localhost:${port}` })).status).toBe(200);
  });

  it('answers a good call with the envelope dispatch() makes, never cached', async () => {
    const res = await call('app.info');
    expect(res.status).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['referrer-policy']).toBe('no-referrer');
    const envelope = res.json();
    expect(envelope.ok).toBe(true);
    expect(envelope.value.mode).toBe('browser');
    expect(envelope.value.activeEnvironment.name).toBe('Local runner');

    const keys = (await call('keys.list')).json();
    expect(keys.ok).toBe(true);
    expect(keys.value.length).toBeGreaterThanOrEqual(2);
    // The contract: no private key material over the wire.
    expect(JSON.stringify(keys.value)).not.toMatch(/PRIVATE KEY/);
  });

  it('passes a service failure back as an error envelope with its code', async () => {
    const res = await call('keys.remove', ['0000000000000000000000000000000000000000']);
    expect(res.status).toBe(200);
    expect(res.json()).toMatchObject({ ok: false, error: { code: 'key-not-found' } });
  });

  it('answers an unknown channel with 404 JSON', async () => {
    for (const channel of ['keys.steal', 'nothing', 'constructor', '__proto__.x']) {
      const res = await call(channel);
      expect(res.status, channel).toBe(404);
      expect(res.json()).toMatchObject({ ok: false, error: { code: 'not-found' } });
    }
  });

  it('refuses malformed JSON and bodies of the wrong shape with 400', async () => {
    const base = { method: 'POST', path: '/api/app.info' };
    const headers = { Host: `127.0.0.1:${port}`, 'Content-Type': 'application/json', 'X-EQ-Token': token };
    for (const body of ['{"args": [', 'not json', '[]', '{"args": "x"}', 'null']) {
      const res = await request(port, { ...base, headers, body });
      expect(res.status, body).toBe(400);
      expect(res.json()).toMatchObject({ ok: false, error: { code: 'bad-input' } });
    }
  });

  it('refuses a body that is not JSON by content type, and other methods', async () => {
    const textPlain = await request(port, {
      method: 'POST',
      path: '/api/app.info',
      headers: { Host: `127.0.0.1:${port}`, 'Content-Type': 'text/plain', 'X-EQ-Token': token },
      body: '{"args":[]}',
    });
    expect(textPlain.status).toBe(415);
    const get = await request(port, { path: '/api/app.info', headers: { Host: `127.0.0.1:${port}`, 'X-EQ-Token': token } });
    expect(get.status).toBe(405);
  });

  it('refuses a body over the size limit with 413', async () => {
    const res = await new Promise<number>((resolve, reject) => {
      const req = http.request(
        {
          host: '127.0.0.1',
          port,
          method: 'POST',
          path: '/api/keys.importTexts',
          agent: false,
          headers: {
            Host: `127.0.0.1:${port}`,
            'Content-Type': 'application/json',
            'X-EQ-Token': token,
            'Content-Length': 21 * 1024 * 1024,
          },
        },
        (r) => {
          r.resume();
          resolve(r.statusCode!);
        },
      );
      // The server answers before the body arrives and then closes the connection.
      req.on('error', (err) => reject(err));
      req.write('{"args": [');
    });
    expect(res).toBe(413);

    // A chunked body gives no length up front; the limit must still hold.
    const small = await startWebServer({ api, staticDir, maxBodyBytes: 1024 });
    try {
      const r = await request(small.port, {
        method: 'POST',
        path: '/api/keys.importTexts',
        headers: {
          Host: `127.0.0.1:${small.port}`,
          'Content-Type': 'application/json',
          'X-EQ-Token': small.token,
          'Transfer-Encoding': 'chunked',
        },
        body: JSON.stringify({ args: [[{ name: 'big', text: 'x'.repeat(4096) }]] }),
      });
      expect(r.status).toBe(413);
    } finally {
      await small.close();
    }
  });
});

describe('static files', () => {
  const get = (p: string, headers: Record<string, string> = {}) => request(port, { path: p, headers: { Host: `127.0.0.1:${port}`, ...headers } });

  it('serves index.html with a strict CSP and security headers', async () => {
    const res = await get('/');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.text).toBe(INDEX_HTML);
    const csp = res.headers['content-security-policy'];
    expect(csp).toBe(APP_CSP);
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).not.toContain('unsafe-eval');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['referrer-policy']).toBe('no-referrer');
    expect(res.headers['x-frame-options']).toBe('DENY');
    // The page carries no secret and needs no token; the token is only in its address.
    expect((await get('/?token=whatever')).status).toBe(200);
  });

  it('serves assets with their content types', async () => {
    const js = await get('/assets/app.js');
    expect(js.status).toBe(200);
    expect(js.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect((await get('/assets/app.css')).headers['content-type']).toBe('text/css; charset=utf-8');
    const head = await request(port, { method: 'HEAD', path: '/assets/app.js', headers: { Host: `127.0.0.1:${port}` } });
    expect(head.status).toBe(200);
    expect(head.text).toBe('');
  });

  it('falls back to index.html for app routes, never for missing assets', async () => {
    const route = await get('/keys/some-kid');
    expect(route.status).toBe(200);
    expect(route.text).toBe(INDEX_HTML);
    expect((await get('/assets/missing.js')).status).toBe(404);
  });

  it('refuses directory traversal in every spelling', async () => {
    const attempts = [
      '/../package.json',
      '/../secret.txt',
      '/%2e%2e/package.json',
      '/%2E%2E/secret.txt',
      '/%2e%2e%2fsecret.txt',
      '/assets/..%2f..%2fsecret.txt',
      '/assets/../../secret.txt',
      '/..%5csecret.txt',
      '/%252e%252e/secret.txt',
      '/assets/%00.js',
      '/assets/link.txt',
      '//etc/passwd',
      `/${path.join(tmp, 'secret.txt')}`,
    ];
    for (const attempt of attempts) {
      const res = await get(attempt);
      expect(res.text, attempt).not.toContain(SECRET);
      expect(res.text, attempt).not.toContain('"name"');
      expect(res.status === 200 ? res.text : '', attempt).toMatch(/^$|^<!doctype html>/);
    }
    expect((await get('/../package.json')).status).toBe(400);
    expect((await get('/%2e%2e/package.json')).status).toBe(400);
    expect((await get('/assets/link.txt')).status).toBe(404);
  });

  it('applies the Host check to pages too', async () => {
    expect((await get('/', { Host: 'evil.example' })).status).toBe(403);
  });

  it('only serves GET and HEAD', async () => {
    const res = await request(port, { method: 'PUT', path: '/index.html', headers: { Host: `127.0.0.1:${port}` } });
    expect(res.status).toBe(405);
  });
});

describe('closing', () => {
  it('closes even with a keep-alive connection open', async () => {
    const extra = await startWebServer({ api, staticDir });
    const agent = new http.Agent({ keepAlive: true });
    await new Promise<void>((resolve, reject) => {
      http
        .get({ host: '127.0.0.1', port: extra.port, path: '/', agent, headers: { Host: `127.0.0.1:${extra.port}` } }, (r) => {
          r.resume();
          r.on('end', resolve);
        })
        .on('error', reject);
    });
    await extra.close();
    agent.destroy();
    const refused = await new Promise<boolean>((resolve) => {
      const s = net.connect({ host: '127.0.0.1', port: extra.port });
      s.once('connect', () => {
        s.destroy();
        resolve(false);
      });
      s.once('error', () => resolve(true));
    });
    expect(refused).toBe(true);
  });
});
