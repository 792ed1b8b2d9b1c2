// The services' side of shared/events.ts: producers emit, each front door subscribes once and
// forwards to its page (or, on the command line, prints). A listener that throws is dropped from
// that one delivery, never from the hub, and never stops the others.
import type { ConsoleEvent, ConsoleEvents, EventListener } from '../../shared/events';

export class EventHub implements ConsoleEvents {
  private readonly listeners = new Set<EventListener>();

  onEvent(listener: EventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit(event: ConsoleEvent): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(event);
      } catch (err) {
        console.error(`An event listener failed on ${event.type}: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
  }
}

/** Where producers send events; a service made without a hub (in a test) sends them nowhere. */
export type Emit = (event: ConsoleEvent) => void;
export const noEvents: Emit = () => {};
