// node's TAP output, then the failures again at its end: CI keeps only the tail of a 2,500-test
// log, and a failure printed half an hour earlier would otherwise be lost in it.
import { tap } from 'node:test/reporters';

export default async function* reporter(source) {
  const failures = [];
  async function* recording() {
    for await (const event of source) {
      // A suite fails when a test inside it does: count the tests, not their suites.
      if (event.type === 'test:fail' && event.data.details?.type !== 'suite') {
        failures.push(event.data);
      }
      yield event;
    }
  }
  yield* tap(recording());
  if (failures.length === 0) return;
  yield `\n# ${failures.length} failed:\n`;
  for (const f of failures) {
    const err = f.details?.error;
    const cause = err?.cause ?? err;
    const message = String(cause?.message ?? cause ?? 'failed')
      .split('\n')
      .slice(0, 12);
    yield `# FAILED ${f.file ?? ''} :: ${f.name}\n`;
    for (const line of message) yield `#   ${line}\n`;
  }
}
