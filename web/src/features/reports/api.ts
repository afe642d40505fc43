import { answer, ApiError, apiErrorFrom, client, type Schemas } from '../../shared/api/client.ts';
import type { Lang } from '../../shared/i18n.ts';
import { reportText, type ReportKey } from './messages.ts';

/** What the citizens' pages and the officers' report screen read and send (issue 20). */

export type PublicCategory = Schemas['CitizenPublicCategory'];
export type PublicReport = Schemas['CitizenReportPublic'];
export type PublicEvent = Schemas['CitizenReportPublicEvent'];
export type Receipt = Schemas['CitizenReportReceipt'];
export type OfficerReport = Schemas['CitizenReport'];
export type PlaceUnit = Schemas['PlaceUnit'];
export type PlaceMatch = Schemas['PlaceMatch'];
export type ReportStatus = Schemas['CitizenReportStatus'];

export const DESCRIPTION_MAX = 4000;
export const PHOTOS_MAX = 5;
export const REPORT_PATH = '/phan-anh';
export const LOOKUP_PATH = '/phan-anh/tra-cuu';
export const OFFICER_REPORT_PATH = '/phan-anh-xu-ly';
export const statusPath = (code: string) => `${REPORT_PATH}/${encodeURIComponent(code)}`;

/** PA-XXXX-XXXX from what a citizen typed (lower case, spaces, no dashes), or undefined. */
export function trackingCode(s: string): string | undefined {
  const c = s.toUpperCase().replace(/[^0-9A-Z]/g, '');
  const m = /^(?:PA)?([2-9A-HJKMNP-Z]{4})([2-9A-HJKMNP-Z]{4})$/.exec(c);
  return m ? `PA-${m[1]}-${m[2]}` : undefined;
}

export async function loadCategories(signal?: AbortSignal): Promise<PublicCategory[]> {
  return (await answer(client.GET('/api/public/categories', { signal }))).items;
}

export function loadPublicReport(code: string, signal?: AbortSignal): Promise<PublicReport> {
  return answer(client.GET('/api/public/reports/{code}', { params: { path: { code } }, signal }));
}

export function searchPlaces(q: string, signal?: AbortSignal) {
  return answer(client.GET('/api/places/search', { params: { query: { q, limit: 8 } }, signal }));
}

export function locatePlace(lat: number, lon: number) {
  return answer(
    client.GET('/api/places/locate', { params: { query: { lat: String(lat), lon: String(lon) } } }),
  );
}

/** `8 giờ làm việc` · `5 ngày làm việc` (vi); `8 working hours` · `5 working days` (en). */
export function deadlineText(lang: Lang, d: { hours: number } | { days: number }): string {
  if ('hours' in d) return lang === 'vi' ? `${d.hours} giờ làm việc` : `${d.hours} working hours`;
  return lang === 'vi' ? `${d.days} ngày làm việc` : `${d.days} working days`;
}

export function statusLabel(lang: Lang, status: string): string {
  const key = `st_${status}` as ReportKey;
  return reportText(lang, key);
}

/** The text of an error in the language shown; the API gives both. */
export function errorText(lang: Lang, e: unknown): string {
  if (e instanceof ApiError) {
    if (e.code === 'network') return reportText(lang, 'networkError');
    return e.messages?.[lang] ?? e.message;
  }
  return e instanceof Error ? e.message : String(e);
}

/**
 * A validation error's problems by field (`description`, `contact.phone`…), in the language
 * shown: the API names the path of each (`details.issues`).
 */
export function fieldErrors(lang: Lang, e: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (!(e instanceof ApiError)) return out;
  const issues = (e.details as { issues?: { path?: string; vi?: string; en?: string }[] })?.issues;
  if (!Array.isArray(issues)) return out;
  for (const i of issues) {
    const field = (i.path ?? '').split('.').slice(0, 2).join('.');
    const text = (lang === 'vi' ? i.vi : i.en) ?? i.en ?? '';
    if (!out[field]) out[field] = text;
  }
  return out;
}

/** A photo on its way: progress 0..1, then the server's answer. */
export interface UploadedPhoto {
  id: number;
  key: string;
}

/**
 * POST a photo as multipart with upload progress (fetch gives none): the public route for a
 * citizen, the signed-in attachments route (with its anti-forgery token) for an officer.
 */
export function uploadWithProgress<T>(
  url: string,
  file: File,
  onProgress: (fraction: number) => void,
  headers: Record<string, string> = {},
): { done: Promise<T>; abort: () => void } {
  const xhr = new XMLHttpRequest();
  const done = new Promise<T>((resolve, reject) => {
    xhr.open('POST', url);
    xhr.responseType = 'text';
    xhr.setRequestHeader('Accept-Language', headers['Accept-Language'] ?? 'vi');
    for (const [k, v] of Object.entries(headers)) xhr.setRequestHeader(k, v);
    xhr.upload.onprogress = (ev) => {
      if (ev.lengthComputable) onProgress(ev.loaded / ev.total);
    };
    xhr.onload = () => {
      let data: unknown;
      try {
        data = xhr.responseText ? JSON.parse(xhr.responseText) : undefined;
      } catch {
        data = undefined;
      }
      if (xhr.status >= 200 && xhr.status < 300) resolve(data as T);
      else reject(apiErrorFrom(xhr.status, xhr.statusText, data));
    };
    xhr.onerror = () => reject(new ApiError(0, 'network', '', undefined));
    xhr.onabort = () => reject(new DOMException('aborted', 'AbortError'));
    const form = new FormData();
    form.append('file', file);
    xhr.send(form);
  });
  return { done, abort: () => xhr.abort() };
}

/** A new UUID v4 (getRandomValues works outside secure contexts, unlike randomUUID). */
export function uuid(): string {
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6]! & 0x0f) | 0x40;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const h = Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/**
 * 14:05 20/01/2026 (vi) · 20/01/2026, 14:05 (en), in Viet Nam's time: the app's format, written
 * here so the public page does not carry the app's period rules.
 */
export function formatDateTime(lang: Lang, at: string | Date): string {
  const t = typeof at === 'string' ? new Date(at) : at;
  if (Number.isNaN(t.getTime())) return String(at);
  const vn = new Date(t.getTime() + 7 * 3_600_000).toISOString();
  const [y, m, d] = vn.slice(0, 10).split('-');
  const time = vn.slice(11, 16);
  return lang === 'vi' ? `${time} ${d}/${m}/${y}` : `${d}/${m}/${y}, ${time}`;
}
