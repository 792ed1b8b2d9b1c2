import type { SchemaSummary } from '../../shared/launch-types';

/** A schema summary shaped like the runner's test_textfield: three required string metadata fields. */
export function schemaSummary(overrides: Partial<SchemaSummary> = {}): SchemaSummary {
  return {
    name: 'test_textfield',
    surveyType: 'test',
    title: 'Test Textfield',
    theme: 'default',
    surveyId: '999',
    metadata: [
      { name: 'user_id', type: 'string' },
      { name: 'period_id', type: 'string' },
      { name: 'ru_name', type: 'string' },
    ],
    origin: 'test',
    ...overrides,
  };
}
