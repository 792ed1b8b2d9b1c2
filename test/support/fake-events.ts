// A fake API for renderer tests gets the events half of the page's API from here: subscribe as the
// page does, and emit() what the Node side would send.
import type { ConsoleEvent, ConsoleEvents, EventListener } from '../../shared/events';

export function withEvents<T extends object>(api: T): T & ConsoleEvents & { emit(event: ConsoleEvent): void } {
  const listeners = new Set<EventListener>();
  return Object.assign(api, {
    onEvent(listener: EventListener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    emit(event: ConsoleEvent) {
      for (const l of [...listeners]) l(event);
    },
  });
}
