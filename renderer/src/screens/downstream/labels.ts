// Words for an item's state, shared by the items list, the reader and the comparison.
import type { DownstreamItem } from '../../../../shared/downstream/types';

export type Tone = 'ok' | 'bad' | 'warn' | 'neutral';

export interface Badge {
  label: string;
  tone: Tone;
  /** A fuller sentence for the tooltip and screen readers. */
  title: string;
}

/** Opened, verified, valid: one badge for each fact, in the order a payload goes through them. */
export function statusBadges(item: DownstreamItem): Badge[] {
  const out: Badge[] = [];
  if (item.kind === 'jwe') {
    out.push(
      item.decrypted
        ? { label: 'decrypted', tone: 'ok', title: 'Decrypted with a key from the ring' }
        : { label: 'not decrypted', tone: 'bad', title: 'Could not be decrypted' },
    );
  } else if (item.failure?.stage === 'read' || item.failure?.stage === 'parse') {
    out.push({ label: 'unreadable', tone: 'bad', title: 'Could not be read as a payload' });
  } else {
    out.push({ label: 'plain JSON', tone: 'neutral', title: 'Plain JSON: nothing to decrypt or verify' });
  }
  if (item.signatureValid === true) out.push({ label: 'signature ok', tone: 'ok', title: 'The signature verifies with a key in the ring' });
  else if (item.signatureValid === false) out.push({ label: 'signature invalid', tone: 'bad', title: 'The signature does not verify' });
  else if (item.kind === 'jwe' && item.decrypted) out.push({ label: 'not verified', tone: 'warn', title: 'The signature was not checked' });
  // A payload that stopped opening has no verdict: the badges above already say where it stopped.
  if (!item.failure) {
    out.push(
      item.valid
        ? { label: 'valid', tone: 'ok', title: 'Valid against the downstream schema and the upstream rules' }
        : { label: 'invalid', tone: 'bad', title: `${plural(item.problems.length, 'problem')} against the spec` },
    );
  }
  return out;
}

/** The failure as a sentence starting with a capital, or null. */
export function failureText(item: DownstreamItem): string | null {
  if (!item.failure) return null;
  const m = item.failure.message.trim();
  return m ? m[0]!.toUpperCase() + m.slice(1) : `Stopped at ${item.failure.stage}`;
}

export const TYPE_LABELS: Record<DownstreamItem['type'], string> = {
  surveyresponse: 'survey response',
  feedback: 'feedback',
  user_research: 'user research',
  unknown: 'unknown',
};

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n.toLocaleString('en-GB')} ${n === 1 ? one : many}`;
}
