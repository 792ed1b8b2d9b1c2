// Finding payloads: a JWE, JSON (and arrays of it), runner logs as JSON lines or structlog
// key=value lines, folders walked one file at a time. Sources carry :<line> in a log.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { candidatesInText, jweInLine } from '../../electron/services/downstream/extract';
import { hasNoExtension, isDownstreamFileName, looksLikeDownstreamText } from '../../shared/downstream/files';
import { expandSources, type SourceEvent, type SourceInput } from '../../electron/services/downstream/sources';

const JWE = 'eyJhbGciOiJSU0EtT0FFUCJ9.a2V5.aXY.Y2lwaGVy.dGFn';
const JWE2 = 'eyJraWQiOiJ4In0.b.c.d.e';
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'eqc-ds-sources-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

async function collect(inputs: SourceInput[]): Promise<SourceEvent[]> {
  const out: SourceEvent[] = [];
  for await (const e of expandSources(inputs)) out.push(e);
  return out;
}
const found = (events: SourceEvent[]) => events.flatMap((e) => (e.type === 'candidate' ? [[e.candidate.source, e.candidate.kind, e.candidate.text]] : []));

describe('payloads in a text', () => {
  it('takes message=<JWE> from structlog key=value lines, quoted either way or bare', () => {
    expect(jweInLine(`2025-03-04 10:11:12 [info] message='${JWE}' tx_id='abc' case_id='def'`)).toBe(JWE);
    expect(jweInLine(`event="message payload" message="${JWE}" tx_id=abc`)).toBe(JWE);
    expect(jweInLine(`message=${JWE} tx_id=abc`)).toBe(JWE);
    expect(jweInLine(`{"event": "message payload", "message": "${JWE}", "tx_id": "x"}`)).toBe(JWE);
    expect(jweInLine(`  ${JWE}  `)).toBe(JWE);
  });

  it('leaves lines alone whose JWE is not the message: a launch URL, another field, version numbers', () => {
    expect(jweInLine(`GET /session?token=${JWE} 302`)).toBeUndefined();
    expect(jweInLine(`{"token": "${JWE}"}`)).toBeUndefined();
    expect(jweInLine(`mymessage=${JWE}`)).toBeUndefined();
    expect(jweInLine('1.2.3.4.5')).toBeUndefined();
    expect(jweInLine(`message='not a jwe'`)).toBeUndefined();
  });

  it('names log payloads by 1-based line, array elements by index', () => {
    const log = ['starting', `{"message": "${JWE}", "tx_id": "t1"}`, '', `x=1 message='${JWE2}'`].join('\n');
    expect([...candidatesInText(log, 'runner.log', 'text')].map((c) => c.source)).toEqual(['runner.log:2', 'runner.log:4']);
    const array = JSON.stringify([{ version: 'v2' }, JWE, { message: JWE2 }, 5]);
    expect([...candidatesInText(array, 'all.json', 'json')].map((c) => [c.source, c.kind])).toEqual([
      ['all.json[0]', 'json'],
      ['all.json[1]', 'jwe'],
      ['all.json[2]', 'jwe'],
    ]);
    expect([...candidatesInText(`\n\n{"message": "${JWE}"}\n`, 'one.log', 'text')].map((c) => c.source)).toEqual(['one.log:3']);
  });

  it('a whole JWE or JSON object is named by the text alone; a broken .json or .jwe is still reported', () => {
    expect([...candidatesInText(`\n${JWE}\n`, 'paste', 'text')]).toEqual([{ kind: 'jwe', source: 'paste', text: JWE }]);
    expect([...candidatesInText('{"version": "v2"}', 'paste', 'text')]).toEqual([
      { kind: 'json', source: 'paste', text: '{"version": "v2"}', value: { version: 'v2' } },
    ]);
    expect([...candidatesInText('{"version": ', 'p.json', 'json')][0]).toMatchObject({ kind: 'json', parseError: expect.any(String) });
    expect([...candidatesInText('{"version": ', 'pasted', 'text')][0]).toMatchObject({ kind: 'json', parseError: expect.any(String) });
    expect([...candidatesInText('hello', 'p.jwe', 'jwe')]).toEqual([{ kind: 'jwe', source: 'p.jwe', text: 'hello' }]);
    expect([...candidatesInText('hello', 'notes.txt', 'text')]).toEqual([]);
    expect([...candidatesInText('{"a": 1}\n{"b": 2}\n', 'plain.log', 'text')]).toEqual([]);
  });
});

