import { sql, type RawBuilder } from 'kysely';
import { FORMULA_START, PLAIN_NUMBER_PATTERN } from '../domain/spreadsheet.ts';

/**
 * CSV cells written by PostgreSQL, byte for byte as the TypeScript writer writes them
 * (domain/data-value-set.ts `csvText`, domain/spreadsheet.ts `safeCell`), for the server's CSV
 * export, whose lines are built in SQL and copied out untouched (data-value.export.ts).
 * csv-cell.test.ts runs both on a table of tricky texts. Cheap tests (strpos, trim) come
 * before a regular expression: these run on every cell of millions of lines.
 */

/**
 * `safeCell` in SQL, from the same two constants: text that starts with = + - @ TAB or CR and
 * is not a plain number gets a single quote in front. Null stays null.
 */
export function safeCellSql(t: RawBuilder<unknown>): RawBuilder<string> {
  return sql<string>`(case when ${t} <> '' and strpos(${FORMULA_START}, left(${t}, 1)) > 0
      and ${t} !~ ${PLAIN_NUMBER_PATTERN}
    then '''' || ${t} else ${t} end)`;
}

/** JavaScript's `String.prototype.trim` white space (ECMAScript WhiteSpace and LineTerminator). */
const JS_TRIM =
  '\t\n\v\f\r \u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a' +
  '\u2028\u2029\u202f\u205f\u3000\ufeff';

/**
 * `csvText` in SQL: `safeCellSql`, then in double quotes (inner ones doubled) when it must be:
 * a quote, comma or line break anywhere, or white space `trim` removes at either end of the
 * safe text. A leading tab never stays leading (the single quote goes before it), so the start
 * is tested on the raw text, without the tab.
 */
export function csvCellSql(t: RawBuilder<unknown>): RawBuilder<string> {
  const safe = safeCellSql(t);
  return sql<string>`(case when ${t} ~ '[",\n\r]' or rtrim(${t}, ${JS_TRIM}) <> ${t}
      or ltrim(${t}, ${JS_TRIM.replace('\t', '')}) <> ${t}
    then '"' || replace(${safe}, '"', '""') || '"' else ${safe} end)`;
}

/**
 * A double precision as JavaScript's `String(number)` writes it (the row path reads the number
 * and writes it so): PostgreSQL's shortest digits (extra_float_digits 1, the default), in plain
 * decimals from 1e-6 to 1e21, else with an exponent without leading zeros (1e-7, 1.5e+21);
 * -0 is 0.
 */
export function jsNumberSql(x: RawBuilder<unknown>): RawBuilder<string> {
  return sql<string>`(case when ${x} is null then null
    when ${x} in ('NaN'::float8, 'Infinity'::float8, '-Infinity'::float8) then ${x}::text
    when abs(${x}) >= 1e21 or (${x} <> 0 and abs(${x}) < 1e-6)
      then regexp_replace(${x}::text, 'e([+-])0*', 'e\\1')
    else ${x}::text::numeric::text end)`;
}

/** A timestamp as `Date.prototype.toISOString` writes it (milliseconds truncated, UTC). */
export function isoTimeSql(t: RawBuilder<unknown>): RawBuilder<string> {
  return sql<string>`to_char(${t} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
}

/** Joins the texts of a line for the test in `csvCellsSql` (a text holding it only slows it). */
const SEP = '\x01';

/**
 * When some text of a line joined by SEP may need more than a comma between it and the next:
 * a quote, comma or line break anywhere, a text starting with white space or a formula
 * character, or ending with white space. Looser than the cell rules (a plain -5 matches; so
 * does SEP inside a text, read as a text's start or end), never tighter: a line it does not
 * match is its texts as they are, comma-separated.
 */
const LINE_PATTERN = `[",\n\r]|(?:^|${SEP})[${JS_TRIM}${FORMULA_START}]|[${JS_TRIM}](?:${SEP}|$)`;

/**
 * The cells of several texts (none null) separated by commas, as `csvCellSql` of each: one
 * regular expression over the texts joined, and most lines need nothing more. `joined` is
 * `csvJoinSql(texts)`, computed once (in a subquery).
 */
export function csvCellsSql(
  joined: RawBuilder<unknown>,
  texts: RawBuilder<unknown>[],
): RawBuilder<string> {
  return sql<string>`(case when ${joined} ~ ${LINE_PATTERN}
    then ${sql.join(texts.map(csvCellSql), sql` || ',' || `)}
    else ${sql.join(texts, sql` || ',' || `)} end)`;
}

/** The texts joined for `csvCellsSql`. */
export function csvJoinSql(texts: RawBuilder<unknown>[]): RawBuilder<string> {
  return sql<string>`${sql.join(texts, sql` || ${SEP} || `)}`;
}
