import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The embedded database is one process's files. A command that opens the data directory marks
 * it with `opsroom.pid`; others refuse to open it while that process lives, instead of
 * corrupting it.
 *
 * A pid alone is not proof: after a crash or a reboot the number is given to another process
 * (a shell, a `sleep`), and a start would be refused for ever. So the file also holds the
 * process's start time (the kernel's `starttime`, /proc/<pid>/stat): the holder is alive only
 * if a process with that pid exists *and* started at that time. An old file (a bare pid) or a
 * system without /proc falls back to the command line (a node process running opsroom).
 */
export interface Holder {
  pid: number;
  /** Clock ticks since boot at which the process started; null where /proc is absent. */
  start: number | null;
}

export function lockDataDir(dataDir: string): () => void {
  const file = join(dataDir, 'opsroom.pid');
  const me: Holder = { pid: process.pid, start: startTime(process.pid) };
  // Exclusive create: of two commands starting at once, one wins; a stale file is removed
  // and the create tried again.
  for (let attempt = 0; ; attempt++) {
    try {
      writeFileSync(file, JSON.stringify(me), { flag: 'wx' });
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST' || attempt >= 3) throw e;
    }
    const holder = readHolder(file);
    if (holder && holder.pid !== process.pid && holds(holder)) {
      throw new Error(
        `Cơ sở dữ liệu nhúng ở ${dataDir} đang được tiến trình ${holder.pid} dùng; hãy dừng máy chủ hoặc dùng DATABASE_URL.\n` +
          `The embedded database in ${dataDir} is in use by process ${holder.pid}; stop the server or use DATABASE_URL.`,
      );
    }
    rmSync(file, { force: true }); // stale: its process is gone, or the pid was reused
  }
  return () => {
    // Only our own mark: another process may have taken over after we were thought dead.
    const holder = readHolder(file);
    if (holder?.pid === me.pid && holder.start === me.start) rmSync(file, { force: true });
  };
}

/** The process named in a pid file, or null if the file is gone or unreadable. */
export function readHolder(file: string): Holder | null {
  let text: string;
  try {
    text = readFileSync(file, 'utf8').trim();
  } catch {
    return null;
  }
  if (/^\d+$/.test(text)) return { pid: Number(text), start: null }; // written by older versions
  try {
    const h = JSON.parse(text) as Partial<Holder>;
    if (typeof h.pid === 'number' && Number.isInteger(h.pid) && h.pid > 0)
      return { pid: h.pid, start: typeof h.start === 'number' ? h.start : null };
  } catch {
    // a torn or foreign file: nobody holds the directory through it
  }
  return null;
}

/** Whether the process that wrote `h` is still running. */
export function holds(h: Holder): boolean {
  if (!alive(h.pid)) return false;
  const now = startTime(h.pid);
  if (h.start !== null && now !== null) return now === h.start;
  // No start time to compare: believe it only if it looks like us.
  const cmd = commandLine(h.pid);
  return cmd === null ? true : /node|opsroom/.test(cmd);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: it exists, under another user.
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Field 22 of /proc/<pid>/stat; the command name before it may hold spaces and parentheses. */
export function startTime(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const v = Number(fields[19]); // field 3 is fields[0]
    return Number.isFinite(v) ? v : null;
  } catch {
    return null;
  }
}

function commandLine(pid: number): string | null {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
  } catch {
    return null;
  }
}
