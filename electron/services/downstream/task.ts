// One unit of opening work, the same in a worker thread and in this one: a payload file to read
// and open, or a candidate already read (text, a runner log's line), opened into outputs.
import type { Candidate } from './extract';
import { openCandidate } from './open';
import type { KeyResolver } from '../tokens/jwt-profile';
import { type OpenOutput, type OutputMode, Outputs } from './outputs';
import { fileCandidates } from './sources';

export type OpenTask = { kind: 'file'; file: string; size: number } | { kind: 'candidate'; candidate: Candidate; file?: string };

/** Never rejects: a file that cannot be read or opened is an output that says why. */
export async function runTask(task: OpenTask, keys: KeyResolver, mode: OutputMode): Promise<OpenOutput[]> {
  try {
    return await outputsOf(task, keys, mode);
  } catch (err) {
    const source = task.kind === 'file' ? task.file : task.candidate.source;
    return [{ type: 'error', source, message: `Cannot open ${source}: unexpected error: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}.` }];
  }
}

async function outputsOf(task: OpenTask, keys: KeyResolver, mode: OutputMode): Promise<OpenOutput[]> {
  const outputs = new Outputs(mode);
  if (task.kind === 'candidate') {
    outputs.add(task.candidate, task.file, await openCandidate(task.candidate, keys));
    return outputs.list;
  }
  for await (const event of fileCandidates(task.file, task.size)) {
    if (event.type === 'error') outputs.error(event);
    else outputs.add(event.candidate, event.file, await openCandidate(event.candidate, keys));
  }
  return outputs.list;
}

/** How much text a task stands for, for the pipeline's bound on what is outstanding. */
export function taskBytes(task: OpenTask): number {
  return task.kind === 'file' ? task.size : task.candidate.text.length;
}
