import { useState } from 'react';
import type { RespondentFrom } from '../state/launch-slice';
import { useConsole } from '../state/store';
import { ErrorAlert } from './Alert';

/**
 * "Relaunch as this respondent": the Launch screen's builder filled from a downstream payload, a
 * token or a history entry (the same schema, metadata, language, region, channel, case and
 * collection exercise; fresh ids and times; a new response_id), ready for one click on Launch.
 * `from` is read at the click, so a payload still loading is never taken half-way.
 */
export function RelaunchButton({
  from,
  small,
  testId = 'relaunch-respondent',
  of,
}: {
  from: () => RespondentFrom;
  small?: boolean;
  testId?: string;
  of?: string;
}) {
  const relaunch = useConsole((s) => s.relaunchAsRespondent);
  const anyBusy = useConsole((s) => s.respondentBusy);
  // Only this button says it is busy; the others (a table's rows) just wait.
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  return (
    <>
      <button
        type="button"
        className={small ? 'button button-small' : 'button'}
        disabled={anyBusy}
        aria-busy={busy}
        // Rows of a table each have one: the name says whose.
        aria-label={of ? `Relaunch as this respondent: ${of}` : undefined}
        title="Fill the launch builder with this respondent's schema and metadata, with fresh ids and a new response_id"
        data-testid={testId}
        onClick={async () => {
          setError(null);
          setBusy(true);
          try {
            setError(await relaunch(from()));
          } finally {
            setBusy(false);
          }
        }}
      >
        {busy ? 'Opening the launch builder…' : 'Relaunch as this respondent'}
      </button>
      <ErrorAlert message={error} onDismiss={() => setError(null)} testId={`${testId}-error`} />
    </>
  );
}
