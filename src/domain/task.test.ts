import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { AppError } from './errors.ts';
import {
  assertTransition,
  commonAncestorPath,
  daysLate,
  parentPath,
  transitionProblem,
  TASK_STATUSES,
  type TaskStatus,
} from './task.ts';

describe('task status machine', () => {
  const ok: [TaskStatus, TaskStatus][] = [
    ['received', 'acknowledged'],
    ['acknowledged', 'in_progress'],
    ['acknowledged', 'done'],
    ['in_progress', 'in_progress'],
    ['in_progress', 'done'],
    ['acknowledged', 'blocked'],
    ['in_progress', 'blocked'],
    ['blocked', 'in_progress'],
  ];

  it('allows the documented moves (blocked with a reason)', () => {
    for (const [from, to] of ok)
      assert.equal(
        transitionProblem(from, to, { reason: 'Thiếu kinh phí' }),
        null,
        `${from} → ${to}`,
      );
  });

  it('refuses every other move, and anything after done', () => {
    for (const from of TASK_STATUSES)
      for (const to of TASK_STATUSES) {
        if (ok.some(([f, t]) => f === from && t === to)) continue;
        assert.throws(
          () => assertTransition(from, to, { reason: 'x' }),
          (e: unknown) =>
            e instanceof AppError && e.code === 'invalid_transition' && e.status === 409,
          `${from} → ${to}`,
        );
      }
  });

  it('says why in Vietnamese and English', () => {
    const early = transitionProblem('received', 'done')!;
    assert.match(early.vi, /Cần tiếp nhận nhiệm vụ trước/);
    assert.match(early.en, /Acknowledge the task first/);
    assert.match(transitionProblem('done', 'in_progress')!.vi, /đã hoàn thành/);
    assert.match(transitionProblem('in_progress', 'blocked', { reason: '  ' })!.en, /reason/);
  });
});

describe('task helpers', () => {
  it('counts days late', () => {
    assert.equal(daysLate('2026-11-20', '2026-11-23'), 3);
    assert.equal(daysLate('2026-11-23', '2026-11-23'), 0);
    assert.equal(daysLate('2026-11-30', '2026-11-23'), 0);
  });

  it('finds the common ancestor and the parent of paths', () => {
    assert.equal(commonAncestorPath('/VN/79/760/26740/', '/VN/79/769/27000/'), '/VN/79/');
    assert.equal(commonAncestorPath('/VN/01/00004/', '/VN/79/26740/'), '/VN/');
    assert.equal(commonAncestorPath('/VN/7/', '/VN/79/'), '/VN/');
    assert.equal(commonAncestorPath('/VN/79/26740/', '/VN/79/26740/'), '/VN/79/26740/');
    assert.equal(parentPath('/VN/79/760/'), '/VN/79/');
  });
});
