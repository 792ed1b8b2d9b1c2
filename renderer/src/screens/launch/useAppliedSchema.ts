import type { SchemaSummary } from '../../../../shared/launch-types';
import { schemaForClaims } from '../../state/launch-slice';
import { useConsole } from '../../state/store';

/** The schema whose metadata the claims are checked against, or null when none applies. */
export function useAppliedSchema(): SchemaSummary | null {
  return useConsole((s) => schemaForClaims(s.claims, s.schema, s.catalogue?.schemas ?? []));
}
