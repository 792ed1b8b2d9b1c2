// Catalogues of questionnaire schemas from the three kinds of source: a runner (GET /schemas, then
// each /schemas/<name>), a folder on this machine, or one schema at a URL.
import fs from 'node:fs';
import path from 'node:path';
import type { ConsoleApi } from '../../../shared/api';
import { SCHEMA_LIMITS, textOverLimit } from '../../../shared/json-limits';
import { ConsoleError } from '../../../shared/errors';
import type { SchemaCatalogue, SchemaSource, SchemaSummary } from '../../../shared/launch-types';
import { runnerBaseUrl, runnerEndpoints } from '../../../shared/runner-url';
import { fetchJson } from './fetch-json';
import { mapLimit } from './map-limit';
import { looksLikeQuestionnaire, summariseSchema } from './summary';
import { trimChars } from '../../../shared/text';

/** Schema requests in flight at once against one runner. */
export const CONCURRENCY = 8;
const MAX_FILE_BYTES = 32 * 1024 * 1024;
const MAX_FILES = 5000;

type Problem = SchemaCatalogue['problems'][number];
type Listing = Record<string, string[]>;

const reason = (err: unknown) => (err instanceof Error ? err.message : String(err));

/** The runner's GET /schemas answer: {"<survey type>": ["<schema name>", …]}. */
function isListing(json: unknown): json is Listing {
  return (
    typeof json === 'object' &&
    json !== null &&
    !Array.isArray(json) &&
    Object.values(json).every((v) => Array.isArray(v) && v.every((n) => typeof n === 'string'))
  );
}

// ---------------------------------------------------------------------------------------------
// Runner

async function runnerListing(base: string): Promise<Listing> {
  const json = await fetchJson(runnerEndpoints.schemas(base), { who: `the runner at ${base}` });
  if (!isListing(json)) throw new ConsoleError('bad-input', `${base}/schemas did not answer with a schema list ({"<survey type>": ["<schema name>", …]})`);
  return json;
}

async function fetchRunnerSchema(base: string, name: string, surveyType: string): Promise<SchemaSummary> {
  const url = runnerEndpoints.schema(base, name);
  let json: unknown;
  try {
    json = await fetchJson(url, { who: `the runner at ${base}` });
  } catch (err) {
    if (err instanceof ConsoleError && err.code === 'not-found')
      throw new ConsoleError('not-found', `the runner at ${base} has no schema named "${name}" (404)`);
    throw err;
  }
  if (!looksLikeQuestionnaire(json)) throw new ConsoleError('bad-input', `${url} is JSON but not a questionnaire schema`);
  return summariseSchema(json, { name, surveyType, origin: url });
}

/** Every schema of a listing, fetched CONCURRENCY at a time; failures become problems. */
async function fetchListed(listing: Listing, fetchOne: (name: string, surveyType: string) => Promise<SchemaSummary>): Promise<Omit<SchemaCatalogue, 'source'>> {
  const entries = Object.entries(listing).flatMap(([surveyType, names]) => names.map((name) => ({ name, surveyType })));
  const schemas: SchemaSummary[] = [];
  const problems: Problem[] = [];
  const results = await mapLimit(entries, CONCURRENCY, async (e) => {
    try {
      return { ok: true as const, summary: await fetchOne(e.name, e.surveyType) };
    } catch (err) {
      return { ok: false as const, problem: { name: e.name, reason: reason(err) } };
    }
  });
  for (const r of results) {
    if (r.ok) schemas.push(r.summary);
    else problems.push(r.problem);
  }
  return { schemas, problems };
}

/** The names the runner lists (GET /schemas), for the verdict's "not in the runner's catalogue" (500). */
export async function runnerSchemaNames(runnerUrl: string): Promise<string[]> {
  return Object.values(await runnerListing(runnerBaseUrl(runnerUrl))).flat();
}

async function runnerCatalogue(runnerUrl: string): Promise<Omit<SchemaCatalogue, 'source'>> {
  const base = runnerBaseUrl(runnerUrl);
  return fetchListed(await runnerListing(base), (name, type) => fetchRunnerSchema(base, name, type));
}

