import { api, ApiError } from '../../api.ts';
import { getLang } from '../../shared/i18n.ts';
import { client, type Schemas } from '../../shared/api/client.ts';

/** The shapes of /api/directives, /api/inbox, /api/tasks, /api/plans and /api/followup. */

/** The live topics of these screens (see web/src/shared/live.tsx). */
export const DIRECTIVE_TOPICS = ['directive', 'task', 'reminder', 'escalation', 'plan'] as const;

export type Priority = 'normal' | 'high' | 'urgent';
export type TaskStatus = 'received' | 'acknowledged' | 'in_progress' | 'done' | 'blocked';
export const PRIORITIES: Priority[] = ['normal', 'high', 'urgent'];

export interface UnitRef {
  code: string;
  name: string;
  fullName?: string;
  level?: number;
  version?: string;
}

export interface Target {
  kind: 'units' | 'level' | 'group' | 'nation';
  version?: string;
  units?: string[];
  unit?: string;
  level?: number;
  group?: string;
}

export interface Attachment {
  id: string | number;
  name?: string;
  fileName?: string;
  filename?: string;
  size?: number;
  contentType?: string;
  url?: string;
}

export interface Directive {
  id: string | number;
  title: string;
  body: string;
  priority: Priority;
  dueDate: string;
  target?: Target;
  version?: string;
  taskCount?: number;
  issuedBy?: string | { name?: string; username?: string; displayName?: string };
  issuedAt?: string;
  createdAt?: string;
  issuer?: { name?: string; unit?: UnitRef };
  attachments?: Attachment[];
}

export interface Task {
  id: string | number;
  status: TaskStatus;
  dueDate?: string;
  readAt?: string | null;
  acknowledgedAt?: string | null;
  doneAt?: string | null;
  progress?: number | null;
  reason?: string | null;
  note?: string | null;
  unit?: UnitRef;
  directive?: (Partial<Directive> & { id: string | number; issuerName?: string }) | null;
  blockedReason?: string | null;
  lastReport?: string | null;
  directiveId?: string | number | null;
  title?: string;
  body?: string;
  priority?: Priority;
  overdue?: boolean;
  daysLate?: number;
  attachments?: Attachment[];
  createdAt?: string;
  milestones?: Milestone[];
  assigneeId?: number | null;
}

export type Milestone = Schemas['TaskDetail']['milestones'][number];

/** A comment on a task, as the server's schema declares it. */
export type Comment = Schemas['TaskComment'];

export interface HistoryEntry {
  id?: string | number;
  at: string;
  kind?: string;
  action?: string;
  from?: string | null;
  to?: string | null;
  status?: string | null;
  note?: string | null;
  reason?: string | null;
  text?: string | null;
  body?: string | null;
  by?: string | { name?: string; username?: string } | null;
  progress?: number | null;
  figures?: Record<string, number> | null;
  attachments?: Attachment[];
  actor?: string | { name?: string; username?: string } | null;
}

/** `GET /api/directives/{id}/board`, as the server's schema declares it. */
export type Board = Schemas['DirectiveBoard'];
export type BoardRow = Board['rows'][number];
export type BoardCounts = Board['totals'];
export type Laggard = Board['laggards'][number];

/** A list answer may be a bare array or `{ items }`. */
export function itemsOf<T>(x: unknown): T[] {
  if (Array.isArray(x)) return x as T[];
  const o = x as { items?: T[]; tasks?: T[]; directives?: T[]; events?: T[] } | undefined;
  return o?.items ?? o?.tasks ?? o?.directives ?? o?.events ?? [];
}

export const directiveOf = (t: Task) => ({
  id: t.directive?.id ?? t.directiveId,
  title: t.directive?.title ?? t.title ?? '',
  body: t.directive?.body ?? t.body ?? '',
  priority: t.directive?.priority ?? t.priority ?? 'normal',
  dueDate: t.dueDate ?? t.directive?.dueDate ?? '',
  attachments: t.attachments ?? t.directive?.attachments ?? [],
});

export function personName(p: unknown): string {
  if (!p) return '';
  if (typeof p === 'string') return p;
  const o = p as { displayName?: string; name?: string; username?: string };
  return o.displayName ?? o.name ?? o.username ?? '';
}

export const fileName = (a: Attachment) => a.name ?? a.fileName ?? a.filename ?? String(a.id);

export const loadInbox = async () => itemsOf<Task>(await api('/api/inbox'));
/** The directives issued on the caller's side (not those sent to its units). */
export const loadDirectives = async () =>
  itemsOf<Directive>(await api('/api/directives?issued=true'));
/** Opening a task as its recipient records it as read. */
export async function loadTask(id: string, signal?: AbortSignal): Promise<Task> {
  const { data } = await client.GET('/api/tasks/{id}', {
    params: { path: { id: Number(id) } },
    signal,
  });
  return data!; // an error answer throws (shared/api/client.ts)
}
/** A task's changes (comments among them, as `comment` events) and its comments. */
export async function loadHistory(
  id: string,
  signal?: AbortSignal,
): Promise<{ events: HistoryEntry[]; comments: Comment[] }> {
  const { data } = await client.GET('/api/tasks/{id}/history', {
    params: { path: { id: Number(id) } },
    signal,
  });
  return { events: data!.events, comments: data!.comments };
}
export async function loadBoard(id: string, unit?: string, signal?: AbortSignal): Promise<Board> {
  const { data } = await client.GET('/api/directives/{id}/board', {
    params: { path: { id: Number(id) }, query: { unit } },
    signal,
  });
  return data!; // an error answer throws (shared/api/client.ts)
}

