import ExcelJS from 'exceljs';
import { safeCell } from '../domain/spreadsheet.ts';
import { viNumFmt } from './briefing-xlsx.ts';
import { stampZip } from './zip-stamp.ts';

/**
 * A table of figures as a file (issue 19: a panel's data leaves the screen): CSV as DHIS2 writes
 * `analytics.csv` (a header row of the columns' titles, one row a cell), XLSX with a heading
 * that names the figures, the periods and the units above the same rows. Text goes through
 * `safeCell` (nothing typed runs as a formula); numbers are numeric cells in the vi-VN format
 * (briefing-xlsx.ts's `viNumFmt`), a missing number an empty cell, never 0.
 */
export interface ExportTable {
  /** Lines above the table in the workbook (figure, period, unit); the first in bold. */
  heading: string[];
  columns: { title: string; numeric: boolean }[];
  rows: (string | number | null)[][];
  sheet: string;
  /** 'YYYY-MM-DD': the workbook's dates and its zip entries' times, so the bytes repeat. */
  day: string;
}

const quote = (s: string) => (/[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);

/** RFC 4180 with CRLF; a byte-order mark so that Excel reads the diacritics as UTF-8. */
export function tableCsv(t: ExportTable): string {
  const line = (cells: (string | number | null)[]) =>
    cells
      .map((x) => (x === null ? '' : typeof x === 'number' ? String(x) : quote(safeCell(x))))
      .join(',');
  return '\uFEFF' + [t.columns.map((c) => c.title), ...t.rows].map(line).join('\r\n') + '\r\n';
}

/** Decimals a value carries (up to 6), so its cell shows what the screen shows. */
function decimalsOf(v: number): number {
  for (let d = 0; d < 6; d++) {
    const x = v * 10 ** d;
    if (Math.abs(x - Math.round(x)) < 1e-9 * Math.max(1, Math.abs(x))) return d;
  }
  return 6;
}

export async function tableXlsx(t: ExportTable): Promise<Uint8Array> {
  const wb = new ExcelJS.Workbook();
  const date = new Date(`${t.day}T00:00:00Z`);
  wb.creator = 'Opsroom';
  wb.created = date;
  wb.modified = date;
  const ws = wb.addWorksheet(t.sheet.slice(0, 31));
  t.heading.forEach((text, i) => {
    const cell = ws.getCell(i + 1, 1);
    cell.value = safeCell(text);
    cell.font = i === 0 ? { bold: true, size: 13 } : {};
  });
  const headerRow = t.heading.length + 2;
  t.columns.forEach((c, j) => {
    const cell = ws.getCell(headerRow, j + 1);
    cell.value = safeCell(c.title);
    cell.font = { bold: true };
    cell.alignment = { wrapText: true, vertical: 'top' };
  });
  t.rows.forEach((row, i) => {
    row.forEach((v, j) => {
      const cell = ws.getCell(headerRow + 1 + i, j + 1);
      if (v === null || v === '') return;
      if (typeof v === 'number') {
        cell.value = v;
        cell.numFmt = viNumFmt(decimalsOf(v));
      } else cell.value = safeCell(v);
    });
  });
  t.columns.forEach((c, j) => {
    const longest = Math.max(c.title.length, ...t.rows.map((r) => String(r[j] ?? '').length));
    ws.getColumn(j + 1).width = Math.min(60, Math.max(c.numeric ? 12 : 10, longest + 2));
  });
  ws.views = [{ state: 'frozen', ySplit: headerRow }];
  const bytes = new Uint8Array(await wb.xlsx.writeBuffer());
  return stampZip(bytes, t.day);
}