async function runnerSummary(runnerUrl: string, name: string): Promise<SchemaSummary> {
  const base = runnerBaseUrl(runnerUrl);
  // The listing only names the survey type; a runner that cannot list still serves the schema.
  const [listing, schema] = await Promise.allSettled([runnerListing(base), fetchRunnerSchema(base, name, 'other')]);
  if (schema.status === 'rejected') throw schema.reason;
  const type = listing.status === 'fulfilled' ? Object.entries(listing.value).find(([, names]) => names.includes(name))?.[0] : undefined;
  return type ? { ...schema.value, surveyType: type } : schema.value;
}

// ---------------------------------------------------------------------------------------------
// Folder

const LANGUAGE = /^[a-z]{2,3}(?:[-_][A-Za-z]{2,4})?$/;

/**
 * Survey type and language from where a file sits: <type>/<lang>/<name>.json as the runner lays
 * schemas out; <lang>/<name>.json under a folder named for the type; else the parent folder.
 */
export function placeOf(relativePath: string, rootName: string): { surveyType: string; language?: string } {
  const parts = relativePath.split(/[\\/]/).filter(Boolean);
  const dirs = parts.slice(0, -1);
  if (dirs.length >= 2 && LANGUAGE.test(dirs[dirs.length - 1]!)) return { surveyType: dirs[dirs.length - 2]!, language: dirs[dirs.length - 1]! };
  if (dirs.length === 1 && LANGUAGE.test(dirs[0]!)) return { surveyType: rootName, language: dirs[0]! };
  return { surveyType: dirs[dirs.length - 1] ?? rootName };
}

function checkFolder(folder: unknown): string {
  if (typeof folder !== 'string' || !folder.trim()) throw new ConsoleError('bad-input', 'Give the path of a folder of schema files.');
  const dir = path.resolve(folder.trim());
  let stat: fs.Stats;
  try {
    stat = fs.statSync(dir);
  } catch {
    throw new ConsoleError('not-found', `There is no folder ${dir}.`);
  }
  if (!stat.isDirectory()) throw new ConsoleError('bad-input', `${dir} is a file, not a folder: use a URL source or a preview for one schema file.`);
  return dir;
}

/** *.json files below dir, skipping hidden folders and node_modules. */
function jsonFiles(dir: string): { files: string[]; truncated: boolean } {
  const files: string[] = [];
  const walk = (d: string) => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(d, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries.sort((a, b) => a.name.localeCompare(b.name))) {
      if (files.length >= MAX_FILES) return;
      if (e.name.startsWith('.') || e.name === 'node_modules') continue;
      const full = path.join(d, e.name);
      if (e.isDirectory()) walk(full);
      else if (e.isFile() && e.name.toLowerCase().endsWith('.json')) files.push(full);
    }
  };
  walk(dir);
  return { files, truncated: files.length >= MAX_FILES };
}

async function readSchemaFile(file: string): Promise<unknown> {
  const stat = await fs.promises.stat(file);
  if (stat.size > MAX_FILE_BYTES) throw new Error(`the file is ${stat.size} bytes, more than a schema may have`);
  const text = await fs.promises.readFile(file, 'utf8');
  const over = textOverLimit(text, SCHEMA_LIMITS, { noun: 'it' });
  if (over) throw new Error(over);
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new Error(`not valid JSON (${reason(err)})`, { cause: err });
  }
}

async function folderCatalogue(folder: string): Promise<Omit<SchemaCatalogue, 'source'>> {
  const dir = checkFolder(folder);
  const { files, truncated } = jsonFiles(dir);
  const schemas: SchemaSummary[] = [];
  const problems: Problem[] = [];
  const rootName = path.basename(dir);
  await mapLimit(files, CONCURRENCY, async (file) => {
    const rel = path.relative(dir, file);
    try {
      const json = await readSchemaFile(file);
      // Other JSON (package.json, launch examples …) is not a problem, just not a schema.
      if (!looksLikeQuestionnaire(json)) return;
      schemas.push(summariseSchema(json, { name: path.basename(file).replace(/\.json$/i, ''), ...placeOf(rel, rootName), origin: file }));
    } catch (err) {
      problems.push({ name: rel, reason: reason(err) });
    }
  });
  if (truncated) problems.push({ name: dir, reason: `only the first ${MAX_FILES} JSON files were read` });
  schemas.sort((a, b) => a.surveyType.localeCompare(b.surveyType) || a.name.localeCompare(b.name) || (a.language ?? '').localeCompare(b.language ?? ''));
  return { schemas, problems };
}