export interface StatusInput {
  status: Exclude<TaskStatus, 'received'>;
  reason?: string;
  note?: string;
  progress?: number;
  figures?: Record<string, number>;
  attachmentIds?: number[];
}

export async function reportStatus(id: string, body: StatusInput): Promise<Task> {
  const { data } = await client.POST('/api/tasks/{id}/status', {
    params: { path: { id: Number(id) } },
    body,
  });
  return data!;
}

export async function addComment(id: string, text: string): Promise<Comment> {
  const { data } = await client.POST('/api/tasks/{id}/comments', {
    params: { path: { id: Number(id) } },
    body: { body: text },
  });
  return data!;
}

export async function completeMilestone(id: string, milestone: number): Promise<Task> {
  const { data } = await client.POST('/api/tasks/{id}/milestones/{milestoneId}/done', {
    params: { path: { id: Number(id), milestoneId: milestone } },
  });
  return data!;
}

export interface NewTask {
  title: string;
  unit: string;
  version?: string;
  assignee?: number;
  dueDate: string;
  milestones?: { title: string; due: string }[];
}

export const assignTask = (body: NewTask) => api<Task>('/api/tasks', { method: 'POST', body });

export async function remind(id: string, unit?: string): Promise<{ reminded: number }> {
  const { data } = await client.POST('/api/directives/{id}/remind', {
    params: { path: { id: Number(id) }, query: { unit } },
  });
  return data!;
}

export interface NewDirective {
  title: string;
  body: string;
  priority: Priority;
  dueDate: string;
  target: Target;
  attachmentIds?: number[];
}

export const issueDirective = (body: NewDirective, idempotencyKey?: string) =>
  api<{ directive: Directive; taskCount: number }>('/api/directives', {
    method: 'POST',
    body,
    idempotencyKey,
  });

function csrf(): string | undefined {
  const m = /(?:^|;\s*)opsroom_csrf=([^;]+)/.exec(document.cookie);
  return m?.[1] ? decodeURIComponent(m[1]) : undefined;
}

/** A file sent as multipart/form-data (api() speaks JSON only). */
export async function uploadAttachment(file: File): Promise<Attachment> {
  const form = new FormData();
  form.append('file', file, file.name);
  const headers: Record<string, string> = {
    Accept: 'application/json',
    'Accept-Language': getLang() === 'en' ? 'en' : 'vi',
  };
  const token = csrf();
  if (token) headers['X-CSRF-Token'] = token;
  let res: Response;
  try {
    res = await fetch('/api/attachments', {
      method: 'POST',
      body: form,
      headers,
      credentials: 'same-origin',
    });
  } catch {
    throw new ApiError(0, 'network', '', undefined);
  }
  const data = (await res.json().catch(() => undefined)) as
    | (Attachment & {
        error?: { code?: string; message?: string; messages?: { vi: string; en: string } };
      })
    | undefined;
  if (!res.ok) {
    const e = data?.error;
    throw new ApiError(
      res.status,
      e?.code ?? 'http_' + res.status,
      e?.message ?? res.statusText,
      e?.messages,
    );
  }
  return { ...data!, name: data?.name ?? data?.fileName ?? file.name };
}

/** Today in Viet Nam (UTC+7), 'YYYY-MM-DD'. */
export function vnToday(now = new Date()): string {
  return new Date(now.getTime() + 7 * 3_600_000).toISOString().slice(0, 10);
}

export function addDaysIso(iso: string, days: number): string {
  const d = new Date(iso + 'T00:00:00Z');
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** ISO week of a date: '2025-W07'. */
export function isoWeek(iso: string): string {
  const d = new Date(iso + 'T00:00:00Z');
  const day = (d.getUTCDay() + 6) % 7; // Monday 0
  d.setUTCDate(d.getUTCDate() - day + 3); // the week's Thursday decides its year
  const year = d.getUTCFullYear();
  const week = Math.ceil(((d.getTime() - Date.UTC(year, 0, 1)) / 86_400_000 + 1) / 7);
  return `${year}-W${String(week).padStart(2, '0')}`;
}

/** Monday and Sunday of an ISO week. */
export function weekRange(week: string): { from: string; to: string } {
  const m = /^(\d{4})-W(\d{2})$/.exec(week);
  if (!m) return { from: week, to: week };
  const jan4 = new Date(Date.UTC(Number(m[1]), 0, 4));
  const monday = new Date(jan4);
  monday.setUTCDate(jan4.getUTCDate() - ((jan4.getUTCDay() + 6) % 7) + (Number(m[2]) - 1) * 7);
  const from = monday.toISOString().slice(0, 10);
  return { from, to: addDaysIso(from, 6) };
}

export function shiftWeek(week: string, by: number): string {
  return isoWeek(addDaysIso(weekRange(week).from, by * 7));
}

/** Days a task is late today (0 when not late or done). */
export function daysLateOf(t: Task, today: string): number {
  if (t.status === 'done') return 0;
  const due = t.dueDate ?? t.directive?.dueDate;
  if (!due) return 0;
  const d = (Date.parse(today) - Date.parse(due)) / 86_400_000;
  return d > 0 ? Math.round(d) : 0;
}
