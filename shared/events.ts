// What the Node side tells the UI without being asked, so nothing on the page polls: a flush's
// progress, what a folder watch found, a previewed schema file that changed, the embedded
// sessions. Part of the contract: Electron sends them with webContents.send, browser mode as
// Server-Sent Events behind the same token, Host and Origin checks as the API.
import type { DownstreamWatch } from './downstream/types';
import type { FlushJob, FlushOutcome } from './flush/types';
import type { SchemaPreview, SessionInfo } from './launch-types';

export type ConsoleEvent =
  /** A flush job moved on: its counts and state, and the outcome that just came (at its place in the input). */
  | { type: 'flush.progress'; job: Omit<FlushJob, 'outcomes'>; outcome?: FlushOutcome }
  /** A folder watch found items (only the new ones), or ended. */
  | { type: 'downstream.watch'; watch: DownstreamWatch }
  /** A previewed schema file changed (new version, or an error reading it). */
  | { type: 'schemas.preview'; preview: SchemaPreview }
  /** The embedded respondent sessions changed (desktop only). */
  | { type: 'sessions.changed'; sessions: SessionInfo[] };

export type ConsoleEventType = ConsoleEvent['type'];
export const EVENT_TYPES = ['flush.progress', 'downstream.watch', 'schemas.preview', 'sessions.changed'] as const satisfies readonly ConsoleEventType[];

export type EventListener = (event: ConsoleEvent) => void;

/** How a front door hands events to the page: subscribe, and get back the way to stop. */
export interface ConsoleEvents {
  onEvent(listener: EventListener): () => void;
}

/** The Electron IPC channel events travel on (main → preload). */
export const EVENT_CHANNEL = 'eq-console:event';
