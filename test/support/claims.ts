// A v2 launch for test_textfield that the runner takes: every required claim fresh, the metadata
// given by the caller (tests differ in what they put there).
import crypto from 'node:crypto';

export function v2LaunchClaims(surveyMetadataData: Record<string, unknown>, extra: Record<string, unknown> = {}): Record<string, unknown> {
  const now = Math.floor(Date.now() / 1000);
  return {
    version: 'v2',
    jti: crypto.randomUUID(),
    tx_id: crypto.randomUUID(),
    iat: now,
    exp: now + 600,
    case_id: crypto.randomUUID(),
    collection_exercise_sid: crypto.randomUUID(),
    response_id: '1234567890123456',
    account_service_url: 'http://localhost:8000',
    response_expires_at: new Date(Date.now() + 86_400_000).toISOString().replace(/\.\d+Z$/, '+00:00'),
    schema_name: 'test_textfield',
    ...extra,
    survey_metadata: { data: surveyMetadataData },
  };
}
