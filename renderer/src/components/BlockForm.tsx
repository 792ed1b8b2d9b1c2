import type { ComponentPropsWithoutRef, ReactNode } from 'react';

/**
 * One input block of a panel (paste this, open that path): a form whose heading is the label of
 * its field, `inputId`. The page never reloads on submit; onSubmit decides whether there is
 * anything to send.
 */
export function BlockForm({
  title,
  inputId,
  busy,
  onSubmit,
  className,
  children,
}: {
  title: string;
  inputId: string;
  busy: boolean | undefined;
  onSubmit: () => void;
  className?: string;
  children: ReactNode;
}) {
  return (
    <form
      className={className ? `import-block ${className}` : 'import-block'}
      aria-busy={busy || undefined}
      onSubmit={(e) => {
        e.preventDefault();
        onSubmit();
      }}
    >
      <h3 className="block-title">
        <label htmlFor={inputId}>{title}</label>
      </h3>
      {children}
    </form>
  );
}

// Paths, keys and tokens are not prose: the browser's spelling marks and autofill only get in the way.

export function PlainTextInput(props: Omit<ComponentPropsWithoutRef<'input'>, 'type' | 'spellCheck' | 'autoComplete'>) {
  return <input type="text" spellCheck={false} autoComplete="off" {...props} />;
}

export function PlainTextArea(props: Omit<ComponentPropsWithoutRef<'textarea'>, 'spellCheck' | 'autoComplete'>) {
  return <textarea spellCheck={false} autoComplete="off" {...props} />;
}

/** Disabled while busy or while there is nothing to send; while busy it says what is under way. */
export function SubmitButton({
  busy,
  empty,
  busyLabel,
  testId,
  children,
}: {
  busy: boolean | undefined;
  empty: boolean;
  busyLabel: string;
  testId: string;
  children: ReactNode;
}) {
  return (
    <button type="submit" className="button" disabled={busy || empty} data-testid={testId}>
      {busy ? busyLabel : children}
    </button>
  );
}
