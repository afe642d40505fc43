import type { BriefingKey, BriefingT } from './messages.ts';

/** The small marks beside a paragraph: what the analyst should know about it at a glance. */
export type MarkKind = 'changed' | 'needsReview' | 'edited' | 'reported';

const WORDS: Record<MarkKind, [BriefingKey, BriefingKey]> = {
  changed: ['changedMark', 'changedMarkTitle'],
  needsReview: ['needsReview', 'needsReviewTitle'],
  edited: ['edited', 'editedTitle'],
  reported: ['reported', 'reportedTitle'],
};

/** A warning (changed, needs review) carries a sign as well as its colour. */
const WARN: ReadonlySet<MarkKind> = new Set(['changed', 'needsReview']);

export function Mark({ kind, t }: { kind: MarkKind; t: BriefingT }) {
  const [word, title] = WORDS[kind];
  return (
    <span className={`brf-mark brf-mark-${kind}`} title={t(title)} data-testid={`mark-${kind}`}>
      {WARN.has(kind) && <span aria-hidden="true">⚠ </span>}
      {t(word)}
    </span>
  );
}
