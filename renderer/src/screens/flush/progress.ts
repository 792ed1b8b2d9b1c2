// How the Flush screen's progress bar looks: its colour says whether anything failed, not only
// whether the job is over. Green only when every answer so far settled the response; amber when
// some failed; red when nothing did. A cancelled job's ids that were never sent are the
// cancellation's doing, not failures.
import type { FlushJob } from '../../../../shared/flush/types';
import { failedCount, wasNotSent } from '../../state/flush-slice';

export type ProgressTone = 'running' | 'ok' | 'mixed' | 'failed' | 'cancelled';

export interface ProgressLook {
  tone: ProgressTone;
  /** Answers that did not settle their response (refused, errors), not counting ids never sent. */
  failed: number;
  /** How far, in words, for screen readers as well as the eye: "8 of 8, 2 failed". */
  text: string;
  percent: number;
}

export function progressLook(job: Pick<FlushJob, 'running' | 'cancelled' | 'done' | 'total' | 'counts' | 'outcomes'>): ProgressLook {
  const unsent = job.outcomes.filter(wasNotSent).length;
  const failed = failedCount(job.counts) - (job.cancelled ? unsent : 0);
  const settled = job.counts.flushed + job.counts['nothing-to-flush'];
  let tone: ProgressTone;
  if (failed === 0) tone = job.running ? 'running' : job.cancelled ? 'cancelled' : 'ok';
  else tone = settled === 0 ? 'failed' : 'mixed';
  const percent = job.total ? Math.round((job.done / job.total) * 100) : 100;
  return { tone, failed, percent, text: `${job.done} of ${job.total}${failed > 0 ? `, ${failed} failed` : ''}` };
}
