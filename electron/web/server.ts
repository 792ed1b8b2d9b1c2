// Browser mode's front door: the same ConsoleApi as the Electron preload, served over loopback
// HTTP so a plain browser (and Playwright) can drive the real UI. Anything else that runs on this
// machine can reach a loopback port too, so every API call must carry the access token printed
// at start-up, and the Host and Origin checks stop other web pages from reaching it by DNS
// rebinding or cross-site requests.
import { randomBytes, createHash, timingSafeEqual } from 'node:crypto';
import { promises as fs } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { isChannel, type ConsoleApi } from '../../shared/api';
import { APP_CSP } from '../../shared/csp';
import type { ErrorCode } from '../../shared/errors';
import { bytes, REQUEST_DEPTH, sentence, textOverLimit } from '../../shared/json-limits';
import type { ConsoleEvents } from '../../shared/events';
import { dispatch } from '../../shared/transport';

export interface WebServerOptions {
  /** The services: the contract's operations, and the events they send the page. */
  api: ConsoleApi & ConsoleEvents;
  /** The built renderer (out/renderer). */
  staticDir: string;
  /** 0 (the default) lets the system choose a free port. */
  port?: number;
  /** Fixed token for callers that hand it out themselves; a random one otherwise. */
  token?: string;
  /** Largest API request body accepted, in bytes. */
  maxBodyBytes?: number;
}

export interface WebServer {
  /** The address to open, token included: http://127.0.0.1:PORT/?token=… */
  url: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

export const LOOPBACK_HOST = '127.0.0.1';
export const TOKEN_HEADER = 'x-eq-token';
export const DEFAULT_MAX_BODY_BYTES = 20 * 1024 * 1024;
const API_PREFIX = '/api/';
/** Server-Sent Events: GET with the token header, as every API call (the page reads it with fetch, not EventSource, so the token never goes in a URL). */
export const EVENTS_PATH = '/api/events';
/** A comment line now and then, so proxies and the browser keep an idle stream open. */
const KEEPALIVE_MS = 20_000;

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.wasm': 'application/wasm',
};

export function generateToken(): string {
  return randomBytes(32).toString('base64url');
}

