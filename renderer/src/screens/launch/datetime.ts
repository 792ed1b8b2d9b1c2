// Dates and date-times are edited as the ISO text the claims hold (2026-12-02,
// 2026-12-02T10:00:00+00:00): that text is the field, so whatever the claims hold stays visible,
// a bad value included. A native picker beside it only offers a value; these translate between
// the claim and the picker's narrower dialect (<input type="date"> and "datetime-local", which has
// no time zone, so it shows and gives UTC).

export type DateKind = 'date' | 'datetime';

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
// The offset is what makes the text an instant; without one it cannot be shown as UTC.
const DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})$/;

function isCalendarDate(text: string): boolean {
  const m = DATE.exec(text);
  if (!m) return false;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const d = new Date(Date.UTC(year, month - 1, day));
  return d.getUTCFullYear() === year && d.getUTCMonth() === month - 1 && d.getUTCDate() === day;
}

/** What the picker opens on for a claim value: '' when the value is not one it can show (the text field still shows it). */
export function pickerValue(kind: DateKind, value: unknown): string {
  if (typeof value !== 'string') return '';
  const text = value.trim();
  if (kind === 'date') return isCalendarDate(text) ? text : '';
  if (!DATETIME.test(text)) return '';
  const at = new Date(text);
  if (Number.isNaN(at.getTime())) return '';
  // Out-of-range parts (13th month, 25th hour) roll over in Date: such text is not a date-time to offer.
  if (!isCalendarDate(text.slice(0, 10))) return '';
  return at.toISOString().slice(0, 19);
}

/** The picker's value as the claim the runner and the spec both accept, or undefined when it was cleared. */
export function fromPicker(kind: DateKind, input: string): string | undefined {
  if (!input) return undefined;
  if (kind === 'date') return input;
  const withSeconds = input.length === 16 ? `${input}:00` : input.slice(0, 19);
  return `${withSeconds}+00:00`;
}

/** The form of text the field expects, as its placeholder. */
export const PLACEHOLDER: Record<DateKind, string> = {
  date: 'YYYY-MM-DD',
  datetime: 'YYYY-MM-DDThh:mm:ss+00:00',
};

/** Seconds since the epoch, for a hint beside iat and exp. */
export function describeEpoch(value: unknown): string {
  if (typeof value !== 'number' || !Number.isFinite(value)) return '';
  const d = new Date(value * 1000);
  if (Number.isNaN(d.getTime())) return '';
  return d.toISOString().replace('.000Z', 'Z').replace('T', ' ');
}
