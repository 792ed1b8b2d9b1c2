import type { InspectReport } from '../../../../shared/inspect-types';
import { RelaunchButton } from '../../components/RelaunchButton';
import { inspectedRespondent } from '../../state/inspect-slice';

/**
 * Relaunches the token's respondent: its claims to the Launch screen as a new launch, with a new
 * response_id unless the respondent's own is chosen there; or says why there are none to take.
 */
export function EditInBuilder({ report }: { report: InspectReport }) {
  const from = inspectedRespondent(report);
  if ('why' in from) {
    return (
      <p className="muted inspect-edit" data-testid="inspect-edit-unavailable">
        {from.why}
      </p>
    );
  }
  return (
    <div className="inspect-edit">
      <RelaunchButton testId="inspect-edit" from={() => from} />
      <p className="field-hint">
        A new launch from {report.minted ? 'the claims the console minted' : "this token's claims"}, to edit in the launch builder: fresh jti, tx_id, iat, exp
        and response_expires_at, and a new response_id, so the respondent&apos;s stored answers are not touched (the Launch screen offers theirs); the schema,
        the metadata and everything else as they are.
      </p>
    </div>
  );
}
