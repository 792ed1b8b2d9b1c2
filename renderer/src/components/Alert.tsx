/** A failure message for the control it sits beside; role="alert" so screen readers announce it. */
export function ErrorAlert({ message, onDismiss, testId }: { message: string | undefined | null; onDismiss?: () => void; testId?: string }) {
  if (!message) return null;
  return (
    <div className="alert alert-error" role="alert" data-testid={testId}>
      <span className="alert-text">{message}</span>
      {onDismiss && (
        <button type="button" className="alert-dismiss" aria-label="Dismiss message" onClick={onDismiss}>
          ×
        </button>
      )}
    </div>
  );
}
