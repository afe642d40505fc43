import type { Message } from './errors.ts';

/**
 * Moderation of citizens' reports (issue 20, "Abuse"): a public form gets spam and insults. A
 * report may be flagged, automatically at intake or by an officer of its handling unit; a
 * flagged report is still received and routed (a real report is never lost) but waits in the
 * moderation queue and stays off the public answer lists until an officer releases it (back to
 * normal) or hides it (refused as abusive: the public sees neither its text nor its photos).
 * No third-party service: a few plain rules below, erring towards flagging, since a flag only
 * asks a person to look.
 */

export const MODERATION_STATES = ['none', 'flagged', 'hidden'] as const;
export type ModerationState = (typeof MODERATION_STATES)[number];

/** Why a report was flagged: one of the automatic rules, or an officer. */
export const MODERATION_RULES = ['link', 'repeat', 'gibberish', 'insult', 'officer'] as const;
export type ModerationRule = (typeof MODERATION_RULES)[number];
export type AutoFlagRule = Exclude<ModerationRule, 'officer'>;

/** Only these reports may appear on public lists (answers, Open311 `requests`). */
export const PUBLICLY_LISTED: readonly ModerationState[] = ['none'];

/** What the public sees of a report hidden as abusive, in place of its text. */
export const HIDDEN_REASON: Message = {
  vi: 'Từ chối xử lý: nội dung vi phạm quy định (lăng mạ, quảng cáo hoặc spam)',
  en: 'Refused: abusive content',
};

export const AUTO_FLAG_REASONS: Record<AutoFlagRule, Message> = {
  link: { vi: 'Nội dung có đường dẫn (link)', en: 'The description holds a link' },
  repeat: {
    vi: 'Cùng nội dung đã được gửi trong 24 giờ qua',
    en: 'The same text was sent within the last 24 hours',
  },
  gibberish: {
    vi: 'Nội dung phần lớn không phải chữ hoặc lặp một ký tự',
    en: 'The description is mostly not letters, or one character repeated',
  },
  insult: { vi: 'Nội dung có từ ngữ thô tục', en: 'The description holds insults' },
};

/** A text sent again within this long, from any address, is flagged. */
export const REPEAT_WINDOW_MS = 24 * 3_600_000;
/** Short texts ("Ổ gà", "Mất điện") repeat innocently between neighbours: not compared. */
export const REPEAT_MIN_LENGTH = 20;

/**
 * The text as compared for repeats: lower case, without diacritics (đ as d), only letters and
 * digits separated by one space. A flood that changes case, accents or punctuation is the same.
 */
export function descriptionFingerprint(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/[đĐ]/g, 'd')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

const LINK =
  /(?:https?:\/\/|www\.)|\b[a-z0-9-]{2,}\.(?:com|net|org|vn|xyz|top|info|io|me|biz|link|club|site|online|shop|ru|cn)\b/i;

// Insults written with their diacritics, as whole words or phrases.
const INSULTS_VI = [
  'địt',
  'đụ',
  'lồn',
  'cặc',
  'đéo',
  'đĩ',
  'óc chó',
  'đồ chó',
  'mẹ mày',
  'con chó',
];
// Insults typed without diacritics or as the usual abbreviations, matched only as typed: folding
// diacritics away would make innocent words match ("lớn", big, would read as an insult).
const INSULTS_ASCII = [
  'dit me',
  'dit con me',
  'du ma',
  'dcm',
  'dkm',
  'dmm',
  'vcl',
  'vkl',
  'clgt',
  'oc cho',
  'do cho',
];

/** The words of a text, lower case, one space apart and padded: ' a b c '. */
const words = (text: string) =>
  ` ${text
    .normalize('NFC')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim()} `;

/**
 * The automatic rule a description breaks at intake, or undefined: a link (spam advertises), a
 * text sent again within a day (floods; `repeated` is told by the caller, who compared the
 * fingerprint's hash), mostly non-letters (under 30%) or one character repeated ten times (keyboard
 * mashing), or an insult from a short list.
 */
export function autoFlag(text: string, repeated: boolean): AutoFlagRule | undefined {
  // An email address is a contact, not a link: left out before looking for a domain.
  if (LINK.test(text.replace(/[^\s@]+@[^\s@]+/g, ' '))) return 'link';
  if (repeated) return 'repeat';
  const visible = text.replace(/\s+/g, '');
  const letters = (visible.match(/\p{L}/gu) ?? []).length;
  if (/(.)\1{9,}/su.test(visible) || (visible.length >= 20 && letters / visible.length < 0.3))
    return 'gibberish';
  const w = words(text);
  if ([...INSULTS_VI, ...INSULTS_ASCII].some((i) => w.includes(` ${i} `))) return 'insult';
  return undefined;
}

/** Whether a text is long enough to be compared for repeats. */
export const comparedForRepeats = (text: string) =>
  descriptionFingerprint(text).length >= REPEAT_MIN_LENGTH;
