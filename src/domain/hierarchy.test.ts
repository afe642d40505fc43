import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { AppError } from './errors.ts';
import {
  isOfficialCode,
  parseUnitsFile,
  placeUnits,
  versionAt,
  type TreeUnit,
} from './hierarchy.ts';

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

describe('units below the official tree', () => {
  // VN → 79 → 26740 (official), and an added station under the commune.
  const tree = new Map<string, TreeUnit>([
    ['VN', { code: 'VN', parent: null, origin: 'official' }],
    ['79', { code: '79', parent: 'VN', origin: 'official' }],
    ['26740', { code: '26740', parent: '79', origin: 'official' }],
    ['Stat1234567', { code: 'Stat1234567', parent: '26740', origin: 'added' }],
    ['Room1234567', { code: 'Room1234567', parent: 'Stat1234567', origin: 'added' }],
  ]);

  it('tells official codes from uids', () => {
    assert.ok(isOfficialCode('VN'));
    assert.ok(isOfficialCode('26740'));
    assert.ok(!isOfficialCode('Stat1234567'));
    assert.ok(!isOfficialCode('OU_559'));
  });

  it('places a tree of its own at any depth, parents in any order', () => {
    const { placed, problems } = placeUnits(
      [
        { code: 'Facility001', parent: 'District001' },
        { code: 'District001', parent: 'Region00001' },
        { code: 'Root0000001', parent: null },
        { code: 'Region00001', parent: 'Root0000001' },
        { code: 'Ward0000001', parent: 'Facility001' },
      ],
      tree,
    );
    assert.deepEqual(problems, []);
    const by = new Map(placed.map((p) => [p.code, p]));
    assert.equal(
      by.get('Root0000001')!.level,
      0,
      'a root is level 0, as the nation (DHIS2 level 1)',
    );
    assert.equal(by.get('Ward0000001')!.level, 4);
    assert.equal(
      by.get('Ward0000001')!.path,
      '/Root0000001/Region00001/District001/Facility001/Ward0000001/',
    );
  });

  it('places units under an official commune, below the official depth', () => {
    const { placed, problems } = placeUnits([{ code: 'School00001', parent: 'Stat1234567' }], tree);
    assert.deepEqual(problems, []);
    assert.deepEqual(placed[0], {
      code: 'School00001',
      parent: 'Stat1234567',
      level: 4,
      path: '/VN/79/26740/Stat1234567/School00001/',
    });
  });

  it('moves an added unit with the tree below it in mind', () => {
    const moved = placeUnits([{ code: 'Stat1234567', parent: '79' }], tree);
    assert.equal(moved.placed[0]!.path, '/VN/79/Stat1234567/');
    // Under its own descendant: a cycle through a unit of the tree.
    const cycle = placeUnits([{ code: 'Stat1234567', parent: 'Room1234567' }], tree);
    assert.equal(cycle.problems[0]?.kind, 'cycle');
    assert.deepEqual(cycle.placed, []);
  });

  it('refuses unknown parents and cycles within the file, whole', () => {
    const r = placeUnits(
      [
        { code: 'Aaaaaaaaaa1', parent: 'Bbbbbbbbbb1' },
        { code: 'Bbbbbbbbbb1', parent: 'Aaaaaaaaaa1' },
        { code: 'Cccccccccc1', parent: 'Nowhere0001' },
        { code: 'Dddddddddd1', parent: '26740' },
      ],
      tree,
    );
    assert.deepEqual(
      r.problems.map((p) => [p.code, p.kind]),
      [
        ['Cccccccccc1', 'unknown_parent'],
        ['Aaaaaaaaaa1', 'cycle'],
        ['Bbbbbbbbbb1', 'cycle'],
      ],
    );
    assert.deepEqual(r.placed, [], 'nothing is placed while anything is wrong');
  });

  it('keeps official units where the official tree has them', () => {
    const same = placeUnits([{ code: '26740', parent: '79' }], tree);
    assert.deepEqual(same, { placed: [], problems: [] });
    const moved = placeUnits([{ code: '26740', parent: 'VN' }], tree);
    assert.deepEqual(moved.problems, [
      { code: '26740', kind: 'official_parent_changed', parent: 'VN', official: '79' },
    ]);
  });
});
