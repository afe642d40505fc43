import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { Dhis2Object } from '../contract/dhis2.ts';
import { Task } from '../contract/task.ts';
import type { Services } from '../services/index.ts';
import { contractProblems, declaredRoutes } from '../test/contract-check.ts';
import { generate, GENERATED } from '../../scripts/contract.ts';
import { createApp } from './app.ts';

/**
 * Routes whose success answer is not a JSON document of a declared schema, each with why.
 * Everything else must declare one (the API tests then check every answer against it).
 */
const NO_JSON_SCHEMA: ReadonlyArray<readonly [string, string]> = [
  // No body at all.
  ['POST /api/auth/logout', '204'],
  ['DELETE /api/tokens/{id}', '204'],
  ['DELETE /api/periodLocks/{id}', '204'],
  ['DELETE /api/validationRules/{id}', '204'],
  ['DELETE /api/citizenCategories/{code}', '204'],
  ['DELETE /api/dataValues', '204'],
  ['DELETE /api/{apiVersion}/dataValues', '204'],
  ['DELETE /api/completeDataSetRegistrations', '204'],
  ['DELETE /api/{apiVersion}/completeDataSetRegistrations', '204'],
  // Streams and files: an event stream, an uploaded file, a map's TopoJSON as stored.
  ['GET /api/live', 'text/event-stream'],
  ['GET /api/boards/{id}/live', 'text/event-stream'],
  // One JSON line per panel (NDJSON); each line's schema is BoardDataFrame, checked line by line
  // in board-panel-data.test.ts.
  ['GET /api/boards/{id}/data', 'application/x-ndjson'],
  ['GET /api/attachments/{id}', 'the file as uploaded'],
  ['GET /api/public/reports/{code}/photos/{id}', "a report's photo as uploaded"],
  ['GET /api/boards/{id}/pdf', 'the board printed as a PDF (read back in board-pdf.test.ts)'],
  ['GET /api/geo/{version}/{parent}', 'TopoJSON file, served with its ETag'],
  ['GET /api/analytics.csv', "DHIS2's analytics as a CSV file"],
  ['GET /api/analytics.xlsx', "DHIS2's analytics as an Excel workbook"],
  // DHIS2's single data value: an empty 201 on save, an empty 200 on follow-up, as DHIS2 answers.
  ['POST /api/dataValues', "DHIS2's empty 201"],
  ['POST /api/{apiVersion}/dataValues', "DHIS2's empty 201"],
  ['PUT /api/dataValues/followup', "DHIS2's empty 200"],
  ['PUT /api/{apiVersion}/dataValues/followup', "DHIS2's empty 200"],
];

const app = createApp({ database: {} } as unknown as Services);

describe('the contract (issue 15)', () => {
  it('every route declares the JSON schema of its success answer, except the listed ones', () => {
    const exempt = new Set(NO_JSON_SCHEMA.map(([r]) => r));
    const missing: string[] = [];
    const seen = new Set<string>();
    for (const r of declaredRoutes(app)) {
      const name = `${r.method} ${r.path}`;
      seen.add(name);
      const ok = [...r.responses].filter(([status]) => status >= 200 && status < 300);
      if (!ok.some(([, schema]) => schema) && !exempt.has(name)) missing.push(name);
    }
    assert.deepEqual(missing, [], `routes without a JSON response schema:\n${missing.join('\n')}`);
    // The list stays short: a route that gained a schema (or is gone) leaves it.
    const stale = [...exempt].filter(
      (name) =>
        !seen.has(name) ||
        declaredRoutes(app).some(
          (r) =>
            `${r.method} ${r.path}` === name &&
            [...r.responses].some(([s, schema]) => s < 300 && schema),
        ),
    );
    assert.deepEqual(stale, [], `listed but declared (or unknown):\n${stale.join('\n')}`);
  });

  it('catches a response that drifts from its schema', () => {
    const task: Task = {
      id: 1,
      directiveId: null,
      reportId: null,
      title: 'Báo cáo tuần',
      status: 'received',
      dueDate: '2026-12-10',
      daysLate: 0,
      progress: 0,
      blockedReason: null,
      lastReport: null,
      figures: null,
      assigneeId: null,
      readAt: null,
      acknowledgedAt: null,
      doneAt: null,
      remindedAt: null,
      escalatedAt: null,
      createdAt: '2026-12-01T00:00:00.000Z',
      updatedAt: '2026-12-01T00:00:00.000Z',
      unit: { version: '2025', code: '79', name: 'TP. Hồ Chí Minh', level: 1, path: '/VN/79/' },
      directive: null,
    };
    assert.deepEqual(contractProblems(Task, task), []);
    // A field renamed on the server: the old one is missing, the new one is not in the contract.
    const { dueDate, ...rest } = task;
    const drifted = { ...rest, deadline: dueDate };
    const problems = contractProblems(Task, drifted);
    assert.ok(
      problems.some((p) => p.startsWith('dueDate')),
      problems.join('\n'),
    );
    // A field added without its schema: zod would drop it silently; the check names it.
    assert.deepEqual(contractProblems(Task, { ...task, secret: 'x' }), [
      'secret: sent but not in the contract',
    ]);
    // A field of another type.
    assert.ok(contractProblems(Task, { ...task, progress: '50' }).length > 0);
    // DHIS2's open shapes are loose objects: their extra keys pass, their typed fields are checked.
    const obj = { id: 'abc', name: 'Dân số', code: 'DS', parent: { id: 'p' } };
    assert.deepEqual(contractProblems(Dhis2Object, obj), []);
    assert.ok(contractProblems(Dhis2Object, { ...obj, id: 1 }).length > 0);
  });

  it("the web's generated types are those of the current schemas", async () => {
    const fresh = await generate();
    const committed = readFileSync(GENERATED, 'utf8');
    assert.ok(
      committed === fresh,
      'web/src/shared/api/openapi.gen.ts is out of date: run `npm run contract`',
    );
  });
});