async function folderSummary(folder: string, name: string): Promise<SchemaSummary> {
  const dir = checkFolder(folder);
  const wanted = name.replace(/\.json$/i, '');
  const { files } = jsonFiles(dir);
  // A relative path picks one file; a bare name prefers English among its translations.
  const matches = files.filter((f) => path.relative(dir, f).replace(/\.json$/i, '') === wanted || path.basename(f).replace(/\.json$/i, '') === wanted);
  const place = (f: string) => placeOf(path.relative(dir, f), path.basename(dir));
  matches.sort((a, b) => Number(place(b).language === 'en') - Number(place(a).language === 'en'));
  const file = matches[0];
  if (!file) throw new ConsoleError('not-found', `There is no schema named "${name}" in ${dir}.`);
  const json = await readSchemaFile(file).catch((err: unknown) => {
    throw new ConsoleError('bad-input', `${file}: ${reason(err)}`);
  });
  if (!looksLikeQuestionnaire(json)) throw new ConsoleError('bad-input', `${file} is JSON but not a questionnaire schema`);
  return summariseSchema(json, { name: path.basename(file).replace(/\.json$/i, ''), ...place(file), origin: file });
}

// ---------------------------------------------------------------------------------------------
// URL

function checkUrl(input: unknown): string {
  const text = typeof input === 'string' ? input.trim() : '';
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new ConsoleError('bad-input', `A schema source URL must be an http(s) address, not "${text}".`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new ConsoleError('bad-input', `A schema source URL must start with http:// or https://.`);
  return text;
}

function urlSummary(url: string, json: Record<string, unknown>): SchemaSummary {
  const { pathname } = new URL(url);
  const name = decodeURIComponent(pathname.split('/').filter(Boolean).pop() ?? 'schema').replace(/\.json$/i, '');
  return summariseSchema(json, { name, ...placeOf(pathname, new URL(url).host), origin: url, schemaUrl: url });
}

/** One schema, or a schema list shaped like the runner's GET /schemas (its members at <url>/<name>). */
async function urlCatalogue(source: string): Promise<Omit<SchemaCatalogue, 'source'>> {
  const url = checkUrl(source);
  const json = await fetchJson(url, { who: url });
  if (looksLikeQuestionnaire(json)) return { schemas: [urlSummary(url, json)], problems: [] };
  if (isListing(json)) {
    const base = trimChars(url.split(/[?#]/)[0]!, '/', 'end');
    return fetchListed(json, async (name, surveyType) => {
      const member = `${base}/${encodeURIComponent(name)}`;
      const one = await fetchJson(member, { who: member });
      if (!looksLikeQuestionnaire(one)) throw new ConsoleError('bad-input', `${member} is JSON but not a questionnaire schema`);
      return { ...urlSummary(member, one), name, surveyType };
    });
  }
  throw new ConsoleError('bad-input', `${url} is JSON but neither a questionnaire schema nor a schema list`);
}

async function urlSummaryOf(source: string, name: string): Promise<SchemaSummary> {
  const { schemas } = await urlCatalogue(source);
  const found = schemas.length === 1 ? schemas[0] : schemas.find((s) => s.name === name);
  if (!found) throw new ConsoleError('not-found', `${source} lists no schema named "${name}".`);
  return found;
}

// ---------------------------------------------------------------------------------------------

export async function loadCatalogue(source: SchemaSource): Promise<SchemaCatalogue> {
  const s = source;
  const found = s.kind === 'runner' ? await runnerCatalogue(s.runnerUrl) : s.kind === 'folder' ? await folderCatalogue(s.path) : await urlCatalogue(s.url);
  return { source: s, ...found };
}

export async function loadSummary(source: SchemaSource, name: string): Promise<SchemaSummary> {
  const s = source;
  if (s.kind === 'runner') return runnerSummary(s.runnerUrl, name.trim());
  if (s.kind === 'folder') return folderSummary(s.path, name.trim());
  return urlSummaryOf(s.url, name.trim());
}

/** The catalogue half of the Schemas operations (previews live in preview.ts). */
export const schemaCatalogue: Pick<ConsoleApi['schemas'], 'catalogue' | 'summary'> = {
  catalogue: loadCatalogue,
  summary: loadSummary,
};
