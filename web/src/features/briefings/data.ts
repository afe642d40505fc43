import {
  answer,
  ApiError,
  client,
  newIdempotencyKey,
  type Schemas,
} from '../../shared/api/client.ts';

/** The shapes of /api/briefings, as the server's contract declares them (src/contract/briefing.ts). */

export type BriefingSummary = Schemas['BriefingSummary'];
export type BriefingDetail = Schemas['BriefingDetail'];
export type BriefingDocument = Schemas['BriefingDocument'];
export type BriefingSection = BriefingDocument['sections'][number];
export type BriefingParagraph = BriefingSection['paragraphs'][number];
export type BriefingFigure = Schemas['BriefingFigure'];
export type BriefingChange = NonNullable<BriefingFigure['yoy']>;
export type BriefingDifference = Schemas['BriefingDifference'];
export type TemplateSummary = Schemas['BriefingTemplateList']['items'][number];

export const fetchBriefings = (signal?: AbortSignal) =>
  answer(client.GET('/api/briefings', { signal })).then((r) => r.items);

export const fetchTemplates = (signal?: AbortSignal) =>
  answer(client.GET('/api/briefingTemplates', { signal })).then((r) => r.items);

/** The page's JSON (the same path answers the exports, hence the contract's union). */
export async function fetchBriefing(id: number, signal?: AbortSignal): Promise<BriefingDetail> {
  const r = await answer(
    client.GET('/api/briefings/{id}', { params: { path: { id: String(id) } }, signal }),
  );
  if (typeof r === 'string') throw new ApiError(0, 'network', '', undefined);
  return r;
}

export interface CreateInput {
  template: string;
  period: string;
  unit?: string;
}

/** Writes carry an Idempotency-Key: a repeated click is one draft, one issue, one revision. */
const once = (key: string) => ({ header: { 'Idempotency-Key': key } });

export const createBriefing = (input: CreateInput, key = newIdempotencyKey()) =>
  answer(client.POST('/api/briefings', { params: once(key), body: input }));

export const editParagraph = (id: number, line: string, text: { vi: string; en?: string }) =>
  answer(
    client.PUT('/api/briefings/{id}/paragraphs/{line}', {
      params: { path: { id, line } },
      body: text,
    }),
  );

export const issueBriefing = (id: number, key = newIdempotencyKey()) =>
  answer(client.POST('/api/briefings/{id}/issue', { params: { ...once(key), path: { id } } }));

export const reviseBriefing = (id: number, key = newIdempotencyKey()) =>
  answer(client.POST('/api/briefings/{id}/revise', { params: { ...once(key), path: { id } } }));
