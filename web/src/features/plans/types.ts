import type { Schemas } from '../../shared/api/client.ts';

/** `GET /api/plans/{unit}/{week}`: a unit's tasks of an ISO week and where its plan stands. */
export type Plan = Schemas['WeeklyPlan'];

/** `GET /api/plans?week=`: the week's plans of the units below a superior's. */
export type PlanList = Schemas['WeeklyPlanList'];
