import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { AppError } from './errors.ts';
import { parseUnitsFile, versionAt } from './hierarchy.ts';

const header = '{\n"validFrom": "2030-01-01",\n"validUntil": null,\n"units": [\n';
const unit = (
  code: string,
  parent: string | null,
  level: number,
  kind = level === 1 ? 'province' : 'commune',
) =>
  JSON.stringify({
    code,
    kind,
    level,
    parent,
    type: 'xa',
    name: `N${code}`,
    fullName: `Xã N${code}`,
  });
const file = (lines: string[]) => header + lines.join(',\n') + '\n]}\n';

function problems(text: string) {
  try {
    parseUnitsFile(text, 'test.json');
  } catch (e) {
    assert.ok(e instanceof AppError);
    assert.equal(e.code, 'units_file_invalid');
    return (e.details as { problems: { line?: number; code?: string; en: string }[] }).problems;
  }
  assert.fail('expected the file to be refused');
}

describe('units file checks', () => {
  it('accepts a good file and computes paths from the nation down', () => {
    const f = parseUnitsFile(file([unit('01', null, 1), unit('00001', '01', 2)]));
    assert.equal(f.units.length, 2);
    assert.equal(f.units[1]!.path, '/VN/01/00001/');
  });
  it('names the line of malformed JSON', () => {
    const p = problems(header + unit('01', null, 1) + ',\n{"code": "02", oops}\n]}');
    assert.equal(p[0]!.line, 6);
    assert.match(p[0]!.en, /Malformed JSON/);
  });
  it('refuses a duplicate code with both lines', () => {
    const p = problems(file([unit('01', null, 1), unit('00001', '01', 2), unit('00001', '01', 2)]));
    assert.equal(p.length, 1);
    assert.equal(p[0]!.line, 7);
    assert.match(p[0]!.en, /duplicates line 6/);
  });
  it('refuses an unknown parent', () => {
    const p = problems(file([unit('01', null, 1), unit('00001', '99', 2)]));
    assert.equal(p[0]!.code, '00001');
    assert.match(p[0]!.en, /Unknown parent code "99"/);
  });
  it('refuses a cycle', () => {
    const p = problems(
      file([unit('01', null, 1), unit('00001', '00002', 2), unit('00002', '00001', 2)]),
    );
    assert.ok(p.some((x) => /Cycle/.test(x.en)));
  });
  it('refuses a level that does not fit the parent', () => {
    const p = problems(file([unit('01', null, 1), unit('00001', '01', 3)]));
    assert.match(p[0]!.en, /must be level 2/);
  });
});

describe('tree in force on a date', () => {
  const versions = [
    { id: '2022', validFrom: '2022-10-01', validUntil: '2023-04-09' },
    { id: '2025-03', validFrom: '2025-03-01', validUntil: '2025-06-30' },
    { id: '2025', validFrom: '2025-07-01', validUntil: null },
  ];
  it('picks the tree that started last on or before the date', () => {
    assert.equal(versionAt(versions, '2026-11-23')?.id, '2025');
    assert.equal(versionAt(versions, '2025-06-30')?.id, '2025-03');
    assert.equal(versionAt(versions, '2024-01-15')?.id, '2022');
  });
  it('uses the oldest tree for periods before it', () => {
    assert.equal(versionAt(versions, '2021-08-01')?.id, '2022');
  });
});
