import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { classifyPayload } from '../../shared/claims/classify';
import { legacySeed003, NOW, validV1, validV2 } from './claims-fixtures';

describe('classifyPayload', () => {
  it('v2 when version is "v2", also with whitespace', () => {
    expect(classifyPayload(validV2())).toBe('v2');
    expect(classifyPayload({ ...validV2(), version: ' v2 ' })).toBe('v2');
  });
  it('a minimal flush token is flush, with or without version', () => {
    const flush = { roles: ['flusher'], response_id: 'abc', jti: randomUUID(), tx_id: randomUUID(), iat: NOW, exp: NOW + 60 };
    expect(classifyPayload(flush)).toBe('flush');
    expect(classifyPayload({ ...flush, version: 'v2' })).toBe('flush');
  });
  it("the Go launcher's flush token (full v2 launch + flusher) is v2, since it names a schema", () => {
    expect(classifyPayload({ ...validV2(), roles: ['flusher'] })).toBe('v2');
  });
  it('v1: no version, a jti and v1 fields', () => {
    expect(classifyPayload(validV1())).toBe('v1');
    const bySchemaName = validV1();
    delete bySchemaName.eq_id;
    delete bySchemaName.form_type;
    bySchemaName.schema_name = 'mbs_0253';
    expect(classifyPayload(bySchemaName)).toBe('v1');
  });
  it('legacy: first-generation fields without a jti (seeds 001 and 003)', () => {
    expect(classifyPayload(legacySeed003())).toBe('legacy');
    const seed001 = {
      tx_id: randomUUID(),
      iat: 1458047712,
      exp: 1458057712,
      user_id: '64389274239',
      ru_ref: '7897897J',
      ru_name: '',
      eq_id: '678',
      collection_exercise_sid: '789',
      form_type: '',
      roles: ['role1', 'role2'],
      response_id: 'x',
    };
    expect(classifyPayload(seed001)).toBe('legacy');
  });
  it('unknown otherwise', () => {
    expect(classifyPayload({})).toBe('unknown');
    expect(classifyPayload({ ...validV2(), version: 'v3' })).toBe('unknown');
    expect(classifyPayload({ ...validV2(), version: null })).toBe('unknown');
    expect(classifyPayload(null)).toBe('unknown');
    expect(classifyPayload(['v2'])).toBe('unknown');
    expect(classifyPayload({ roles: ['dumper'], response_id: 'x' })).toBe('unknown');
  });
});