export async function startWebServer(options: WebServerOptions): Promise<WebServer> {
  const { api } = options;
  const token = options.token ?? generateToken();
  if (!token) throw new Error('The access token must not be empty');
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const staticRoot = await fs.realpath(path.resolve(options.staticDir)).catch(() => path.resolve(options.staticDir));
  // Hashing both sides gives equal-length buffers, so the comparison time says nothing about the token.
  const tokenDigest = sha256(token);
  let port = 0;

  const server = http.createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      // A failure here is a bug in this file, not in a service (dispatch catches those).
      if (!res.headersSent) {
        sendError(res, 500, 'internal', `Unexpected error: ${err instanceof Error ? err.message : String(err)}`);
      } else {
        res.destroy();
      }
    });
  });

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    setCommonHeaders(res);
    if (!hostAllowed(req.headers.host, port)) {
      return sendError(res, 403, 'forbidden', 'This server only answers requests addressed to 127.0.0.1 or localhost.');
    }
    const origin = req.headers.origin;
    if (origin !== undefined && !originAllowed(origin, port)) {
      return sendError(res, 403, 'forbidden', 'Requests from other web sites are refused.');
    }
    const rawPath = (req.url ?? '/').split('?')[0]!;
    if (rawPath === '/api' || rawPath.startsWith(API_PREFIX)) return handleApi(req, res, rawPath);
    return handleStatic(req, res, rawPath);
  }

  async function handleApi(req: http.IncomingMessage, res: http.ServerResponse, rawPath: string): Promise<void> {
    res.setHeader('Cache-Control', 'no-store');
    if (!tokenPresented(req, tokenDigest)) {
      return sendError(res, 401, 'forbidden', 'Missing or wrong access token. Open the address the console printed when it started.');
    }
    if (rawPath === EVENTS_PATH) return streamEvents(req, res);
    if (req.method !== 'POST') {
      res.setHeader('Allow', 'POST');
      return sendError(res, 405, 'bad-input', 'API calls must use POST.');
    }
    const channel = safeDecode(rawPath.slice(API_PREFIX.length));
    if (!isChannel(channel)) {
      return sendError(res, 404, 'not-found', `Unknown operation: ${channel ?? rawPath}`);
    }
    // A JSON content type cannot be sent cross-site without a CORS preflight, which this server never grants.
    const contentType = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
    if (contentType !== 'application/json') {
      return sendError(res, 415, 'bad-input', 'API calls must send a JSON body (Content-Type: application/json).');
    }
    const body = await readBody(req, maxBodyBytes);
    if (body === 'too-large') {
      res.setHeader('Connection', 'close');
      const declared = Number(req.headers['content-length']);
      const size = Number.isFinite(declared) && declared > maxBodyBytes ? bytes(declared) : `over ${bytes(maxBodyBytes)}`;
      sendError(res, 413, 'bad-input', `The request is ${size}; the console reads requests of at most ${bytes(maxBodyBytes)}.`);
      // Closing with unread data in the socket makes the kernel send a reset, which can wipe out
      // the 413 before the client reads it: discard what is still coming, then close for good.
      req.resume();
      res.on('finish', () => setTimeout(() => req.socket.destroy(), 2000).unref());
      return;
    }
    const text = body.toString('utf8');
    // Before JSON.parse: a value nested thousands deep overflows whatever walks it next (a 10 MB one froze this server).
    const over = textOverLimit(text, { depth: REQUEST_DEPTH, chars: maxBodyBytes }, { noun: 'the request' });
    if (over) return sendError(res, 400, 'bad-input', sentence(over));
    let args: unknown[];
    try {
      const parsed: unknown = body.length === 0 ? {} : JSON.parse(text);
      if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('not an object');
      const given = (parsed as { args?: unknown }).args;
      if (given !== undefined && !Array.isArray(given)) throw new Error('args is not a list');
      args = (given as unknown[] | undefined) ?? [];
    } catch {
      return sendError(res, 400, 'bad-input', 'The request body must be JSON of the form {"args": [...]}.');
    }
    const envelope = await dispatch(api, channel, args);
    sendJson(res, 200, envelope);
  }

  function streamEvents(req: http.IncomingMessage, res: http.ServerResponse): void {
    if (req.method !== 'GET') {
      res.setHeader('Allow', 'GET');
      return sendError(res, 405, 'bad-input', 'The event stream is read with GET.');
    }
    res.writeHead(200, { 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-store', Connection: 'keep-alive' });
    res.write(': events\n\n');
    const stop = api.onEvent((event) => res.write(`data: ${JSON.stringify(event)}\n\n`));
    const keepalive = setInterval(() => res.write(': keepalive\n\n'), KEEPALIVE_MS);
    const end = () => {
      stop();
      clearInterval(keepalive);
    };
    req.on('close', end);
    res.on('error', end);
  }

  async function handleStatic(req: http.IncomingMessage, res: http.ServerResponse, rawPath: string): Promise<void> {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('Allow', 'GET, HEAD');
      return sendError(res, 405, 'bad-input', 'Only GET and HEAD are served here.');
    }
    const segments = staticSegments(rawPath);
    if (segments === null) return sendError(res, 400, 'bad-input', 'Bad path.');
    const wanted = segments.length === 0 ? 'index.html' : segments.join('/');
    let file = await resolveStaticFile(staticRoot, wanted);
    // Client-side routes have no file extension; a missing asset must stay a 404 and never become HTML.
    if (!file && path.extname(wanted) === '') file = await resolveStaticFile(staticRoot, 'index.html');
    if (!file) return sendError(res, 404, 'not-found', 'Not found.');
    const type = CONTENT_TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
    const data = await fs.readFile(file);
    res.statusCode = 200;
    res.setHeader('Content-Type', type);
    res.setHeader('Content-Length', data.length);
    // The bundle's file names change with every build; the page itself must never be stale.
    res.setHeader('Cache-Control', type.startsWith('text/html') ? 'no-store' : 'no-cache');
    res.end(req.method === 'HEAD' ? undefined : data);
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, LOOPBACK_HOST, () => {
      server.off('error', reject);
      resolve();
    });
  });
  port = (server.address() as AddressInfo).port;

  let closing: Promise<void> | undefined;
  return {
    url: `http://${LOOPBACK_HOST}:${port}/?token=${encodeURIComponent(token)}`,
    port,
    token,
    close() {
      closing ??= new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        // Keep-alive sockets from a browser would otherwise hold close() open indefinitely.
        server.closeAllConnections();
      });
      return closing;
    },
  };
}

