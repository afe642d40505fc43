import { getLang } from '../../shared/i18n.ts';
import {
  answer,
  apiErrorOf,
  ApiError,
  client,
  csrfHeader,
  type Schemas,
} from '../../shared/api/client.ts';
import type { paths } from '../../shared/api/openapi.gen.ts';

/** The shapes of /api/directives, /api/inbox, /api/tasks, /api/plans and /api/followup. */

/** The live topics of these screens (see web/src/shared/live.tsx). */
export const DIRECTIVE_TOPICS = ['directive', 'task', 'reminder', 'escalation', 'plan'] as const;

/** The shapes below are the server's, as its schemas declare them (src/contract/*.ts). */
export type Task = Schemas['Task'];
/** One task as `GET /api/tasks/{id}` and the writes on it answer: with milestones and files. */
export type TaskDetail = Schemas['TaskDetail'];
export type TaskStatus = Task['status'];
export type Directive = Schemas['Directive'];
export type Priority = Directive['priority'];
export type Target = Schemas['DirectiveTarget'];
export type Attachment = Schemas['Attachment'];
/** A unit as a board row names it (what the board's drill-down opens). */
export type UnitRef = Schemas['DirectiveBoard']['rows'][number]['unit'];
export const PRIORITIES: Priority[] = ['normal', 'high', 'urgent'];

export type Milestone = TaskDetail['milestones'][number];

/** A comment on a task, as the server's schema declares it. */
export type Comment = Schemas['TaskComment'];

/** One change of a task (`GET /api/tasks/{id}/history`). */
export type HistoryEntry = Schemas['TaskHistory']['events'][number];

/** `GET /api/directives/{id}/board`, as the server's schema declares it. */
export type Board = Schemas['DirectiveBoard'];
export type BoardRow = Board['rows'][number];
export type BoardCounts = Board['totals'];
export type Laggard = Board['laggards'][number];

/** What a task asks: its directive's, or its own for a task assigned outside a directive. */
export const directiveOf = (t: Task & { attachments?: Attachment[] }) => ({
  id: t.directive?.id ?? t.directiveId,
  title: t.directive?.title ?? t.title,
  body: t.directive?.body ?? '',
  priority: t.directive?.priority ?? 'normal',
  dueDate: t.dueDate,
  attachments: t.attachments ?? [],
});

/** Who did something, as the history names them. */
export const personName = (p: { name: string } | null | undefined): string => p?.name ?? '';

export const fileName = (a: Attachment) => a.fileName;

/** One page of the directive list, as `GET /api/directives` answers it. */
export type DirectivePage = Schemas['DirectiveList'];
export type DirectiveListItem = DirectivePage['items'][number];
export type DirectiveQuery = NonNullable<paths['/api/directives']['get']['parameters']['query']>;

/** A page of the directives the caller sees, narrowed by the list's filters. */
export async function loadDirectivePage(
  query: DirectiveQuery,
  signal?: AbortSignal,
): Promise<DirectivePage> {
  return answer(client.GET('/api/directives', { params: { query }, signal }));
}

/**
 * Tasks of the caller's units; `ownUnit`: of a directive's tasks only the caller's unit's (those
 * of the units below are on the directive's board).
 */
export async function loadInbox(ownUnit = false, signal?: AbortSignal): Promise<Task[]> {
  const query = ownUnit ? { to: 'unit' as const } : {};
  return (await answer(client.GET('/api/inbox', { params: { query }, signal }))).items;
}
/** Opening a task as its recipient records it as read. */
export async function loadTask(id: string, signal?: AbortSignal): Promise<TaskDetail> {
  return answer(client.GET('/api/tasks/{id}', { params: { path: { id: Number(id) } }, signal }));
}
/** A task's changes (comments among them, as `comment` events) and its comments. */
export async function loadHistory(
  id: string,
  signal?: AbortSignal,
): Promise<{ events: HistoryEntry[]; comments: Comment[] }> {
  const { events, comments } = await answer(
    client.GET('/api/tasks/{id}/history', { params: { path: { id: Number(id) } }, signal }),
  );
  return { events, comments };
}
export async function loadBoard(id: string, unit?: string, signal?: AbortSignal): Promise<Board> {
  return answer(
    client.GET('/api/directives/{id}/board', {
      params: { path: { id: Number(id) }, query: { unit } },
      signal,
    }),
  );
}

export type StatusInput = Schemas['TaskStatusInput'];

export async function reportStatus(id: string, body: StatusInput): Promise<TaskDetail> {
  return answer(
    client.POST('/api/tasks/{id}/status', { params: { path: { id: Number(id) } }, body }),
  );
}

export async function addComment(id: string, text: string): Promise<Comment> {
  return answer(
    client.POST('/api/tasks/{id}/comments', {
      params: { path: { id: Number(id) } },
      body: { body: text },
    }),
  );
}

export async function completeMilestone(id: string, milestone: number): Promise<TaskDetail> {
  return answer(
    client.POST('/api/tasks/{id}/milestones/{milestoneId}/done', {
      params: { path: { id: Number(id), milestoneId: milestone } },
    }),
  );
}

export type NewTask = Schemas['StandaloneTaskInput'];

/** A task outside a directive; the key makes a resend of the same form a replay, not a copy. */
export async function assignTask(body: NewTask, idempotencyKey?: string): Promise<TaskDetail> {
  return answer(
    client.POST('/api/tasks', {
      body,
      ...(idempotencyKey ? { params: { header: { 'Idempotency-Key': idempotencyKey } } } : {}),
    }),
  );
}

export async function remind(id: string, unit?: string): Promise<{ reminded: number }> {
  return answer(
    client.POST('/api/directives/{id}/remind', {
      params: { path: { id: Number(id) }, query: { unit } },
    }),
  );
}

export type NewDirective = Schemas['DirectiveInput'];

/** Issues a directive; the key makes a resend of the same form a replay, not a second one. */
export async function issueDirective(
  body: NewDirective,
  idempotencyKey?: string,
): Promise<{ directive: Directive; taskCount: number }> {
  return answer(
    client.POST('/api/directives', {
      body,
      ...(idempotencyKey ? { params: { header: { 'Idempotency-Key': idempotencyKey } } } : {}),
    }),
  );
}

/** A file sent as multipart/form-data (the typed client speaks JSON only). */
export async function uploadAttachment(file: File): Promise<Attachment> {
  const form = new FormData();
  form.append('file', file, file.name);
  const headers: Record<string, string> = {
    Accept: 'application/json',
    'Accept-Language': getLang() === 'en' ? 'en' : 'vi',
  };
  const token = csrfHeader();
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
  if (!res.ok) throw await apiErrorOf(res);
  const data: unknown = await res.json().catch(() => undefined);
  if (!isAttachment(data)) throw new ApiError(res.status, `http_${res.status}`, '', undefined);
  return data;
}

/** The answer of `POST /api/attachments` (a 201 with the stored file), checked as it comes. */
function isAttachment(x: unknown): x is Attachment {
  if (typeof x !== 'object' || x === null) return false;
  const a: Partial<Record<keyof Attachment, unknown>> = x;
  return (
    typeof a.id === 'number' &&
    typeof a.fileName === 'string' &&
    typeof a.contentType === 'string' &&
    typeof a.size === 'number'
  );
}

export { vnToday } from '../../shared/format.ts';

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
  const d = (Date.parse(today) - Date.parse(t.dueDate)) / 86_400_000;
  return d > 0 ? Math.round(d) : 0;
}
