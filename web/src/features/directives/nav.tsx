import type { ComponentProps } from 'react';
import { AppLink, useGo } from '../../shared/nav.tsx';

/** Paths of the directive screens (their routes: web/src/app/router.tsx). */
export const DIRECTIVES_PATH = '/chi-dao';
export const ISSUE_PATH = '/chi-dao/moi';
export const ASSIGN_PATH = '/chi-dao/giao-viec';
export const TASK_PATH = '/chi-dao/viec';
export const PLAN_PATH = '/ke-hoach';
export const FOLLOWUP_PATH = '/theo-doi';

export const taskPath = (id: string | number) => `${TASK_PATH}/${encodeURIComponent(String(id))}`;
export const boardPath = (id: string | number) =>
  `${DIRECTIVES_PATH}/${encodeURIComponent(String(id))}`;

/** Moves between the directive screens put the keyboard at the new screen's start. */
export function useDirGo(): (to: string) => void {
  const go = useGo();
  return (to) => go(to, { focusMain: true });
}

export function DirLink(props: ComponentProps<typeof AppLink>) {
  return <AppLink focusMain {...props} />;
}
