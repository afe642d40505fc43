import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { pathsAbove, reaches, sees } from './audience.ts';

describe('which scopes a live event reaches', () => {
  const scope = (code: string, path: string, version = '2025') => ({ version, code, path });
  const nation = scope('VN', '/VN/');
  const hanoi = scope('01', '/VN/01/');
  const ward = scope('00004', '/VN/01/00004/');
  const sibling = scope('00008', '/VN/01/00008/');
  const danang = scope('48', '/VN/48/');
  const saigon = scope('79', '/VN/79/');

  it('sends other events to the scopes that hold their unit, whatever the topic', () => {
    const alert = { version: '2025', path: '/VN/79/' };
    assert.equal(reaches(alert, saigon), true);
    assert.equal(reaches(alert, nation), true);
    assert.equal(reaches(alert, scope('26740', '/VN/79/26740/')), false, 'not down the tree');
    assert.equal(reaches(alert, hanoi), false);
  });

  it('sends an event for chosen units to the sender’s side and the recipients’ only', () => {
    // From the nation to a ward of Hà Nội and a ward of Hồ Chí Minh City.
    const e = {
      version: '2025',
      path: '/VN/',
      above: pathsAbove(['/VN/01/00004/', '/VN/79/25747/']),
    };
    assert.equal(reaches(e, nation), true);
    assert.equal(reaches(e, ward), true);
    assert.equal(reaches(e, hanoi), true);
    assert.equal(reaches(e, saigon), true);
    assert.equal(reaches(e, sibling), false, 'a ward not sent to');
    assert.equal(reaches(e, danang), false, 'another province');
    assert.equal(reaches(e, { ...ward, version: '2022' }), false, 'another tree');
    // From a province to one of its wards: the province's other wards stay out.
    const fromHanoi = { version: '2025', path: '/VN/01/', above: pathsAbove(['/VN/01/00004/']) };
    assert.equal(reaches(fromHanoi, hanoi), true);
    assert.equal(reaches(fromHanoi, ward), true);
    assert.equal(reaches(fromHanoi, sibling), false);
    // Sent to a province: its wards are below a recipient, and stay out.
    const toDanang = { version: '2025', path: '/VN/', above: pathsAbove(['/VN/48/']) };
    assert.equal(reaches(toDanang, danang), true);
    assert.equal(reaches(toDanang, scope('20194', '/VN/48/20194/')), false);
  });

  it('lists every path at or above the recipients once', () => {
    assert.deepEqual(
      [...pathsAbove(['/VN/79/760/26740/', '/VN/79/760/26734/', '/VN/01/'])].sort(),
      ['/VN/', '/VN/01/', '/VN/79/', '/VN/79/760/', '/VN/79/760/26734/', '/VN/79/760/26740/'],
    );
    assert.equal(pathsAbove([]).size, 0);
  });

  it('is the rule reads use too: root, the sender’s side, or a recipient in scope', () => {
    const d = { version: '2025', senderPath: '/VN/01/' };
    assert.equal(
      sees(scope('VN', '/VN/', '2022'), d, () => false),
      true,
      'the root sees every tree',
    );
    assert.equal(
      sees(hanoi, d, () => false),
      true,
    );
    assert.equal(
      sees(ward, d, () => false),
      false,
    );
    assert.equal(
      sees(ward, d, (p) => p === ward.path),
      true,
    );
    assert.equal(
      sees({ ...ward, version: '2022' }, d, () => true),
      false,
    );
  });
});
