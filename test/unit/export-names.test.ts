// Export file names (shared/export-names.ts): from the source's name, unique in a session, safe
// on any file system. The official v2 examples are the case that broke the tx_id names: 21 of
// the 22 share one tx_id. They are read from ../shared where present, never copied.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ExportNames, payloadStem, safeStem, sourceStem } from '../../shared/export-names';
import { outcomesExportStem } from '../../renderer/src/state/flush-slice';
import { ONS, skipReason } from '../support/shared';

const EXAMPLES = path.join(ONS, 'schema-definitions/v2/examples/eq_runner_to_downstream/payload_v2');
const haveExamples = !skipReason(fs.existsSync(EXAMPLES) ? undefined : `[export names] examples skipped: ${EXAMPLES} is absent`);
/** Letters, digits, _ . - and one extension; nothing a file system or a shell trips over. */
const SAFE = /^[\p{L}\p{N}_-][\p{L}\p{N}_.-]*\.(json|csv)$/u;

function examples(): { source: string; txId: string }[] {
  return fs
    .readdirSync(EXAMPLES)
    .sort()
    .flatMap((dir) =>
      fs
        .readdirSync(path.join(EXAMPLES, dir))
        .sort()
        .map((f) => {
          const source = path.join(EXAMPLES, dir, f);
          return { source, txId: (JSON.parse(fs.readFileSync(source, 'utf8')) as { tx_id: string }).tx_id };
        }),
    );
}

describe.skipIf(!haveExamples)('export names of the 22 ONS example payloads', () => {
  it('are unique in one session, named after each file, safe, and tell the two folders apart with -2', () => {
    const all = examples();
    expect(all).toHaveLength(22);
    expect(new Set(all.map((e) => e.txId)).size).toBeLessThan(3);

    const names = new ExportNames();
    const json = all.map((e) => names.claim(payloadStem(e.source, e.txId), 'json'));
    const answers = all.map((e) => names.claim(`${payloadStem(e.source, e.txId)}-answers`, 'csv'));
    expect(new Set([...json, ...answers].map((n) => n.toLowerCase())).size).toBe(44);
    for (const name of [...json, ...answers]) expect(name).toMatch(SAFE);
    all.forEach((e, i) => expect(json[i]!.startsWith(`${path.basename(e.source, '.json')}-${e.txId.slice(0, 8)}`)).toBe(true));

    // adhoc/ is read first, so business/'s files of the same name take -2.
    expect(json).toContain('surveyresponse_0_0_3-ea82c224.json');
    expect(json).toContain('surveyresponse_0_0_3-ea82c224-2.json');
    expect(json).toContain('surveyresponse_0_0_3_with_supplementary_data-43c636bb.json');
    expect(answers).toContain('surveyresponse_0_0_3-ea82c224-answers.csv');
  });
});

describe('export names', () => {
  it('take the file name from a path, and the log line for a payload found in a log', () => {
    expect(sourceStem('/tmp/payloads/adhoc/feedback_0_0_1.jwe')).toBe('feedback_0_0_1');
    expect(sourceStem('C:\\Users\\t\\payloads\\business\\surveyresponse_0_0_3.json')).toBe('surveyresponse_0_0_3');
    expect(sourceStem('/var/log/runner.log.1:120')).toBe('runner-line120');
    expect(sourceStem('dump of Test v1.2')).toBe('dump_of_Test_v1.2');
  });

  it('add the first 8 of the tx_id, unless the source is named by it already', () => {
    expect(payloadStem('/x/runner.log:7', 'ea82c224-0f80-41cc-b877-8a7804b56c26')).toBe('runner-line7-ea82c224');
    expect(payloadStem('/bucket/ea82c224-0f80-41cc-b877-8a7804b56c26', 'ea82c224-0f80-41cc-b877-8a7804b56c26')).toBe('ea82c224-0f80-41cc-b877-8a7804b56c26');
    expect(payloadStem('/x/a.json')).toBe('a');
    expect(payloadStem('', '')).toBe('payload');
  });

  it('hold no path separators, hidden-file dots, unsafe characters or Windows device names', () => {
    expect(sourceStem('../../etc/passwd')).toBe('passwd');
    expect(sourceStem('/x/.hidden.json')).toBe('hidden');
    expect(safeStem('a/b\\c:d*e?f"g<h>i|j k')).toBe('a_b_c_d_e_f_g_h_i_j_k');
    expect(safeStem('CON')).toBe('CON_');
    expect(safeStem('x'.repeat(200))).toHaveLength(60);
    expect(safeStem('Llŷr Ôn')).toBe('Llŷr_Ôn');
    const names = new ExportNames();
    expect(names.claim('../../evil', 'json')).toBe('evil.json');
    expect(names.claim('', 'csv')).toBe('export.csv');
  });

  it('number a name asked for again, ignoring case as Windows and macOS do', () => {
    const names = new ExportNames();
    expect([names.claim('a', 'json'), names.claim('A', 'json'), names.claim('a', 'json'), names.claim('a', 'csv')]).toEqual([
      'a.json',
      'A-2.json',
      'a-3.json',
      'a.csv',
    ]);
  });

  it('name flush outcomes after the file of ids when there was one', () => {
    const job = { startedAt: '2025-01-31T09:30:00.123Z' };
    expect(outcomesExportStem(job, null, 'all')).toBe('flush-2025-01-31-09-30-00');
    expect(outcomesExportStem(job, 'ids from Jo.csv', 'nothing-to-flush')).toBe('ids_from_Jo-flush-2025-01-31-09-30-00-nothing-to-flush');
  });
});
