import { useEffect, useRef } from 'react';
import { useQuery, useQueryClient, type QueryKey } from '@tanstack/react-query';
import { answer, client } from '../../shared/api/client.ts';
import { useLiveInvalidate } from '../../shared/live.ts';
import { DIRECTIVE_TOPICS } from '../directives/data.ts';
import type { Plan } from './types.ts';

const planKey = (unit: string, week: string) => ['plan', unit, week] as const;
const listKey = (week: string) => ['plans', week] as const;

/** What a plan can be asked to do: be submitted by its unit, approved or sent back above it. */
export type PlanAct = 'submit' | 'approve' | 'return';

/**
 * A unit's plan of a week and, for a superior, the week's plans of the units below; both kept
 * fresh by live events. `onForeignChange` hears of a change of this plan's status made elsewhere.
 */
export function usePlan(unit: string, week: string, decider: boolean, onForeignChange: () => void) {
  const queryClient = useQueryClient();
  // A superior sees the week's plans of the units below, those awaiting a decision first.
  const listQ = useQuery({
    queryKey: listKey(week),
    queryFn: ({ signal }) =>
      answer(client.GET('/api/plans', { params: { query: { week } }, signal })),
    enabled: decider,
  });
  const planQ = useQuery({
    queryKey: planKey(unit, week),
    queryFn: ({ signal }) =>
      answer(client.GET('/api/plans/{unit}/{week}', { params: { path: { unit, week } }, signal })),
  });
  const plan = planQ.data;
  const planRef = useRef<Plan | undefined>(undefined);
  useEffect(() => {
    planRef.current = plan;
  });

  useLiveInvalidate(
    DIRECTIVE_TOPICS,
    (topic, data) => {
      if (topic === 'plan') {
        const keys: QueryKey[] = data.week === week ? [listKey(week)] : [];
        // a plan event names its unit and week: only ours matters
        const u = data.unit as { code?: string } | undefined;
        if (u?.code !== undefined && (u.code !== unit || data.week !== week)) return keys;
        // someone else changed it: our last "done" message would mislead
        if (data.status !== planRef.current?.status) onForeignChange();
        return [...keys, planKey(unit, week)];
      }
      return topic === 'task' ? [planKey(unit, week)] : [];
    },
    [planKey(unit, week), listKey(week)],
  );

  /** Submits, approves or returns the plan; what the server answers is shown at once. */
  const act = async (what: PlanAct, note: string) => {
    const params = { path: { unit, week } };
    const noted = note ? { note } : {};
    const data = await answer(
      what === 'submit'
        ? client.POST('/api/plans/{unit}/{week}/submit', { params, body: noted })
        : client.POST('/api/plans/{unit}/{week}/decision', {
            params,
            body: { approve: what === 'approve', ...noted },
          }),
    );
    // At once, not after the render: our own change's live event may come in between,
    // and must not pass for someone else's (it would wipe the "done" message).
    planRef.current = data;
    queryClient.setQueryData(planKey(unit, week), data);
  };

  return { list: listQ.error ? undefined : listQ.data, plan, error: planQ.error, act };
}
