// The messages between the page and its payload worker, and the worker's side of them (serve), kept
// apart from the worker's entry so tests can run both ends in one process.
import type { AnswerQuery, AnswerWindow } from '../../../../../shared/downstream/answer-query';
import { LocalPayloads, type LocalFile, type OpenProgress } from './payload-host';

export type LocalRequest = { id: number } & (
  | { op: 'open'; itemId: string; file: LocalFile }
  | { op: 'outline' | 'full' | 'json'; itemId: string }
  | { op: 'answers'; itemId: string; window: AnswerWindow }
  | { op: 'csv'; itemId: string; query: AnswerQuery }
  | { op: 'drop'; itemIds?: string[] }
);

export type LocalResponse = { id: number; ok: true; value: unknown } | { id: number; ok: false; message: string } | { id: number; progress: OpenProgress };

/** Progress is passed on at most this often: a 60 MB file is read in a thousand chunks. */
const PROGRESS_EVERY_MS = 40;

/** The worker's side: each request answered through post, in the order its work finishes. */
export function serveLocalPayloads(post: (response: LocalResponse) => void, host = new LocalPayloads()): (request: LocalRequest) => void {
  return (request) => {
    void answer(host, request, post).then(
      (value) => post({ id: request.id, ok: true, value }),
      (err: unknown) => post({ id: request.id, ok: false, message: err instanceof Error ? err.message : String(err) }),
    );
  };
}

async function answer(host: LocalPayloads, r: LocalRequest, post: (response: LocalResponse) => void): Promise<unknown> {
  switch (r.op) {
    case 'open': {
      let last = -Infinity;
      let stage = '';
      return host.open(r.itemId, r.file, (progress) => {
        const now = performance.now();
        if (progress.stage === stage && now - last < PROGRESS_EVERY_MS) return;
        stage = progress.stage;
        last = now;
        post({ id: r.id, progress });
      });
    }
    case 'outline':
      return host.outline(r.itemId);
    case 'full':
      return host.full(r.itemId);
    case 'json':
      return host.json(r.itemId);
    case 'answers':
      return host.answers(r.itemId, r.window);
    case 'csv':
      return host.csv(r.itemId, r.query);
    case 'drop':
      return host.drop(r.itemIds);
  }
}
