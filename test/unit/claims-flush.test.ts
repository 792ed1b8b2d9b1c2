import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { checkFlush } from '../../shared/claims/flush-rules';
import { predictRunnerStatus } from '../../shared/claims/predict';
import { codes, NOW } from './claims-fixtures';

const flush = (patch: Record<string, unknown> = {}) => ({
  roles: ['flusher'],
  response_id: 'QzXMrPqoLiyEyerrED88AbkQoQK0sVVX72ZtVphHr0w=',
  jti: randomUUID(),
  tx_id: randomUUID(),
  iat: NOW,
  exp: NOW + 60,
  ...patch,
});

describe('checkFlush', () => {
  it('accepts a flush token; exp and jti are not looked at', () => {
    expect(checkFlush(flush())).toEqual([]);
    expect(checkFlush(flush({ exp: NOW - 3600, jti: 'not-a-uuid' }))).toEqual([]);
  });
  it('roles without flusher, or no roles, is 403', () => {
    expect(checkFlush(flush({ roles: ['dumper'] }))).toEqual([expect.objectContaining({ code: 'flush.roles', path: 'roles', status: 403, source: 'runner' })]);
    expect(checkFlush(flush({ roles: undefined }))[0]).toMatchObject({ code: 'flush.roles', status: 403 });
    expect(checkFlush(flush({ roles: [] }))[0]).toMatchObject({ code: 'flush.roles', status: 403 });
  });
  it('roles as a number crashes the runner: 500', () => {
    expect(checkFlush(flush({ roles: 1 }))[0]).toMatchObject({ code: 'flush.roles-crash', status: 500 });
  });
  it('roles as a string passes by substring, flagged without a status', () => {
    const problems = checkFlush(flush({ roles: 'noflusherhere' }));
    expect(problems).toEqual([expect.objectContaining({ code: 'flush.roles-shape' })]);
    expect(problems[0].status).toBeUndefined();
  });
  it('response_id missing or not a string is 500', () => {
    expect(checkFlush(flush({ response_id: undefined }))).toEqual([expect.objectContaining({ code: 'flush.response-id', path: 'response_id', status: 500 })]);
    expect(checkFlush(flush({ response_id: 42 }))[0]).toMatchObject({ code: 'flush.response-id', status: 500 });
  });
  it('decryption-time claim formats apply, with the flush. prefix', () => {
    expect(codes(checkFlush(flush({ iat: 'x' })))).toEqual(['flush.token.claim-format']);
  });
  it('every code starts with flush. and none has a stage, so /session prediction ignores them', () => {
    const problems = checkFlush({ roles: ['x'], iat: 'x' });
    expect(problems.every((p) => p.code.startsWith('flush.') && p.stage === undefined)).toBe(true);
    expect(predictRunnerStatus(problems)).toBe(302);
  });
});
