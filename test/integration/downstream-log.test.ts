// Payloads found in runner logs: the stand-in runner flushes a response downstream through its
// `log` backend (a JSON line in runner.log, and <tx_id>.jwe), and the console finds, opens and
// names it by file and line; structlog's key=value form is read the same way.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DownstreamService } from '../../electron/services/downstream/service';
import { flushAll } from '../../electron/services/flush/batch';
import { importTexts, readKeyFiles } from '../../electron/services/keyring/import';
import { KeyRing } from '../../electron/services/keyring/keyring';
import { launchKeys } from '../../electron/services/tokens/launch-keys';
import { KIDS, ONS, RUNNER_KEYS_DIR, sharedMissing, skipReason } from '../support/shared';
import { standInMissing, startStandInRunner, type StandInRunner } from '../support/stand-in-runner';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'eqc-ds-log-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe.skipIf(skipReason(sharedMissing(), standInMissing()))('payloads in runner logs', () => {
  const downstreamDir = path.join(tmp, 'downstream');
  let runner: StandInRunner;
  let service: DownstreamService;
  beforeAll(async () => {
    fs.mkdirSync(downstreamDir);
    runner = await startStandInRunner({ schemasDir: path.join(ONS, 'runner/schemas'), downstreamDir });
    const ring = new KeyRing();
    importTexts(ring, readKeyFiles([RUNNER_KEYS_DIR]));
    service = new DownstreamService({ ring: async () => ring });
    const business = { survey_id: '139', ru_ref: '12345678901A', ru_name: 'Example Ltd', user_id: 'u-1', period_id: '202503', form_type: '0001' };
    await runner.seed([{ response_id: 'log-1', answers: { 'name-answer': 'Ada' }, claims: { schema_name: 'test_textfield', survey_metadata: { data: business } } }]);
    const [flushed] = await flushAll(['log-1'], { runnerUrl: runner.url, keys: launchKeys(ring) });
    expect(flushed!.outcome).toBe('flushed');
  });
  afterAll(async () => {
    await runner?.close();
  });

  it('opens the flushed payload from runner.log, named by line, and from its <tx_id>.jwe', async () => {
    const [sent] = await runner.downstream();
    const { items, errors } = await service.open([{ kind: 'path', path: downstreamDir }]);
    expect(errors).toEqual([]);
    expect(items.map((i) => i.source)).toEqual([path.join(downstreamDir, `${sent!.tx_id}.jwe`), path.join(downstreamDir, 'runner.log:1')]);
    for (const item of items) {
      expect(item).toMatchObject({ kind: 'jwe', decrypted: true, signatureValid: true, payloadVersion: 'v2', valid: true, problems: [] });
      expect(item.jweHeader?.kid).toBe(KIDS.sdxSubmission);
      expect(item.summary).toMatchObject({ txId: sent!.tx_id, caseId: sent!.case_id, flushed: true, answers: 1 });
    }
    const payload = (await service.payload(items[1]!.id)) as { data: { answers: unknown[] } };
    expect(payload.data.answers).toEqual([{ answer_id: 'name-answer', value: 'Ada' }]);
  });

  it('reads structlog key=value lines, quoted or not, among other log lines', async () => {
    const [sent] = await runner.downstream();
    const log = [
      `2025-03-04T10:11:12Z [info     ] starting app`,
      `2025-03-04T10:11:13Z [info     ] message payload message='${sent!.message}' tx_id='${sent!.tx_id}' case_id='${sent!.case_id}'`,
      `2025-03-04T10:11:14Z [info     ] request path=/session?token=${sent!.message}`,
      `event="message payload" message="${sent!.message}" tx_id="${sent!.tx_id}"`,
    ].join('\n');
    const file = path.join(tmp, 'structlog.log');
    fs.writeFileSync(file, log);
    const fromFile = await service.open([{ kind: 'path', path: file }]);
    expect(fromFile.items.map((i) => [i.source, i.valid])).toEqual([
      [`${file}:2`, true],
      [`${file}:4`, true],
    ]);
    const pasted = await service.open([{ kind: 'text', name: 'pasted log', text: log }]);
    expect(pasted.items.map((i) => i.source)).toEqual(['pasted log:2', 'pasted log:4']);
    expect(await service.payload(pasted.items[0]!.id)).toMatchObject({ tx_id: sent!.tx_id });
  });
});