describe('which files a folder offers', () => {
  it('payload and log files, rotated logs, and extension-less files whose first bytes read like one', () => {
    expect(['a.jwe', 'b.JSON', 'runner.log', 'runner.log.3', 'out.txt', 'x.jsonl'].filter(isDownstreamFileName)).toHaveLength(6);
    expect(['a.md', 'runner.log.gz', 'key.pem', 'a.jwe.bak'].filter(isDownstreamFileName)).toEqual([]);
    expect([hasNoExtension('/d/e.f/payload'), hasNoExtension('/d/.hidden'), hasNoExtension('/d/a.b')]).toEqual([true, true, false]);
    expect([`  ${JWE}`, '{"a": 1}', '[1]', `2025 info message=${JWE}`].every(looksLikeDownstreamText)).toBe(true);
    expect(['hello', 'PK\u0003\u0004', '{\u0000'].some(looksLikeDownstreamText)).toBe(false);
  });
});

describe('files and folders', () => {
  const dir = path.join(tmp, 'folder');
  fs.mkdirSync(path.join(dir, 'b-sub'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'a.jwe'), `${JWE}\n`);
  fs.writeFileSync(path.join(dir, 'b-sub', 'p.json'), '{"version": "v2"}');
  fs.writeFileSync(path.join(dir, 'c.log'), `info start\nmessage='${JWE2}'\n`);
  fs.writeFileSync(path.join(dir, 'd-noext'), `{"message": "${JWE}"}`);
  fs.writeFileSync(path.join(dir, 'e-binary'), Buffer.from([0, 1, 2, 0x7b]));
  fs.writeFileSync(path.join(dir, 'f.md'), JWE);
  fs.writeFileSync(path.join(dir, 'g.txt'), 'nothing here');

  it('walks recursively in name order, opening payload files and extension-less files that read like one', async () => {
    const events = await collect([{ kind: 'path', path: dir }]);
    expect(found(events)).toEqual([
      [path.join(dir, 'a.jwe'), 'jwe', JWE],
      [path.join(dir, 'b-sub', 'p.json'), 'json', '{"version": "v2"}'],
      [path.join(dir, 'c.log:2'), 'jwe', JWE2],
      [path.join(dir, 'd-noext:1'), 'jwe', JWE],
    ]);
    expect(events.every((e) => e.type === 'candidate')).toBe(true);
    expect(events.map((e) => (e.type === 'candidate' ? e.file : undefined))).toEqual([
      path.join(dir, 'a.jwe'),
      path.join(dir, 'b-sub', 'p.json'),
      path.join(dir, 'c.log'),
      path.join(dir, 'd-noext'),
    ]);
  });

  it('opens a file named by the user whatever its extension, and says when a source holds no payloads', async () => {
    expect(found(await collect([{ kind: 'path', path: path.join(dir, 'f.md') }]))).toEqual([[path.join(dir, 'f.md'), 'jwe', JWE]]);
    const empty = await collect([
      { kind: 'path', path: path.join(dir, 'g.txt') },
      { kind: 'text', name: 'paste', text: 'hello' },
    ]);
    expect(empty).toEqual([
      {
        type: 'error',
        source: path.join(dir, 'g.txt'),
        message: expect.stringMatching(/^No payloads found in .*g\.txt: looked for compact JWEs/),
        noPayloads: true,
      },
      { type: 'error', source: 'paste', message: expect.stringMatching(/^No payloads found in paste/), noPayloads: true },
    ]);
    expect(await collect([{ kind: 'path', path: path.join(dir, 'missing') }])).toEqual([
      { type: 'error', source: path.join(dir, 'missing'), message: `${path.join(dir, 'missing')} does not exist.` },
    ]);
  });

  it('refuses a payload file over 64 MiB with a reason, and reads a log of any size line by line', async () => {
    const big = path.join(tmp, 'big.json');
    fs.closeSync(fs.openSync(big, 'w'));
    fs.truncateSync(big, 65 * 1024 * 1024);
    expect(await collect([{ kind: 'path', path: big }])).toEqual([
      { type: 'error', source: big, message: expect.stringMatching(/big\.json is 65 MiB; a payload file is read whole and at most 64 MiB/) },
    ]);
    const log = path.join(tmp, 'big.log');
    const fd = fs.openSync(log, 'w');
    fs.writeSync(fd, `message='${JWE}'\n`);
    const fillerLines = 90_000;
    const filler = Buffer.alloc(fillerLines * 12, 'filler line\n');
    for (let i = 0; i < 65; i++) fs.writeSync(fd, filler);
    fs.writeSync(fd, `{"message": "${JWE2}"}\n`);
    fs.closeSync(fd);
    const events = await collect([{ kind: 'path', path: log }]);
    expect(found(events)).toEqual([
      [`${log}:1`, 'jwe', JWE],
      [`${log}:${1 + 65 * fillerLines + 1}`, 'jwe', JWE2],
    ]);
  });

  it('a watched folder entry that vanished is no error, and its non-payload files are skipped silently', async () => {
    expect(await collect([{ kind: 'folder-entry', path: path.join(dir, 'gone.jwe') }])).toEqual([]);
    expect(await collect([{ kind: 'folder-entry', path: path.join(dir, 'f.md') }])).toEqual([]);
    expect(found(await collect([{ kind: 'folder-entry', path: path.join(dir, 'a.jwe') }]))).toHaveLength(1);
  });
});
