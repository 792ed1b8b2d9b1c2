// Browser mode's events: the server's Server-Sent Events stream, read with fetch so the access
// token travels in a header (EventSource cannot send one) and never in a URL. One stream serves
// every listener; it opens with the first, closes with the last, and comes back after a drop.
import { EVENT_TYPES, type ConsoleEvent, type ConsoleEvents, type EventListener } from '../../../shared/events';

export interface EventStreamOptions {
  token: string | null;
  baseUrl?: string;
  fetch?: typeof fetch;
  /** How long to wait before reconnecting, growing to this at most. */
  maxRetryMs?: number;
}

export function createEventStream(options: EventStreamOptions): ConsoleEvents {
  const doFetch = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  const base = (options.baseUrl ?? '').replace(/\/$/, '');
  const maxRetryMs = options.maxRetryMs ?? 10_000;
  const listeners = new Set<EventListener>();
  let abort: AbortController | null = null;

  const deliver = (event: ConsoleEvent) => {
    for (const listener of [...listeners]) listener(event);
  };

  async function run(signal: AbortSignal): Promise<void> {
    let wait = 250;
    while (!signal.aborted) {
      try {
        const res = await doFetch(`${base}/api/events`, {
          headers: { 'X-EQ-Token': options.token ?? '', Accept: 'text/event-stream' },
          credentials: 'omit',
          cache: 'no-store',
          signal,
        });
        // A wrong token will not become right by asking again.
        if (res.status === 401 || res.status === 403) return;
        if (!res.ok || !res.body) throw new Error(`events answered ${res.status}`);
        wait = 250;
        await read(res.body, deliver, signal);
      } catch {
        // Dropped (the server restarted, the machine slept): try again below.
      }
      if (signal.aborted) return;
      await new Promise((resolve) => setTimeout(resolve, wait));
      wait = Math.min(maxRetryMs, wait * 2);
    }
  }

  return {
    onEvent(listener) {
      listeners.add(listener);
      if (!abort && options.token) {
        abort = new AbortController();
        void run(abort.signal);
      }
      return () => {
        listeners.delete(listener);
        if (listeners.size === 0 && abort) {
          abort.abort();
          abort = null;
        }
      };
    },
  };
}

/** SSE framing: events end with a blank line; their data lines carry the JSON. */
async function read(body: ReadableStream<Uint8Array>, deliver: (event: ConsoleEvent) => void, signal: AbortSignal): Promise<void> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  signal.addEventListener('abort', () => void reader.cancel().catch(() => {}), { once: true });
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffer += decoder.decode(value, { stream: true });
    let end: number;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const data = block
        .split('\n')
        .filter((line) => line.startsWith('data:'))
        .map((line) => line.slice(5).trimStart())
        .join('\n');
      if (!data) continue;
      try {
        const event = JSON.parse(data) as ConsoleEvent;
        if ((EVENT_TYPES as readonly string[]).includes(event?.type)) deliver(event);
      } catch {
        // Not an event of ours.
      }
    }
  }
}
