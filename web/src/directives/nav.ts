import { linkTo as linkToShared, navigate as go } from '../nav.ts';

export { notifyNavigation, useLocation } from '../nav.ts';

/** Paths of the directive screens. */
export const DIRECTIVES_PATH = '/chi-dao';
export const ISSUE_PATH = '/chi-dao/moi';
export const ASSIGN_PATH = '/chi-dao/giao-viec';
export const TASK_PATH = '/chi-dao/viec';
export const PLAN_PATH = '/ke-hoach';
export const FOLLOWUP_PATH = '/theo-doi';

/** Moves between the directive screens put the keyboard at the new screen's start. */
export function navigate(to: string): void {
  go(to, { focusMain: true });
}

export const linkTo = (to: string) => linkToShared(to, navigate);
