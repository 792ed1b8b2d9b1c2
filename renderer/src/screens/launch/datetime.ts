// <input type="date"> and <input type="datetime-local"> speak a narrower dialect than the
// claims: these translate, and say when a claim's text cannot be shown in such an input (the
// field then falls back to plain text, so an odd value stays visible and editable).

const DATE = /^\d{4}-\d{2}-\d{2}$/;
// Seconds optional; Z or +00:00 only: the input has no time zone, so it shows UTC.
const UTC_DATETIME = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2})(:\d{2})?(?:\.\d+)?(?:Z|[+-]00:?00)$/;

export function dateForInput(value: unknown): string | null {
  if (value === undefined || value === '') return '';
  return typeof value === 'string' && DATE.test(value) ? value : null;
}

export function dateTimeForInput(value: unknown): string | null {
  if (value === undefined || value === '') return '';
  if (typeof value !== 'string') return null;
  const m = UTC_DATETIME.exec(value);
  return m ? `${m[1]}${m[2] ?? ':00'}` : null;
}

/** The input's "YYYY-MM-DDTHH:MM[:SS]" as the claim the runner and the spec both accept. */
export function dateTimeFromInput(input: string): string | undefined {
  if (!input) return undefined;
  const withSeconds = input.length === 16 ? `${input}:00` : input.slice(0, 19);
  return `${withSeconds}+00:00`;
}

/** Seconds since the epoch, for a hint beside iat and exp. */
export function describeEpoch(value: unknown): string {
  if (typeof value !== 'number' || !Number.isFinite(value)) return '';
  const d = new Date(value * 1000);
  if (Number.isNaN(d.getTime())) return '';
  return d.toISOString().replace('.000Z', 'Z').replace('T', ' ');
}
