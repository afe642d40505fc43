import { z } from 'zod';
import type { Message } from './errors.ts';

/**
 * Text hygiene at the boundary: characters that PostgreSQL refuses (NUL), that no name or note
 * needs (the other C0 controls and DEL) or that are not text at all (a lone UTF-16 surrogate,
 * which JSON can spell as "\ud800") are refused where text enters — per row in an import, as a
 * 400 on a request — rather than failing in the database as a 500. TAB, LF and CR are allowed
 * where text may span lines (a directive body, a comment).
 */

export interface TextRules {
  /** Allow TAB, LF and CR (notes, bodies, comments); single-line text refuses them. */
  multiline?: boolean;
}

const hex = (c: number) => `U+${c.toString(16).toUpperCase().padStart(4, '0')}`;

/** The first thing wrong with `s` as text, or undefined when it is clean. */
export function textProblem(s: string, rules: TextRules = {}): Message | undefined {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    // Fast path: printable ASCII and everything above DEL but the surrogates.
    if ((c >= 0x20 && c < 0x7f) || (c > 0x7f && c < 0xd800) || c > 0xdfff) continue;
    if (c === 0x09 || c === 0x0a || c === 0x0d) {
      if (rules.multiline) continue;
      return {
        vi: `có ký tự xuống dòng hoặc tab (${hex(c)}) ở vị trí ${i + 1}; ở đây chỉ nhận một dòng`,
        en: `holds a line break or tab (${hex(c)}) at position ${i + 1}; a single line is expected here`,
      };
    }
    if (c < 0x20 || c === 0x7f) {
      return {
        vi: `có ký tự điều khiển ${hex(c)} ở vị trí ${i + 1}, không được phép`,
        en: `holds the control character ${hex(c)} at position ${i + 1}, which is not allowed`,
      };
    }
    if (c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        i++;
        continue;
      }
    }
    return {
      vi: `có nửa ký tự UTF-16 lẻ (surrogate ${hex(c)}) ở vị trí ${i + 1}: không phải văn bản hợp lệ`,
      en: `holds a lone UTF-16 surrogate ${hex(c)} at position ${i + 1}: not valid text`,
    };
  }
  return undefined;
}

/** `textProblem` as a sentence about a named field, e.g. "displayName holds …". */
export function fieldTextProblem(
  field: string,
  s: string | undefined | null,
  rules?: TextRules,
): Message | undefined {
  if (s === undefined || s === null) return undefined;
  const p = textProblem(s, rules);
  return p && { vi: `Trường ${field} ${p.vi}`, en: `${field} ${p.en}` };
}

/** A zod string checked by `textProblem`; the issue carries its Vietnamese wording in `params.vi`. */
const cleanText = (rules: TextRules) =>
  z.string().superRefine((s, ctx) => {
    const p = textProblem(s, rules);
    if (p) ctx.addIssue({ code: 'custom', message: p.en, params: { vi: p.vi } });
  });

/** One line of text: names, titles, codes, search words. */
export const plainText = () => cleanText({});
/** Text that may span lines (TAB, LF, CR allowed): bodies, comments, notes, descriptions. */
export const multilineText = () => cleanText({ multiline: true });

/** `s` with control characters and lone surrogates written as \uXXXX, to show in a report. */
export function visibleText(s: string): string {
  if (textProblem(s) === undefined) return s;
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const pair =
      c >= 0xd800 && c <= 0xdbff && i + 1 < s.length && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00;
    if (pair) {
      out += s.slice(i, i + 2);
      i++;
    } else if (c < 0x20 || c === 0x7f || (c >= 0xd800 && c <= 0xdfff)) {
      out += `\\u${c.toString(16).padStart(4, '0')}`;
    } else out += s[i];
  }
  return out;
}
