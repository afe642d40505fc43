import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The embedded database is one process's files. `serve` marks the data directory; other
 * commands refuse to open it while that process lives, instead of corrupting it.
 */
export function lockDataDir(dataDir: string): () => void {
  const file = join(dataDir, 'opsroom.pid');
  if (existsSync(file)) {
    const pid = Number(readFileSync(file, 'utf8'));
    if (pid && pid !== process.pid && alive(pid)) {
      throw new Error(
        `Cơ sở dữ liệu nhúng ở ${dataDir} đang được tiến trình ${pid} dùng; hãy dừng máy chủ hoặc dùng DATABASE_URL.\n` +
          `The embedded database in ${dataDir} is in use by process ${pid}; stop the server or use DATABASE_URL.`,
      );
    }
  }
  writeFileSync(file, String(process.pid));
  return () => rmSync(file, { force: true });
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
