import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { promisify } from 'node:util';

/**
 * Readers nobody here wrote, for the exported documents' tests (issue 18): LibreOffice headless
 * converts a DOCX or an XLSX (to PDF, CSV), poppler reads a PDF's text, fonts and pages. The test
 * command installs them (scripts/test.mjs); OPSROOM_SKIP_DOCUMENTS=1 skips outside CI.
 */
const run = promisify(execFile);

export const SKIP_DOCUMENTS =
  process.env.OPSROOM_SKIP_DOCUMENTS === '1' ? 'document readers not installed' : false;

/** A scratch directory, removed by the returned function. */
export function scratch(): { dir: string; done: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'opsroom-doc-'));
  return { dir, done: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * Converts `bytes` (named `name`, whose extension tells LibreOffice what it is) with LibreOffice
 * headless to `to` ('pdf', 'csv', or a filter such as 'csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1'
 * for every sheet); returns the converted files' bytes, by name. Its own profile directory, so
 * that tests running at once do not share (and lock) one.
 */
export async function libreOfficeConvert(
  bytes: Uint8Array,
  name: string,
  to: string,
): Promise<Map<string, Buffer>> {
  const { dir, done } = scratch();
  try {
    const input = join(dir, name);
    writeFileSync(input, bytes);
    const out = join(dir, 'out');
    await run(
      'soffice',
      [
        `-env:UserInstallation=file://${join(dir, 'profile')}`,
        '--headless',
        '--norestore',
        '--convert-to',
        to,
        '--outdir',
        out,
        input,
      ],
      { timeout: 120_000 },
    );
    const files = new Map<string, Buffer>();
    for (const f of readdirSync(out)) files.set(basename(f), readFileSync(join(out, f)));
    if (files.size === 0) throw new Error(`LibreOffice wrote nothing converting ${name} to ${to}`);
    return files;
  } finally {
    done();
  }
}

/**
 * CSV rows (RFC 4180: quoted fields, "" inside quotes), the byte-order mark dropped: what the
 * exports' tests read, the API's CSV (',') and LibreOffice's conversion of a workbook (any `sep`).
 */
export function csvRows(text: string, sep = ','): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let v = '';
  let quoted = false;
  const s = text.replace(/^\uFEFF/, '');
  for (let i = 0; i < s.length; i++) {
    const ch = s[i]!;
    if (quoted) {
      if (ch === '"' && s[i + 1] === '"') {
        v += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else v += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === sep) {
      row.push(v);
      v = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && s[i + 1] === '\n') i++;
      row.push(v);
      rows.push(row);
      row = [];
      v = '';
    } else v += ch;
  }
  if (v !== '' || row.length) rows.push([...row, v]);
  return rows;
}

/** A PDF's text as poppler's pdftotext reads it (layout kept). */
export async function pdfText(pdf: Uint8Array): Promise<string> {
  const { dir, done } = scratch();
  try {
    const input = join(dir, 'in.pdf');
    writeFileSync(input, pdf);
    const { stdout } = await run('pdftotext', ['-layout', '-enc', 'UTF-8', input, '-'], {
      maxBuffer: 64 << 20,
    });
    return stdout;
  } finally {
    done();
  }
}

/** A PDF's fonts as poppler's pdffonts lists them: name and whether embedded. */
export async function pdfFonts(pdf: Uint8Array): Promise<{ name: string; embedded: boolean }[]> {
  const { dir, done } = scratch();
  try {
    const input = join(dir, 'in.pdf');
    writeFileSync(input, pdf);
    const { stdout } = await run('pdffonts', [input]);
    return stdout
      .split('\n')
      .slice(2)
      .filter((l) => l.trim())
      .map((l) => {
        const cols = l.trim().split(/\s+/);
        // name type [encoding…] emb sub uni object ID
        const emb = cols[cols.length - 5];
        return { name: cols[0]!, embedded: emb === 'yes' };
      });
  } finally {
    done();
  }
}

/** A PDF's pages rendered to PNG by poppler's pdftoppm (to look at), into `dir`. */
export async function pdfPages(pdf: Uint8Array, dir: string, prefix: string, dpi = 60) {
  const input = join(dir, `${prefix}.pdf`);
  writeFileSync(input, pdf);
  await run('pdftoppm', ['-png', '-r', String(dpi), input, join(dir, prefix)]);
}

/** The number of pages of a PDF (pdfinfo). */
export async function pdfPageCount(pdf: Uint8Array): Promise<number> {
  const { dir, done } = scratch();
  try {
    const input = join(dir, 'in.pdf');
    writeFileSync(input, pdf);
    const { stdout } = await run('pdfinfo', [input]);
    return Number(/Pages:\s+(\d+)/.exec(stdout)?.[1] ?? 0);
  } finally {
    done();
  }
}

/** Each page's size in points, as pdfinfo reads it (`text`: its line, for a message). */
export async function pdfPageSizes(
  pdf: Uint8Array,
): Promise<{ width: number; height: number; text: string }[]> {
  const { dir, done } = scratch();
  try {
    const input = join(dir, 'in.pdf');
    writeFileSync(input, pdf);
    const { stdout } = await run('pdfinfo', ['-f', '1', '-l', '9999', input]);
    return [...stdout.matchAll(/^Page\s+\d+ size:\s+([\d.]+) x ([\d.]+) pts.*$/gm)].map((m) => ({
      width: Number(m[1]),
      height: Number(m[2]),
      text: m[0],
    }));
  } finally {
    done();
  }
}
