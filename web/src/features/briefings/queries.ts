import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  createBriefing,
  editParagraph,
  fetchBriefing,
  fetchBriefings,
  fetchTemplates,
  issueBriefing,
  reviseBriefing,
  type BriefingDetail,
  type CreateInput,
} from './data.ts';

/** Server state of the briefing screens: one query per list and per briefing. */

const LIST_KEY = ['briefings'] as const;
const detailKey = (id: number) => ['briefing', id] as const;

export function useBriefingList() {
  return useQuery({ queryKey: LIST_KEY, queryFn: ({ signal }) => fetchBriefings(signal) });
}

/** Templates are metadata: asked once per page load. */
export function useTemplates() {
  return useQuery({
    queryKey: ['briefingTemplates'],
    queryFn: ({ signal }) => fetchTemplates(signal),
    staleTime: Infinity,
  });
}

export function useBriefing(id: number) {
  return useQuery({
    queryKey: detailKey(id),
    queryFn: ({ signal }) => fetchBriefing(id, signal),
    enabled: Number.isSafeInteger(id) && id > 0,
  });
}

/** Every write answers the briefing as it now is: the page shows it, the list asks again. */
function useStore() {
  const qc = useQueryClient();
  return (d: BriefingDetail) => {
    qc.setQueryData(detailKey(d.id), d);
    void qc.invalidateQueries({ queryKey: LIST_KEY });
  };
}

export function useCreateBriefing() {
  const store = useStore();
  return useMutation({
    mutationFn: ({ input, key }: { input: CreateInput; key: string }) => createBriefing(input, key),
    onSuccess: store,
  });
}

export function useEditParagraph(id: number) {
  const store = useStore();
  return useMutation({
    mutationFn: ({ line, vi, en }: { line: string; vi: string; en?: string }) =>
      editParagraph(id, line, { vi, en }),
    onSuccess: store,
  });
}

export function useIssue(id: number) {
  const store = useStore();
  return useMutation({ mutationFn: (key: string) => issueBriefing(id, key), onSuccess: store });
}

/** A revision is a new draft of the series; the issued one now lists it among its revisions. */
export function useRevise(id: number) {
  const store = useStore();
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (key: string) => reviseBriefing(id, key),
    onSuccess: (d) => {
      store(d);
      void qc.invalidateQueries({ queryKey: detailKey(id) });
    },
  });
}
