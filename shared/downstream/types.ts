// Downstream payloads as the Downstream screen and the CLI see them.
import type { DownstreamProblem } from './check';
import type { DownstreamDataVersion, DownstreamPayloadVersion, DownstreamType } from './classify';

/** What to open: text handed over by the page (drop, paste, picker), or a file or folder on this machine. */
export type DownstreamSource = { kind: 'text'; name: string; text: string } | { kind: 'path'; path: string };

/** Where opening stopped, when it did. */
export type DownstreamFailure = 'read' | 'decrypt' | 'signature' | 'parse';

export interface DownstreamItem {
  /** Unique within the console process; fetch the full payload with downstream.payload(id). */
  id: string;
  /** The file path or name, with :<line> for a payload found in a log. */
  source: string;
  kind: 'jwe' | 'json';
  decrypted: boolean;
  /** null when there was no signature to check (plain JSON) or it was never reached. */
  signatureValid: boolean | null;
  payloadVersion: DownstreamPayloadVersion;
  type: DownstreamType;
  dataVersion: DownstreamDataVersion;
  /** Opened, verified and schema-valid. */
  valid: boolean;
  /** The plain reason opening stopped: "cannot decrypt (it wants kid X, the key ring has …)", "signature invalid". */
  failure?: { stage: DownstreamFailure; message: string };
  problems: DownstreamProblem[];
  jweHeader?: Record<string, unknown>;
  jwsHeader?: Record<string, unknown>;
  /** Envelope facts for lists, without loading the payload. */
  summary: {
    txId?: string;
    caseId?: string;
    schema?: string;
    submittedAt?: string;
    flushed?: boolean;
    answers?: number;
  };
}

export interface DownstreamResult {
  items: DownstreamItem[];
  /** Sources that could not be read at all (a missing path, an unreadable file). */
  errors: { source: string; message: string }[];
}

export interface DownstreamWatch {
  id: string;
  path: string;
  /** Items found since the watch started, oldest first; from watchStatus(id, since), those after the first `since`. */
  items: DownstreamItem[];
  errors: { source: string; message: string }[];
  /** Why the watch stopped by itself (the folder was removed or became unreadable); absent while it runs. */
  ended?: string;
}
