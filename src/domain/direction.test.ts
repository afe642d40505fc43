import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  DIRECTIONS,
  directionOf,
  goodEnd,
  judgeChange,
  judgeMove,
  judgementWord,
} from './direction.ts';

describe('what a rise means', () => {
  it('judges a move by the figure: a rise in a rise_bad figure is bad, a fall good', () => {
    assert.equal(judgeMove('rise_bad', 'up'), 'bad');
    assert.equal(judgeMove('rise_bad', 'down'), 'good');
    assert.equal(judgeMove('rise_good', 'up'), 'good');
    assert.equal(judgeMove('rise_good', 'down'), 'bad');
  });

  it('judges nothing for a neutral figure, no move, or a direction it does not know', () => {
    for (const m of ['up', 'down', 'flat'] as const)
      assert.equal(judgeMove('neutral', m), 'neutral');
    for (const d of DIRECTIONS) assert.equal(judgeMove(d, 'flat'), 'neutral');
    assert.equal(judgeMove(undefined, 'up'), 'neutral');
    assert.equal(judgeMove(null, 'down'), 'neutral');
    assert.equal(judgeMove('rise_worse', 'up'), 'neutral');
    assert.equal(directionOf('RISE_BAD'), 'neutral');
  });

  it('judges a signed change by its sign', () => {
    assert.equal(judgeChange('rise_bad', 12.5), 'bad');
    assert.equal(judgeChange('rise_bad', -0.1), 'good');
    assert.equal(judgeChange('rise_good', 0), 'neutral');
    assert.equal(judgeChange('rise_good', Number.NaN), 'neutral');
  });

  it('names the good end of a scale, none for a neutral figure', () => {
    assert.equal(goodEnd('rise_good'), 'high');
    assert.equal(goodEnd('rise_bad'), 'low');
    assert.equal(goodEnd('neutral'), null);
    assert.equal(goodEnd(undefined), null);
  });

  it('has a word for what colour says, in Vietnamese and English', () => {
    assert.equal(judgementWord('vi', 'bad'), 'xấu');
    assert.equal(judgementWord('vi', 'good'), 'tốt');
    assert.equal(judgementWord('en', 'bad'), 'worse');
    assert.equal(judgementWord('en', 'good'), 'better');
    assert.equal(judgementWord('en', 'neutral'), '');
  });
});
