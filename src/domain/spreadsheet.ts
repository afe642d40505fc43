/**
 * Cells that Opsroom writes for spreadsheets (CSV, and XLSX when a writer appears): every one
 * goes through `safeCell`, so that text somebody typed cannot run as a formula when the file is
 * opened (OWASP's CSV injection rule).
 *
 * The rule: a cell that starts with `=`, `+`, `-`, `@`, a tab or a carriage return gets a
 * single quote in front (`'=HYPERLINK(…)`), which a spreadsheet shows as text and never runs —
 * except a plain number (`-5`, `-1.5e3`, `-.5`), which is data, not a formula, and stays as it
 * is so that the file imports back into DHIS2 and Opsroom with the same values. A plain number
 * here is an optional minus, digits with an optional decimal point (or a point and digits) and
 * an optional exponent; `+1` is not one (a spreadsheet would run it, and no value Opsroom
 * stores is written so). JSON and XML are not spreadsheet formats: they keep values verbatim.
 *
 * A future XLSX writer (the briefing) writes text cells through `safeCell` too, and numbers as
 * numeric cells.
 */

/**
 * Characters a spreadsheet reads as the start of a formula (or that hide one, tab and CR). The
 * same rule runs in SQL for the server's CSV export (db/csv-cell.sql.ts, `safeCellSql`), built
 * from these two constants; src/db/csv-cell.test.ts checks that both agree.
 */
export const FORMULA_START = '=+@\t\r-';

/** A plain number; the same text is a JavaScript and a PostgreSQL (ARE) regular expression. */
export const PLAIN_NUMBER_PATTERN = '^-?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)([eE][+-]?[0-9]+)?$';

const PLAIN_NUMBER = new RegExp(PLAIN_NUMBER_PATTERN);

/** Whether a spreadsheet could run this text as a formula. */
export function isFormulaLike(text: string): boolean {
  return text.length > 0 && FORMULA_START.includes(text[0]!) && !PLAIN_NUMBER.test(text);
}

/** The text to write in a spreadsheet cell: formula-like text behind a single quote. */
export function safeCell(text: string): string {
  return isFormulaLike(text) ? `'${text}` : text;
}
