import { useId } from 'react';
import type { InspectReport } from '../../../../shared/inspect-types';
import { claimDate, countdown, EPOCH_CLAIMS, epochSeconds } from './times';
import { useSecondClock } from './useSecondClock';

/**
 * The token's clock claims: each epoch-seconds claim beside its UTC date, a live countdown to exp,
 * and response_expires_at as the token gives it (it is a date already).
 */
export function TokenTimes({ claims, report }: { claims: Record<string, unknown>; report: InspectReport }) {
  const titleId = useId();
  const epochs = EPOCH_CLAIMS.filter((name) => claims[name] !== undefined);
  const responseExpiry = claims.response_expires_at;
  if (epochs.length === 0 && responseExpiry === undefined) return null;
  const exp = epochSeconds(claims.exp);
  // A verdict given while the token was valid goes stale once exp passes; the countdown says so.
  const status = report.runnerStatus ?? report.minted?.check.runnerStatus ?? null;
  const judgedLive = status !== null && !report.problems.some((p) => p.code === 'exp.expired');
  return (
    <div className="inspect-times" role="group" aria-labelledby={titleId} data-testid="inspect-times">
      <h3 id={titleId} className="block-title">
        Times
      </h3>
      <div className="table-wrap">
        <table className="data-table">
          <thead>
            <tr>
              <th scope="col">Claim</th>
              <th scope="col">In the token</th>
              <th scope="col">Date (UTC)</th>
            </tr>
          </thead>
          <tbody>
            {epochs.map((name) => {
              const date = claimDate(claims[name]);
              return (
                <tr key={name} data-testid={`inspect-time-${name}`}>
                  <th scope="row">
                    <code>{name}</code>
                  </th>
                  <td>
                    <code data-testid="inspect-time-raw">{JSON.stringify(claims[name])}</code>
                  </td>
                  <td>
                    {date ? (
                      <time dateTime={date} data-testid="inspect-time-date">
                        {date}
                      </time>
                    ) : (
                      <span className="muted">not seconds since 1970, so no date</span>
                    )}
                    {name === 'exp' && exp !== null && <ExpCountdown exp={exp} judgedLive={judgedLive} />}
                  </td>
                </tr>
              );
            })}
            {responseExpiry !== undefined && (
              <tr data-testid="inspect-time-response_expires_at">
                <th scope="row">
                  <code>response_expires_at</code>
                </th>
                <td>
                  <code data-testid="inspect-time-raw">{JSON.stringify(responseExpiry)}</code>
                </td>
                <td>
                  <span className="muted">a date already (ISO 8601), as given</span>
                </td>
              </tr>
            )}
          </tbody>
        </table>
      </div>
    </div>
  );
}

function ExpCountdown({ exp, judgedLive }: { exp: number; judgedLive: boolean }) {
  const now = useSecondClock();
  const { expired, text } = countdown(exp, now);
  return (
    <>
      {' '}
      <span className={expired ? 'countdown countdown-expired' : 'countdown'} role="timer" data-testid="inspect-exp-countdown" data-expired={expired}>
        {text}
      </span>
      {expired && judgedLive && (
        <p className="field-hint" role="status" data-testid="inspect-expired-since">
          It has expired since it was inspected, so the verdict above is out of date: inspect it again.
        </p>
      )}
    </>
  );
}
