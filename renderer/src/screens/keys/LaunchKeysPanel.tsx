import { useId } from 'react';
import { LAUNCH_ROLES, type KeyInfo, type LaunchRole } from '../../../../shared/api';
import { fitsLaunchRole } from '../../../../shared/key-policy';
import { environmentAbilities } from '../../../../shared/environment-abilities';
import { launchKeyFacts } from '../../../../shared/verdict';
import { ErrorAlert } from '../../components/Alert';
import { Panel } from '../../components/Panel';
import { useConsole } from '../../state/store';

const ROLE_TEXT: Record<LaunchRole, { label: string; missing: string }> = {
  'launch-signing': {
    label: 'Launches are signed with',
    missing: "No launch signing key: import the launcher's signing key (sdc-rrm-authentication-signing-private-v1.pem) or generate one.",
  },
  'launch-encryption': {
    label: 'Launches are encrypted to',
    missing: "Runner public key missing: import the runner's sdc-sr-authentication-encryption-public-v1.pem or its key store.",
  },
};

/**
 * Which key signs this environment's launches and which runner key they are encrypted to. The
 * console picks them as keys arrive; a later import never changes them, and the user can.
 */
export function LaunchKeysPanel() {
  const keys = useConsole((s) => s.keys);
  const environment = useConsole((s) => s.info?.activeEnvironment.name);
  const error = useConsole((s) => s.errors.role);
  const clearError = useConsole((s) => s.clearError);
  const facts = launchKeyFacts(keys);
  // Worded as the environment's abilities are, so this line and that list never disagree.
  const launch = environmentAbilities(keys).find((a) => a.id === 'launch')!;
  const canLaunch = launch.ok === true;
  return (
    <Panel
      id="launch-keys"
      title="Launch keys"
      hint="The key that signs launch and flush tokens, and the runner's key they are encrypted to. Importing more keys never changes them; choose here."
    >
      <p className={canLaunch ? 'inline-status' : 'inline-status inline-status-error'} role="status" data-testid="launch-keys-status">
        {`${environment ?? 'This environment'} ${launch.text}.`}
      </p>
      <dl className="role-picks">
        {LAUNCH_ROLES.map((role) => (
          <RolePick key={role} role={role} keys={keys} current={role === 'launch-signing' ? facts.signer : facts.recipient} />
        ))}
      </dl>
      <ErrorAlert message={error} onDismiss={() => clearError('role')} testId="role-error" />
    </Panel>
  );
}

function RolePick({ role, keys, current }: { role: LaunchRole; keys: KeyInfo[]; current: string | undefined }) {
  const assign = useConsole((s) => s.assignRole);
  const busy = useConsole((s) => s.busy.role);
  const id = useId();
  const candidates = keys.filter((k) => fitsLaunchRole(k, role));
  const text = ROLE_TEXT[role];
  return (
    <div className="role-pick" data-testid={`role-${role}`}>
      <dt>
        <label htmlFor={id}>{text.label}</label>
      </dt>
      <dd>
        {candidates.length === 0 ? (
          <span className="inline-status-error" data-testid={`role-${role}-missing`}>
            {text.missing}
          </span>
        ) : (
          <select id={id} value={current ?? ''} disabled={busy} data-testid={`role-${role}-select`} onChange={(e) => void assign(role, e.target.value)}>
            {current === undefined && <option value="">(none)</option>}
            {candidates.map((k) => (
              <option key={k.kid} value={k.kid}>
                {k.kid.slice(0, 12)}… · {k.label || k.source}
              </option>
            ))}
          </select>
        )}
      </dd>
    </div>
  );
}
