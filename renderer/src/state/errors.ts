/**
 * The sentence to show for a failed call. Services throw ConsoleError with a message written for
 * users; anything else is cut to its first line so a stack trace never reaches the screen.
 */
export function errorMessage(err: unknown): string {
  // The Electron preload rejects with a plain {code, message} object: contextBridge would strip an Error's code.
  const raw =
    err instanceof Error
      ? err.message
      : typeof err === 'string'
        ? err
        : typeof (err as { message?: unknown } | null)?.message === 'string'
          ? (err as { message: string }).message
          : 'Something went wrong.';
  // Electron prefixes rejected IPC calls with "Error invoking remote method '…': Error: ".
  const unwrapped = raw.replace(/^Error invoking remote method '[^']*': (?:\w*Error: )?/, '');
  return unwrapped.split('\n')[0]!.trim() || 'Something went wrong.';
}
