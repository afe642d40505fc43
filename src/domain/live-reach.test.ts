import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { reaches } from './access.ts';

describe('which scopes a live event reaches', () => {
  const province = { version: '2025', code: '79', path: '/VN/79/' };
  const commune = { version: '2025', code: '26740', path: '/VN/79/26740/' };
  const other = { version: '2025', code: '01', path: '/VN/01/' };
  const atProvince = (topic: string) => ({ topic, version: '2025', path: '/VN/79/' });

  it('sends a directive published at a province down to its communes, and up to the nation', () => {
    assert.equal(reaches(atProvince('directive'), commune), true);
    assert.equal(reaches(atProvince('reminder'), commune), true);
    assert.equal(reaches(atProvince('directive'), province), true);
    assert.equal(
      reaches(atProvince('directive'), { version: '2025', code: 'VN', path: '/VN/' }),
      true,
    );
  });

  it('keeps other provinces, other trees and upward-only topics out', () => {
    assert.equal(reaches(atProvince('directive'), other), false);
    assert.equal(reaches(atProvince('directive'), { ...commune, version: '2022' }), false);
    assert.equal(reaches(atProvince('alert'), commune), false);
    assert.equal(reaches(atProvince('task'), commune), false);
    assert.equal(reaches({ topic: 'task', version: '2025', path: commune.path }, province), true);
  });
});