function setCommonHeaders(res: http.ServerResponse): void {
  // Also on API replies and errors: a JSON body opened as a page must not run anything either.
  res.setHeader('Content-Security-Policy', APP_CSP);
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Referrer-Policy', 'no-referrer');
  res.setHeader('X-Frame-Options', 'DENY');
  res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
  res.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
  res.setHeader('Permissions-Policy', 'camera=(), microphone=(), geolocation=(), usb=(), serial=(), hid=()');
}

function sendJson(res: http.ServerResponse, status: number, value: unknown): void {
  const body = Buffer.from(jsonText(value), 'utf8');
  res.statusCode = status;
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.setHeader('Content-Length', body.length);
  res.setHeader('Cache-Control', 'no-store');
  res.end(body);
}

/**
 * The reply's JSON. The limits keep every value the services hand out shallow enough; should one
 * still overflow the stack, the page gets an error that says so rather than a bare 500.
 */
function jsonText(value: unknown): string {
  try {
    return JSON.stringify(value);
  } catch (err) {
    if (!(err instanceof RangeError)) throw err;
    return JSON.stringify({ ok: false, error: { code: 'internal', message: `The answer is too deeply nested to send (${err.message}).` } });
  }
}

/** Errors use the same envelope as service failures, so the client has one shape to read. */
function sendError(res: http.ServerResponse, status: number, code: ErrorCode, message: string): void {
  sendJson(res, status, { ok: false, error: { code, message } });
}

function sha256(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}

function tokenPresented(req: http.IncomingMessage, expected: Buffer): boolean {
  const header = req.headers[TOKEN_HEADER];
  let given = Array.isArray(header) ? header[0] : header;
  if (!given) {
    const auth = req.headers.authorization;
    const match = auth ? /^Bearer\s+(\S+)\s*$/i.exec(auth) : null;
    given = match?.[1];
  }
  if (!given) return false;
  return timingSafeEqual(sha256(given), expected);
}

export function hostAllowed(host: string | undefined, port: number): boolean {
  if (!host) return false;
  const h = host.toLowerCase();
  return h === `127.0.0.1:${port}` || h === `localhost:${port}`;
}

export function originAllowed(origin: string, port: number): boolean {
  const o = origin.toLowerCase();
  return o === `http://127.0.0.1:${port}` || o === `http://localhost:${port}`;
}

function safeDecode(value: string): string | null {
  try {
    return decodeURIComponent(value);
  } catch {
    return null;
  }
}

/**
 * The request path as plain file-name segments, or null when any segment could climb out of
 * the static folder: "..", ".", encoded slashes or backslashes, NUL, or bad percent-encoding.
 * Checked on the raw path, before anything normalises "/a/../b" into something harmless-looking.
 */
function staticSegments(rawPath: string): string[] | null {
  if (!rawPath.startsWith('/')) return null;
  const out: string[] = [];
  for (const raw of rawPath.split('/').slice(1)) {
    const seg = safeDecode(raw);
    if (seg === null) return null;
    if (seg === '.' || seg === '..' || /[\\/\0:]/.test(seg)) return null;
    if (seg !== '') out.push(seg);
  }
  return out;
}

async function resolveStaticFile(root: string, relative: string): Promise<string | null> {
  const candidate = path.resolve(root, relative);
  if (!isInside(root, candidate)) return null;
  try {
    // A symlink inside the folder must not lead outside it either.
    const real = await fs.realpath(candidate);
    if (!isInside(root, real)) return null;
    const stat = await fs.stat(real);
    return stat.isFile() ? real : null;
  } catch {
    return null;
  }
}

function isInside(root: string, candidate: string): boolean {
  const rel = path.relative(root, candidate);
  return rel !== '' && rel !== '..' && !rel.startsWith(`..${path.sep}`) && !path.isAbsolute(rel);
}

type BodyResult = Buffer | 'too-large';

function readBody(req: http.IncomingMessage, limit: number): Promise<BodyResult> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) return Promise.resolve('too-large');
  return new Promise<BodyResult>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        done = true;
        req.off('data', onData);
        req.pause();
        resolve('too-large');
        return;
      }
      chunks.push(chunk);
    };
    req.on('data', onData);
    req.on('end', () => {
      if (!done) resolve(Buffer.concat(chunks));
    });
    req.on('error', (err) => {
      if (!done) reject(err);
    });
  });
}
