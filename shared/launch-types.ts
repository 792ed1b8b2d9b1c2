// Types of the Launch capability: schema catalogue, claims builder, launches, history,
// profiles, environments and respondent sessions. Shared by the services, the front doors
// and the renderer.
import type { MetadataField } from './claims/metadata-rules';
import type { Problem, RunnerStatus } from './inspect-types';

export type LaunchPayload = 'v2' | 'v1' | 'legacy';

/** Where a catalogue of questionnaire schemas comes from. */
export type SchemaSource = { kind: 'runner'; runnerUrl: string } | { kind: 'folder'; path: string } | { kind: 'url'; url: string };

export interface SchemaSummary {
  /** The schema_name the runner knows it by (the file name without .json). */
  name: string;
  /** The group it is listed under: the runner's survey type, or the folder it sits in. */
  surveyType: string;
  /** en, cy, ga … when the source tells (folder layout <type>/<language>/<name>.json). */
  language?: string;
  title: string;
  /** The schema's theme; "default" when it names none, as the runner assumes. */
  theme: string;
  surveyId?: string;
  formType?: string;
  dataVersion?: string;
  metadata: MetadataField[];
  /** Set when the runner must load it through schema_url (URL sources, local previews). */
  schemaUrl?: string;
  /** Where the console read it: the runner's /schemas/<name>, a file path, a URL. */
  origin: string;
}

export interface SchemaCatalogue {
  source: SchemaSource;
  schemas: SchemaSummary[];
  /** Schemas listed but unreadable, with the reason. */
  problems: { name: string; reason: string }[];
}

/** A schema file on this machine served on 127.0.0.1 so the runner can load it through schema_url. */
export interface SchemaPreview {
  id: string;
  path: string;
  schemaUrl: string;
  /** Goes up each time the file changes on disk, so the UI can offer a relaunch. */
  version: number;
  changedAt?: string;
  summary?: SchemaSummary;
  /** Why the file cannot be served as it stands (e.g. it stopped being valid JSON). */
  error?: string;
}

/** The inspector's verdict on claims before anything is sent. */
export interface LaunchCheck {
  payloadVersion: LaunchPayload | 'flush' | 'unknown';
  runnerStatus: RunnerStatus;
  verdict: string;
  problems: Problem[];
}

export interface LaunchRequest {
  claims: Record<string, unknown>;
  /** The schema the claims were built for: its metadata is checked, its title labels the history. */
  schema?: SchemaSummary;
  /** Defaults to the active environment's runner. */
  runnerUrl?: string;
  /**
   * How the session opens: embedded (desktop), the user's browser, a tab the page opens itself
   * (browser mode), or not at all (URL only).
   */
  open?: 'embedded' | 'browser' | 'tab' | 'none';
}

export interface RunnerAnswer {
  status: number;
  /** Location of a redirect, when there was one. */
  location?: string;
  at: string;
}

export interface HistoryEntry {
  id: string;
  at: string;
  environmentId: string;
  runnerUrl: string;
  /** Schema title, or the schema selection claim when no schema was known. */
  label: string;
  schemaName?: string;
  /** The schema the launch was built for, so a relaunch is checked against the same metadata. */
  schema?: SchemaSummary;
  payload: LaunchPayload | 'flush' | 'unknown';
  claims: Record<string, unknown>;
  url: string;
  /** What the console predicted before sending. */
  predicted: { runnerStatus: RunnerStatus; verdict: string };
  /** The runner's first answer to the launch, when the console saw it (embedded sessions). */
  answer?: RunnerAnswer;
  /** How the console sent the URL to the runner, if it did: its jti is then used, and a second send is 401. */
  opened?: 'embedded' | 'browser' | 'tab';
  roles: string[];
}

export interface LaunchResult {
  entry: HistoryEntry;
  token: string;
  check: LaunchCheck;
  /** The embedded session, when the front door opened one. */
  session?: SessionInfo;
  /** Why the browser could not be opened, when asked to open it (the launch is still recorded, not as sent). */
  openFailed?: string;
}

export interface Profile {
  id: string;
  name: string;
  environmentId: string;
  payload: LaunchPayload;
  /** The schema it launches, as chosen in the catalogue. */
  schema?: { source: SchemaSource; name: string };
  /** Claims to start from; ids and times are made fresh at each launch. */
  claims: Record<string, unknown>;
  savedAt: string;
}

export interface SessionInfo {
  id: string;
  historyId?: string;
  label: string;
  url: string;
  title: string;
  canGoBack: boolean;
  canGoForward: boolean;
  loading: boolean;
  active: boolean;
  /** Launched with the dumper role: /dump/submission can be previewed. */
  dumper: boolean;
  answer?: RunnerAnswer;
}

export type SessionAction = 'activate' | 'back' | 'forward' | 'reload' | 'devtools' | 'external' | 'close' | 'navigate';

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}
