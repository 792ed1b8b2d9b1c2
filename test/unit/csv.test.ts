// The one CSV module (shared/csv.ts) and what reads ids with it (shared/flush/response-ids.ts):
// the cases the hand-written reader and writers got wrong, and the shapes testers paste.
import { describe, expect, it } from 'vitest';
import { readCsv, writeCsv } from '../../shared/csv';
import { parseResponseIds } from '../../shared/flush/response-ids';

describe('writeCsv', () => {
  it('quotes fields with commas, quotes, line breaks or edge spaces, doubling quotes; CRLF after every line', () => {
    const rows = [
      { a: 'plain', b: 'x,y' },
      { a: 'say "hi"', b: 'two\nlines' },
      { a: ' padded', b: '' },
      { a: '=1+1', b: '-2' },
    ];
    expect(writeCsv(rows, ['a', 'b'])).toBe('a,b\r\nplain,"x,y"\r\n"say ""hi""","two\nlines"\r\n" padded",\r\n=1+1,-2\r\n');
  });

  it('writes numbers, booleans and null as text or empty, in the order of the columns given', () => {
    expect(writeCsv([{ n: 200, ok: true, none: null, gone: undefined }], ['ok', 'n', 'none', 'gone'])).toBe('ok,n,none,gone\r\ntrue,200,,\r\n');
  });

  it('writes the header when there are no rows', () => {
    expect(writeCsv([], ['responseId', 'outcome'])).toBe('responseId,outcome\r\n');
  });

  it('reads back what it writes, commas, quotes and line breaks included', () => {
    const values = ['Eggs, boiled', 'He said "no"', 'line one\r\nline two', ' edge ', '', '#not a comment'];
    const csv = writeCsv(
      values.map((v, i) => ({ i, v })),
      ['i', 'v'],
    );
    const [header, ...rows] = readCsv(csv);
    expect(header).toEqual(['i', 'v']);
    // A line break inside a field comes back as \n (readCsv gives every line end one form).
    expect(rows.map((r) => r[1])).toEqual(values.map((v) => v.replace(/\r\n/g, '\n')));
  });
});

describe('readCsv', () => {
  it('drops a BOM and reads CRLF, LF and a mix of the two alike', () => {
    expect(readCsv('\ufeffa,b\r\n1,2\r\n')).toEqual([
      ['a', 'b'],
      ['1', '2'],
    ]);
    expect(readCsv('a,b\r\n1,2\n3,4\r\n')).toEqual([
      ['a', 'b'],
      ['1', '2'],
      ['3', '4'],
    ]);
  });

  it('keeps a quoted line break inside its field', () => {
    expect(readCsv('id,note\r\nr1,"two\r\nlines"\r\nr2,x\r\n')).toEqual([
      ['id', 'note'],
      ['r1', 'two\nlines'],
      ['r2', 'x'],
    ]);
  });

  it('leaves out blank lines, and # lines only when asked', () => {
    expect(readCsv('a\n\n  \n# note\nb\n')).toEqual([['a'], ['# note'], ['b']]);
    expect(readCsv('a\n\n# note\nb\n', { comments: true })).toEqual([['a'], ['b']]);
  });

  it('reads tab- and semicolon-separated files', () => {
    expect(readCsv('response_id\tnote\nr1\tx\n')).toEqual([
      ['response_id', 'note'],
      ['r1', 'x'],
    ]);
    expect(readCsv('response_id;note\nr1;"a;b"\n')).toEqual([
      ['response_id', 'note'],
      ['r1', 'a;b'],
    ]);
  });
});

describe('parseResponseIds', () => {
  it('never flushes the header of a file whose only column is response_id, in any case or spacing', () => {
    expect(parseResponseIds('response_id\nr1\nr2\n')).toEqual({ ids: ['r1', 'r2'], duplicates: [] });
    expect(parseResponseIds(' Response_ID \r\nr1\r\n').ids).toEqual(['r1']);
    expect(parseResponseIds('Response ID\nr1\n').ids).toEqual(['r1']);
    expect(parseResponseIds('response_id\n').ids).toEqual([]);
  });

  it('takes the column a header names, wherever it stands, and reads the flush export back', () => {
    expect(parseResponseIds('case_id,response_id,answer\n1,"r,1",x\n2,r2,y\n').ids).toEqual(['r,1', 'r2']);
    expect(parseResponseIds('responseId,httpStatus,outcome,message,attempts\r\nr1,,error,"Cannot reach, sorry",4\r\n').ids).toEqual(['r1']);
    // Two exports pasted one after the other: the second header is not an id either.
    expect(parseResponseIds('response_id\nr1\nresponse_id\nr2\n').ids).toEqual(['r1', 'r2']);
  });

  it('reads every id of a file with a quoted line break', () => {
    const text = 'response_id,note\r\nr1,"first line\r\nsecond line"\r\nr2,"a, b"\r\nr3,\r\n';
    expect(parseResponseIds(text).ids).toEqual(['r1', 'r2', 'r3']);
  });

  it('drops a BOM, so the header of an Excel "CSV UTF-8" file is still the header', () => {
    expect(parseResponseIds('\ufeffresponse_id,note\r\nr1,x\r\n').ids).toEqual(['r1']);
    expect(parseResponseIds('\ufeffr1\r\nr2\r\n').ids).toEqual(['r1', 'r2']);
  });

  it('reads plain lists: one a line, space, comma or tab separated, # notes skipped, once each', () => {
    expect(parseResponseIds('a\nb c\n\n# note\nb\n')).toEqual({ ids: ['a', 'b', 'c'], duplicates: ['b'] });
    expect(parseResponseIds('r1\r\nr2\r\n').ids).toEqual(['r1', 'r2']);
    expect(parseResponseIds('a, b, c').ids).toEqual(['a', 'b', 'c']);
    expect(parseResponseIds('a\tb').ids).toEqual(['a', 'b']);
  });

  it('takes the first column of a table with no header', () => {
    expect(parseResponseIds('r1,extra\nr2,extra\n').ids).toEqual(['r1', 'r2']);
  });

  it('finds nothing in nothing', () => {
    expect(parseResponseIds('')).toEqual({ ids: [], duplicates: [] });
    expect(parseResponseIds('\n\n# only a note\n')).toEqual({ ids: [], duplicates: [] });
  });
});
