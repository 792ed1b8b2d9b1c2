// Hand-written claim sets for the claims-*.test.ts files, built around a fixed clock.
import { randomUUID } from 'node:crypto';

/** 2025-06-15T15:06:40Z */
export const NOW = 1_750_000_000;

export const isoAt = (seconds: number, offset = '+00:00') => new Date(seconds * 1000).toISOString().replace(/\.\d{3}Z$/, offset);

export function businessData(): Record<string, unknown> {
  return {
    ru_name: 'ACME Ltd',
    user_id: 'UNKNOWN',
    period_id: '202506',
    form_type: '0001',
    ru_ref: '49900000001A',
    survey_id: '009',
  };
}

export function adhocData(): Record<string, unknown> {
  return { qid: '0130000000000300', PARTICIPANT_WINDOW_ID: 'DHR-12345678901-001', PORTAL_ID: '1234567' };
}

/** A v2 launch both the runner and the spec accept at NOW. */
export function validV2(now = NOW): Record<string, unknown> {
  return {
    exp: now + 600,
    iat: now,
    jti: randomUUID(),
    tx_id: randomUUID(),
    version: 'v2',
    account_service_url: 'https://surveys.example.gov.uk',
    case_id: randomUUID(),
    collection_exercise_sid: randomUUID(),
    response_id: 'QzXMrPqoLiyEyerrED88AbkQoQK0sVVX72ZtVphHr0w=',
    response_expires_at: isoAt(now + 7 * 86400),
    schema_name: 'test_checkbox',
    survey_metadata: { data: businessData() },
  };
}

/** A v1 launch (no version) in the shape of the v1 payload specification. */
export function validV1(now = NOW): Record<string, unknown> {
  return {
    exp: now + 600,
    iat: now,
    jti: randomUUID(),
    tx_id: randomUUID(),
    account_service_url: 'https://surveys.example.gov.uk',
    case_id: randomUUID(),
    collection_exercise_sid: randomUUID(),
    period_id: '202506',
    response_id: 'abc',
    ru_ref: '49900000001A',
    user_id: 'UNKNOWN',
    response_expires_at: isoAt(now + 7 * 86400),
    eq_id: 'mbs',
    form_type: '0253',
  };
}

/** A first-generation claim set as seed 003 shows it (strings for iat and exp, no jti). */
export function legacySeed003(now = NOW): Record<string, unknown> {
  return {
    user_id: '64389274239',
    ru_ref: '7897897',
    ru_name: '',
    eq_id: '678',
    collection_exercise_sid: '789',
    period_id: '',
    period_str: '',
    ref_p_start_date: '',
    ref_p_end_date: '',
    form_type: '',
    iat: String(now),
    exp: String(now + 600),
  };
}

export function codes(problems: { code: string }[]): string[] {
  return problems.map((p) => p.code);
}
