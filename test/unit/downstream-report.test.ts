// The Downstream screen's counts and what an item that did not open offers: the line an open
// leaves ("22 payloads, 2 could not be opened", the two apart), which items have a payload to
// read, and the comparison of the lists that map to supplementary data.
import { describe, expect, it } from 'vitest';
import type { DownstreamItem } from '../../shared/downstream/types';
import { diffPayloads } from '../../renderer/src/screens/downstream/model/diff';
import { canRead } from '../../renderer/src/screens/downstream/model/items';
import { openCounts, openReportText } from '../../renderer/src/screens/downstream/model/report';

function item(over: Partial<DownstreamItem> = {}): DownstreamItem {
  return {
    id: 'x',
    source: 'x.jwe',
    kind: 'jwe',
    decrypted: true,
    signatureValid: true,
    payloadVersion: 'v2',
    type: 'surveyresponse',
    dataVersion: '0.0.3',
    valid: true,
    problems: [],
    summary: {},
    ...over,
  };
}

const failed = (stage: NonNullable<DownstreamItem['failure']>['stage'], over: Partial<DownstreamItem> = {}) =>
  item({ failure: { stage, message: `stopped at ${stage}` }, valid: false, payloadVersion: 'unknown', type: 'unknown', dataVersion: 'unknown', ...over });

describe('counting what an open found', () => {
  it('counts the payloads that opened apart from those that could not be opened', () => {
    const items = [...Array.from({ length: 22 }, () => item()), failed('decrypt', { decrypted: false }), failed('signature', { signatureValid: false })];
    expect(openCounts(items, 0)).toEqual({ opened: 22, failed: 2, errors: 0 });
    expect(openReportText('payloads/', openCounts(items, 0))).toBe('Opened payloads/: 22 payloads, 2 could not be opened.');
  });

  it('an invalid payload opened: it counts among the payloads', () => {
    const counts = openCounts([item({ valid: false, problems: [{ path: 'tx_id', message: 'missing', rule: 'schema' }] })], 0);
    expect(counts).toEqual({ opened: 1, failed: 0, errors: 0 });
    expect(openReportText('the pasted text', counts)).toBe('Opened the pasted text: 1 payload.');
  });

  it('says so when nothing opened, and when nothing was found', () => {
    expect(openReportText('bad.jwe', openCounts([failed('decrypt')], 0))).toBe('Found 1 payload in bad.jwe; it could not be opened.');
    expect(openReportText('two files', openCounts([failed('decrypt'), failed('parse')], 0))).toBe('Found 2 payloads in two files; none could be opened.');
    expect(openReportText('/empty', openCounts([], 0))).toBe('No payloads found in /empty.');
  });

  it('adds the sources that gave no item at all', () => {
    expect(openReportText('/data', openCounts([item(), failed('parse')], 2))).toBe(
      'Opened /data: 1 payload, 1 could not be opened. 2 sources could not be read (listed under Payloads).',
    );
    expect(openReportText('/data/missing', openCounts([], 1))).toBe('No payloads found in /data/missing. 1 source could not be read (listed under Payloads).');
  });
});

describe('which items have a payload to read', () => {
  it('one that opened, decrypted or plain JSON', () => {
    expect(canRead(item())).toBe(true);
    expect(canRead(item({ kind: 'json', decrypted: false, signatureValid: null }))).toBe(true);
  });

  it('none that stopped opening, at whatever stage: a failed signature was decrypted, yet has no payload', () => {
    for (const stage of ['read', 'parse', 'decrypt', 'signature'] as const) expect([stage, canRead(failed(stage))]).toEqual([stage, false]);
  });
});

describe('comparing lists that map to supplementary data', () => {
  const payload = (identifier: string) => ({
    data: { answers: [], lists: [{ name: 'employees', items: ['zPDHbT'], supplementary_data_mappings: [{ identifier, list_item_id: 'zPDHbT' }] }] },
  });

  it('lists a changed mapping, which the items alone would call the same', () => {
    expect(diffPayloads(payload('429001'), payload('429009')).lists).toEqual([
      {
        change: 'changed',
        path: 'lists.employees.supplementary_data_mappings',
        beforeText: 'zPDHbT: supplementary data 429001',
        afterText: 'zPDHbT: supplementary data 429009',
      },
    ]);
    expect(diffPayloads(payload('429001'), payload('429001')).lists).toEqual([]);
  });
});
