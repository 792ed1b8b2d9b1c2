// Where a problem's JSON path points on the reader, so clicking it can show the row.
export type ProblemTarget =
  | { section: 'answers'; rowId: string }
  | { section: 'answer_codes'; rowId: string }
  | { section: 'lists'; rowId: string }
  | { section: 'data'; rowId: string }
  | { section: 'metadata'; rowId: string }
  | { section: 'envelope'; rowId: string };

const KEY = String.raw`(?:\.([A-Za-z0-9_$-]+)|\[("(?:[^"\\]|\\.)*")\])`;
const INDEXED = /^data\.(answers|answer_codes|lists)\[(\d+)\]/;
export const METADATA_PATH = new RegExp(`^(survey_metadata|metadata)${KEY}`);
export const DATA_PATH = new RegExp(`^data${KEY}`);
const TOP = /^([A-Za-z0-9_$-]+)/;

const keyOf = (plain: string | undefined, quoted: string | undefined) => plain ?? (JSON.parse(quoted!) as string);

/**
 * data.answers[3].value → the answers row 3; survey_metadata.ru_ref → that metadata row;
 * data["0001"] → the q_code or feedback field; collection.period and tx_id → the envelope fact.
 * null when the path names the payload or data as a whole.
 */
export function problemTarget(path: string): ProblemTarget | null {
  let m = INDEXED.exec(path);
  if (m) return { section: m[1] as 'answers' | 'answer_codes' | 'lists', rowId: m[2]! };
  m = METADATA_PATH.exec(path);
  if (m) return { section: 'metadata', rowId: keyOf(m[2], m[3]) };
  m = DATA_PATH.exec(path);
  if (m) {
    const key = keyOf(m[1], m[2]);
    // data.answers or data.lists as a whole have no row to point at.
    return key === 'answers' || key === 'answer_codes' || key === 'lists' || key === 'supplementary_data' ? null : { section: 'data', rowId: key };
  }
  if (path === 'data' || path === '') return null;
  if (path.startsWith('collection.')) return { section: 'envelope', rowId: path.split(/[.[]/).slice(0, 2).join('.') };
  m = TOP.exec(path);
  return m ? { section: 'envelope', rowId: m[1]! } : null;
}

/**
 * A problem's message without the path it starts with ("data.answers[3] must be …" → "must be …"),
 * for lists that already show the path beside it.
 */
export function messageAfterPath(path: string, message: string): string {
  const lead = path === '' ? 'the payload ' : `${path} `;
  return message.startsWith(lead) ? message.slice(lead.length) : message;
}
