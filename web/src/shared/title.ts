import { useEffect, useId } from 'react';

/**
 * The browser tab's title, "<page> — Opsroom", in the chosen language. The frame names the
 * section (level 0); a screen that knows more (a sector and its month, a briefing) names itself
 * (level 1) and wins while it is shown. Levels rather than mount order: React runs a child's
 * effects before its parent's.
 */
const titles = new Map<string, { level: number; title: string; order: number }>();
let order = 0;

function apply(): void {
  let best: { level: number; title: string; order: number } | undefined;
  for (const t of titles.values())
    if (!best || t.level > best.level || (t.level === best.level && t.order > best.order)) best = t;
  document.title = best?.title ? `${best.title} — Opsroom` : 'Opsroom';
}

export function usePageTitle(title: string, level = 1): void {
  const id = useId();
  useEffect(() => {
    if (!title) return;
    titles.set(id, { level, title, order: order++ });
    apply();
    return () => {
      titles.delete(id);
      apply();
    };
  }, [id, title, level]);
}
