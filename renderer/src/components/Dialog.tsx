import { useId, useLayoutEffect, useRef, useSyncExternalStore, type ReactNode } from 'react';

// Embedded respondent sessions are native views drawn above the page, so they would hide any
// modal; the sessions strip takes them away while one is open.
let openDialogs = 0;
const listeners = new Set<() => void>();
function changeOpenDialogs(delta: number) {
  openDialogs += delta;
  for (const l of listeners) l();
}

/** True while any Dialog is showing. */
export function useAnyDialogOpen(): boolean {
  return useSyncExternalStore(
    (onChange) => {
      listeners.add(onChange);
      return () => listeners.delete(onChange);
    },
    () => openDialogs > 0,
  );
}

/**
 * A modal built on <dialog>: the browser traps focus, handles Escape and marks the rest of the
 * page inert, which a hand-made overlay would have to imitate.
 */
export function Dialog({
  title,
  onClose,
  children,
  footer,
  testId,
  wide,
}: {
  title: string;
  onClose: () => void;
  children: ReactNode;
  footer?: ReactNode;
  testId?: string;
  wide?: boolean;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();

  // Layout effects: the cleanup runs while the <dialog> is still in the document, so close()
  // can hand focus back to the button that opened it.
  useLayoutEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
    changeOpenDialogs(1);
    return () => {
      dialog?.close();
      changeOpenDialogs(-1);
    };
  }, []);

  return (
    <dialog
      ref={ref}
      className={wide ? 'dialog dialog-wide' : 'dialog'}
      aria-labelledby={titleId}
      data-testid={testId}
      onCancel={(e) => {
        // Let React state decide when the dialog goes away, so the two never disagree.
        e.preventDefault();
        onClose();
      }}
    >
      <header className="dialog-header">
        <h2 id={titleId}>{title}</h2>
        <button type="button" className="icon-button" aria-label="Close" onClick={onClose}>
          ×
        </button>
      </header>
      <div className="dialog-body">{children}</div>
      {footer && <footer className="dialog-footer">{footer}</footer>}
    </dialog>
  );
}
