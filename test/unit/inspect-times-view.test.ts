// The Times block as React renders it, at a clock this test sets: each epoch claim beside its date,
// the countdown, and the warning when a verdict given before exp has gone stale since.
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { InspectReport } from '../../shared/inspect-types';
import { TokenTimes } from '../../renderer/src/screens/inspect/TokenTimes';

// 2026-12-02T10:15:00Z (see inspect-times.test.ts).
const EXP = 1_796_206_500;

function report(over: Partial<InspectReport> = {}): InspectReport {
  return {
    state: 'runner',
    runnerStatus: 302,
    payloadVersion: 'v2',
    verdict: 'The runner would accept this token.',
    problems: [],
    jweHeader: null,
    jwsHeader: null,
    claims: null,
    kids: { jwe: null, jws: null },
    ...over,
  };
}

const render = (claims: Record<string, unknown>, r: InspectReport) => renderToStaticMarkup(createElement(TokenTimes, { claims, report: r }));

describe('the Times block', () => {
  afterEach(() => vi.useRealTimers());

  it('shows each epoch claim as given and as a UTC date, and the countdown to exp', () => {
    vi.useFakeTimers({ now: (EXP - 252) * 1000 });
    const html = render({ iat: EXP - 3600, nbf: String(EXP - 3600), exp: EXP, response_expires_at: '2026-12-09T10:15:00+00:00' }, report());
    expect(html).toContain('<time dateTime="2026-12-02T09:15:00+00:00"');
    expect(html).toContain('<code data-testid="inspect-time-raw">&quot;1796202900&quot;</code>');
    expect(html).toContain('<time dateTime="2026-12-02T10:15:00+00:00"');
    expect(html).toMatch(/data-expired="false"[^>]*>expires in 4 min 12 s</);
    expect(html).toContain('&quot;2026-12-09T10:15:00+00:00&quot;');
    expect(html).not.toContain('since it was inspected');
  });

  it('says a verdict given before exp is out of date once exp has passed', () => {
    vi.useFakeTimers({ now: (EXP + 180) * 1000 });
    const stale = render({ exp: EXP }, report());
    expect(stale).toMatch(/data-expired="true"[^>]*>expired 3 min ago</);
    expect(stale).toContain('It has expired since it was inspected');
    // A verdict that already says the token expired is not out of date.
    const judged = render({ exp: EXP }, report({ runnerStatus: 401, problems: [{ code: 'exp.expired', path: 'exp', message: 'expired', source: 'runner' }] }));
    expect(judged).not.toContain('since it was inspected');
  });

  it('has no date for a claim that is not seconds since 1970, and no block without clock claims', () => {
    expect(render({ exp: 'tomorrow' }, report())).toContain('not seconds since 1970, so no date');
    expect(render({ exp: 'tomorrow' }, report())).not.toContain('inspect-exp-countdown');
    expect(render({ version: 'v2' }, report())).toBe('');
  });
});
