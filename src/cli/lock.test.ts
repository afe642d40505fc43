import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { lockDataDir, readHolder } from './lock.ts';

const dirs: string[] = [];
const children: ChildProcess[] = [];
after(() => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function dataDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'opsroom-lock-'));
  dirs.push(d);
  return d;
}

async function started(cmd: string, args: string[], ready?: string): Promise<ChildProcess> {
  const c = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  children.push(c);
  if (ready)
    await new Promise<void>((resolve, reject) => {
      let out = '';
      c.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        if (out.includes(ready)) resolve();
      });
      c.once('exit', (code) => reject(new Error(`exited ${code}: ${out}`)));
    });
  return c;
}

test('a pid file naming a live but unrelated process (a reused pid) does not refuse the start', async () => {
  const sleeper = await started('sleep', ['30']);
  for (const content of [
    String(sleeper.pid), // the form older versions wrote
    JSON.stringify({ pid: sleeper.pid, start: 1 }), // same pid, another process's start time
  ]) {
    const dir = dataDir();
    writeFileSync(join(dir, 'opsroom.pid'), content);
    const unlock = lockDataDir(dir);
    assert.equal(
      Number(/\d+/.exec(readFileSync(join(dir, 'opsroom.pid'), 'utf8'))![0]),
      process.pid,
    );
    unlock();
    assert.equal(existsSync(join(dir, 'opsroom.pid')), false);
  }
  sleeper.kill();
});

test('a pid file of a process that is gone, or a torn file, does not refuse the start', () => {
  for (const content of ['999999999', '{"pid":', '']) {
    const dir = dataDir();
    writeFileSync(join(dir, 'opsroom.pid'), content);
    lockDataDir(dir)();
  }
});

test('the directory held by another running opsroom process refuses the start', async () => {
  const dir = dataDir();
  const holder = await started(
    process.execPath,
    [
      '--import',
      'tsx',
      '-e',
      `import('${new URL('./lock.ts', import.meta.url).pathname}').then((m) => { m.lockDataDir(${JSON.stringify(dir)}); console.log('locked'); setTimeout(() => {}, 30000); })`,
    ],
    'locked',
  );
  assert.throws(() => lockDataDir(dir), /in use by process \d+/);
  // A second lock by this process does not delete the holder's mark.
  assert.equal(readHolder(join(dir, 'opsroom.pid'))?.pid, holder.pid);
  const gone = new Promise((r) => holder.once('exit', r));
  holder.kill('SIGKILL'); // a crash: the mark stays behind
  await gone;
  lockDataDir(dir)();
});
