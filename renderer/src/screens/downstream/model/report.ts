// The one line an open leaves beside its input: how many payloads opened, and apart from them how
// many could not be opened, as the command line counts them ("2 valid, 1 invalid, 2 could not be
// opened"). A payload that did not open is not also counted among the payloads that did.
import type { DownstreamItem } from '../../../../../shared/downstream/types';
import { plural } from '../labels';

export interface OpenCounts {
  /** Items that opened (valid or not). */
  opened: number;
  /** Items that stopped opening (not decrypted, signature failed, not a payload). */
  failed: number;
  /** Sources that gave no item at all (unreadable, too big, refused). */
  errors: number;
}

export function openCounts(items: readonly Pick<DownstreamItem, 'failure'>[], errors: number): OpenCounts {
  const failed = items.filter((i) => i.failure).length;
  return { opened: items.length - failed, failed, errors };
}

/** "Opened payloads/: 22 payloads, 2 could not be opened. 1 source could not be read (listed under Payloads)." */
export function openReportText(what: string, { opened, failed, errors }: OpenCounts): string {
  let text: string;
  if (opened === 0 && failed === 0) text = `No payloads found in ${what}.`;
  else if (opened === 0) text = `Found ${plural(failed, 'payload')} in ${what}; ${failed === 1 ? 'it' : 'none'} could ${failed === 1 ? 'not ' : ''}be opened.`;
  else text = `Opened ${what}: ${plural(opened, 'payload')}${failed > 0 ? `, ${failed.toLocaleString('en-GB')} could not be opened` : ''}.`;
  return errors > 0 ? `${text} ${plural(errors, 'source')} could not be read (listed under Payloads).` : text;
}
