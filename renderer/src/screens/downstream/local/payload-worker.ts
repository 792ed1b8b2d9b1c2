// The payload worker's entry (a module Web Worker the page starts in browser mode): plain JSON
// payload files are read, parsed, validated and indexed here, off the page's main thread.
import { serveLocalPayloads, type LocalRequest, type LocalResponse } from './protocol';

const scope = self as unknown as {
  postMessage(message: LocalResponse): void;
  onmessage: ((event: MessageEvent<LocalRequest>) => void) | null;
};

const handle = serveLocalPayloads((response) => scope.postMessage(response));
scope.onmessage = (event) => handle(event.data);
