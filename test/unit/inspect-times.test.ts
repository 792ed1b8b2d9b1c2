// The Inspect screen's clock claims in words: epoch seconds as UTC dates, and the countdown to exp,
// with the runner's own rule for when a token has expired (no leeway; expired from exp itself).
import { describe, expect, it } from 'vitest';
import { claimDate, countdown, duration, epochSeconds, utcDate } from '../../renderer/src/screens/inspect/times';

// 2026-12-02T10:15:00Z, worked out by hand: 20,789 days after 1970-01-01 (56 years with 14 leap
// days, then January to November 2026 = 334 days, then 1 day) = 1,796,169,600 s, plus 10:15.
const MOMENT = 1_796_169_600 + 10 * 3600 + 15 * 60;

describe('dates of epoch-seconds claims', () => {
  it('writes a moment as ISO 8601 in UTC with the offset', () => {
    expect(utcDate(MOMENT)).toBe('2026-12-02T10:15:00+00:00');
    expect(utcDate(0)).toBe('1970-01-01T00:00:00+00:00');
    expect(utcDate(MOMENT + 59)).toBe('2026-12-02T10:15:59+00:00');
    // A fraction is shown, not rounded away: the runner refuses a non-integer exp, and the date should not hide it.
    expect(utcDate(MOMENT + 0.25)).toBe('2026-12-02T10:15:00.250+00:00');
    expect(utcDate(-86_400)).toBe('1969-12-31T00:00:00+00:00');
    // Beyond year 9999 ISO 8601 needs the expanded, signed year.
    expect(utcDate(253_402_300_800)).toBe('+010000-01-01T00:00:00+00:00');
  });

  it('reads numbers and digit strings as seconds, and nothing else', () => {
    expect(epochSeconds(MOMENT)).toBe(MOMENT);
    // First-generation tokens carried iat and exp as strings (seed 003).
    expect(epochSeconds(String(MOMENT))).toBe(MOMENT);
    expect(claimDate(String(MOMENT))).toBe('2026-12-02T10:15:00+00:00');
    for (const value of ['soon', '', '12e3', null, true, {}, [MOMENT], Number.NaN, Number.POSITIVE_INFINITY, 1e13]) {
      expect(epochSeconds(value), JSON.stringify(value)).toBeNull();
      expect(claimDate(value)).toBeNull();
    }
  });
});

describe('the countdown to exp', () => {
  it('gives a duration in its two largest units', () => {
    expect(duration(0)).toBe('0 s');
    expect(duration(12)).toBe('12 s');
    expect(duration(60)).toBe('1 min');
    expect(duration(4 * 60 + 12)).toBe('4 min 12 s');
    expect(duration(3600)).toBe('1 h');
    expect(duration(3600 + 59)).toBe('1 h');
    expect(duration(2 * 3600 + 5 * 60 + 9)).toBe('2 h 5 min');
    expect(duration(3 * 86_400 + 4 * 3600 + 1)).toBe('3 d 4 h');
    expect(duration(-5)).toBe('0 s');
  });

  it('counts down to exp and up since it', () => {
    const ms = (s: number) => s * 1000;
    expect(countdown(MOMENT, ms(MOMENT - 252))).toEqual({ expired: false, text: 'expires in 4 min 12 s' });
    expect(countdown(MOMENT, ms(MOMENT + 180))).toEqual({ expired: true, text: 'expired 3 min ago' });
    expect(countdown(MOMENT, ms(MOMENT + 185))).toEqual({ expired: true, text: 'expired 3 min 5 s ago' });
    // A second later, another text: the screen re-renders each second.
    expect(countdown(MOMENT, ms(MOMENT - 251)).text).toBe('expires in 4 min 11 s');
  });

  it('treats the token as expired from the instant now reaches exp, as the runner does', () => {
    // A part-second still to go is still a valid token: it reads 1 s, never 0 s.
    expect(countdown(MOMENT, MOMENT * 1000 - 1)).toEqual({ expired: false, text: 'expires in 1 s' });
    expect(countdown(MOMENT, MOMENT * 1000 - 999)).toEqual({ expired: false, text: 'expires in 1 s' });
    expect(countdown(MOMENT, MOMENT * 1000)).toEqual({ expired: true, text: 'expired just now' });
    expect(countdown(MOMENT, MOMENT * 1000 + 999)).toEqual({ expired: true, text: 'expired just now' });
    expect(countdown(MOMENT, MOMENT * 1000 + 1000)).toEqual({ expired: true, text: 'expired 1 s ago' });
  });
});
