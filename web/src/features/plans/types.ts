import type { Task } from '../directives/data.ts';

/** `GET /api/plans/{unit}/{week}`: a unit's tasks of an ISO week and where its plan stands. */
export interface Plan {
  unit: { version: string; code: string; name: string; level: number };
  week: string;
  start: string;
  end: string;
  status: 'draft' | 'submitted' | 'approved' | 'returned';
  note: string | null;
  submittedBy: string | null;
  submittedAt: string | null;
  decidedBy: string | null;
  decidedAt: string | null;
  decisionNote: string | null;
  tasks: Task[];
}

/** `GET /api/plans?week=`: the week's plans of the units below a superior's. */
export interface PlanList {
  week: string;
  items: (Pick<Plan, 'unit' | 'status' | 'submittedBy' | 'submittedAt'> & {
    decidedBy: string | null;
    decidedAt: string | null;
  })[];
}
