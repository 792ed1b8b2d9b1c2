// The page's handle on its payload worker: requests as promises, an open's progress as callbacks.
// One worker, started when the first plain JSON file is picked in browser mode.
import type { AnswerPage, AnswerQuery, AnswerWindow } from '../../../../../shared/downstream/answer-query';
import type { LocalFile, LocalOpened, OpenProgress } from './payload-host';
import type { LocalRequest, LocalResponse } from './protocol';

/** What the client needs of a Worker (tests hand it one that runs serveLocalPayloads in-process). */
export interface WorkerLike {
  postMessage(message: LocalRequest): void;
  addEventListener(type: 'message', listener: (event: MessageEvent<LocalResponse>) => void): void;
  addEventListener(type: 'error', listener: (event: Event) => void): void;
}

type Distributive<T> = T extends unknown ? Omit<T, 'id'> : never;

interface Waiting {
  resolve(value: unknown): void;
  reject(err: Error): void;
  progress?: (p: OpenProgress) => void;
}

export class LocalPayloadClient {
  private next = 0;
  private readonly waiting = new Map<number, Waiting>();
  private broken: string | null = null;

  constructor(private readonly worker: WorkerLike) {
    worker.addEventListener('message', (event: MessageEvent<LocalResponse>) => {
      const r = event.data;
      const w = this.waiting.get(r.id);
      if (!w) return;
      if ('progress' in r) return w.progress?.(r.progress);
      this.waiting.delete(r.id);
      if (r.ok) w.resolve(r.value);
      else w.reject(new Error(r.message));
    });
    worker.addEventListener('error', (event: Event) => {
      // A worker that cannot start (or dies) fails what is waiting, and everything after.
      this.broken = `The page's payload worker stopped: ${(event as ErrorEvent).message || 'it could not start'}`;
      for (const w of this.waiting.values()) w.reject(new Error(this.broken));
      this.waiting.clear();
    });
  }

  open(itemId: string, file: LocalFile, progress?: (p: OpenProgress) => void): Promise<LocalOpened> {
    return this.call({ op: 'open', itemId, file }, progress) as Promise<LocalOpened>;
  }

  outline(itemId: string): Promise<unknown> {
    return this.call({ op: 'outline', itemId });
  }

  full(itemId: string): Promise<unknown> {
    return this.call({ op: 'full', itemId });
  }

  json(itemId: string): Promise<string> {
    return this.call({ op: 'json', itemId }) as Promise<string>;
  }

  answers(itemId: string, window: AnswerWindow): Promise<AnswerPage> {
    return this.call({ op: 'answers', itemId, window }) as Promise<AnswerPage>;
  }

  csv(itemId: string, query: AnswerQuery): Promise<string> {
    return this.call({ op: 'csv', itemId, query }) as Promise<string>;
  }

  drop(itemIds?: string[]): Promise<void> {
    return this.call(itemIds ? { op: 'drop', itemIds } : { op: 'drop' }) as Promise<void>;
  }

  private call(request: Distributive<LocalRequest>, progress?: (p: OpenProgress) => void): Promise<unknown> {
    if (this.broken) return Promise.reject(new Error(this.broken));
    const id = ++this.next;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject, ...(progress ? { progress } : {}) });
      this.worker.postMessage({ ...request, id } as LocalRequest);
    });
  }
}

/** The worker, where the page can start one; null elsewhere (tests in Node, a page without Web Workers). */
export function startLocalPayloads(): LocalPayloadClient | null {
  if (typeof Worker !== 'function') return null;
  return new LocalPayloadClient(new Worker(new URL('./payload-worker.ts', import.meta.url), { type: 'module', name: 'eq-console-payloads' }));
}
