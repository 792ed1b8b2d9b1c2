// How claims name their questionnaire schema. The "<eq_id>_<form_type>" rule lives here only, so
// the builder, the services and the renderer cannot disagree about which schema a token loads.

// Hand-written JSON may give form_type as a number; the name is still the digits.
function text(v: unknown): string | undefined {
  if (typeof v === 'string') return v.trim() || undefined;
  return typeof v === 'number' && Number.isFinite(v) ? String(v) : undefined;
}

/**
 * The schema name the claims select: schema_name, else "<eq_id>_<form_type>" (v1 and first-generation
 * runners), else undefined. Blank values select nothing, as the runners treat them.
 */
export function schemaNameOf(claims: Record<string, unknown>): string | undefined {
  const name = text(claims.schema_name);
  if (name) return name;
  const eqId = text(claims.eq_id);
  const formType = text(claims.form_type);
  return eqId && formType ? `${eqId}_${formType}` : undefined;
}

/** eq_id and form_type from a schema name, the inverse of schemaNameOf for names with an "_". */
export function splitSchemaName(name: string, fallbackFormType = '0001'): { eq_id: string; form_type: string } {
  const i = name.indexOf('_');
  return i > 0 ? { eq_id: name.slice(0, i), form_type: name.slice(i + 1) } : { eq_id: name, form_type: fallbackFormType };
}

/** The file name of a schema URL without .json, as the launcher names URL schemas. */
export function schemaNameFromUrl(url: string): string {
  const file = url.split(/[?#]/)[0]!.split('/').filter(Boolean).pop() ?? url;
  return file.replace(/\.json$/i, '');
}
