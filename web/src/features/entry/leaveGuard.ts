import { useEffect } from 'react';
import { useBlocker } from '@tanstack/react-router';
import { getLang, translate } from '../../shared/i18n.ts';

export const DATA_ENTRY_PATH = '/nhap-lieu';

// How many fields differ from what is stored; the header's links and sign-out ask before leaving.
let unsavedChanges = 0;

/** True when there is nothing unsaved, or the user agrees to discard it. */
export function confirmLeave(): boolean {
  if (unsavedChanges === 0) return true;
  const ok = window.confirm(translate(getLang(), 'entryUnsaved'));
  if (ok) unsavedChanges = 0;
  return ok;
}

/** After a save: nothing left to lose. */
export function clearUnsaved(): void {
  unsavedChanges = 0;
}

/**
 * Unsaved changes: a warning before the page is closed or reloaded, and before in-app moves
 * (a link, Back, Forward); a new choice on the page itself asks in its own handler.
 */
export function useLeaveGuard(dirty: number): void {
  useBlocker({
    shouldBlockFn: ({ next }) => next.pathname !== DATA_ENTRY_PATH && !confirmLeave(),
    enableBeforeUnload: false,
  });
  useEffect(() => {
    unsavedChanges = dirty;
  });
  useEffect(() => {
    const onBeforeUnload = (e: BeforeUnloadEvent) => {
      if (unsavedChanges === 0) return;
      e.preventDefault();
      e.returnValue = '';
    };
    window.addEventListener('beforeunload', onBeforeUnload);
    return () => {
      window.removeEventListener('beforeunload', onBeforeUnload);
      unsavedChanges = 0;
    };
  }, []);
}
