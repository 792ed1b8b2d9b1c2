// Payloads found in runner logs: the real runner (../shared/runner-kit) flushes an answered
// response downstream through its `log` backend (a JSON line among everything else it logs), and
// the console finds, opens and names it by file and line, beside the same payload saved as
// <tx_id>.jwe the way a downstream store keeps it; structlog's key=value form is read the same way.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newClaims } from '../../shared/launch/build';
import { DownstreamService } from '../../electron/services/downstream/service';
import { flushAll } from '../../electron/services/flush/batch';
import { importTexts, readKeyFiles } from '../../electron/services/keyring/import';
import { KeyRing } from '../../electron/services/keyring/keyring';
import { sealClaims } from '../../electron/services/tokens/jwt-profile';
import { launchKeys } from '../../electron/services/tokens/launch-keys';
import { respond, runnerKitMissing, startRunnerKit, type RunnerKit, type RunnerPayload } from '../support/runner-kit';
import { KIDS, RUNNER_KEYS_DIR, sharedMissing, skipReason } from '../support/shared';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'eqc-ds-log-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe.skipIf(skipReason(sharedMissing(), runnerKitMissing()))('payloads in runner logs', () => {
  const downstreamDir = path.join(tmp, 'downstream');
  let runner: RunnerKit;
  let service: DownstreamService;
  let sent: RunnerPayload;
  let claims: Record<string, unknown>;
  beforeAll(async () => {
    fs.mkdirSync(downstreamDir);
    runner = await startRunnerKit();
    const ring = new KeyRing();
    importTexts(ring, readKeyFiles([RUNNER_KEYS_DIR]));
    service = new DownstreamService({ ring: async () => ring });
    // A respondent answers test_textfield's one question, then the response is flushed.
    claims = newClaims({ payload: 'v2', selection: { schema_name: 'test_textfield' }, nowSeconds: Math.floor(Date.now() / 1000) });
    const answered = await respond(`${runner.url}/session?token=${await sealClaims(claims, launchKeys(ring))}`, { 'name-answer': 'Ada' });
    expect(answered).toMatchObject({ launchStatus: 302, postStatus: 302 });
    const [flushed] = await flushAll([String(claims.response_id)], { runnerUrl: runner.url, keys: launchKeys(ring) });
    expect(flushed!.outcome).toBe('flushed');
    const payloads = await runner.payloads();
    expect(payloads).toHaveLength(1);
    sent = payloads[0]!;
    // The runner's whole log, launch and flush requests (tokens and all) among its lines, and the
    // payload once more as a downstream store keeps it, by tx_id.
    fs.copyFileSync(runner.logFile, path.join(downstreamDir, 'runner.log'));
    fs.writeFileSync(path.join(downstreamDir, `${sent.tx_id}.jwe`), sent.message);
  });
  afterAll(async () => {
    await runner?.close();
  });

  it('opens the flushed payload from runner.log, named by line, and from its <tx_id>.jwe', async () => {
    const logLines = fs.readFileSync(path.join(downstreamDir, 'runner.log'), 'utf8').split('\n');
    const line = logLines.findIndex((l) => l.includes('"message payload"')) + 1;
    expect(line).toBeGreaterThan(1);
    const { items, errors } = await service.open([{ kind: 'path', path: downstreamDir }]);
    // Nothing else in the log is taken for a payload: not the launch and flush tokens in its request lines.
    expect(errors).toEqual([]);
    expect(items.map((i) => i.source)).toEqual([path.join(downstreamDir, `${sent.tx_id}.jwe`), path.join(downstreamDir, `runner.log:${line}`)]);
    expect(sent).toMatchObject({ tx_id: claims.tx_id, case_id: claims.case_id });
    for (const item of items) {
      expect(item).toMatchObject({ kind: 'jwe', decrypted: true, signatureValid: true, payloadVersion: 'v2', valid: true, problems: [] });
      expect(item.jweHeader?.kid).toBe(KIDS.sdxSubmission);
      expect(item.summary).toMatchObject({ txId: sent.tx_id, caseId: sent.case_id, flushed: true, answers: 1 });
    }
    const payload = (await service.payload(items[1]!.id)) as { data: { answers: unknown[] } };
    expect(payload.data.answers).toEqual([{ answer_id: 'name-answer', value: 'Ada' }]);
  });

  it('reads structlog key=value lines, quoted or not, among other log lines', async () => {
    const log = [
      `2025-03-04T10:11:12Z [info     ] starting app`,
      `2025-03-04T10:11:13Z [info     ] message payload message='${sent.message}' tx_id='${sent.tx_id}' case_id='${sent.case_id}'`,
      `2025-03-04T10:11:14Z [info     ] request path=/session?token=${sent.message}`,
      `event="message payload" message="${sent.message}" tx_id="${sent.tx_id}"`,
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
    expect(await service.payload(pasted.items[0]!.id)).toMatchObject({ tx_id: sent.tx_id });
  });
});
