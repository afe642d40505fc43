import type { Lang } from '../../shared/format.ts';
import { carriedText, type Carried } from './carried.ts';
import type { OverviewT } from './messages.ts';

/**
 * Under a tile's number: the figure was carried from another tree (exact), or partly estimated
 * by the weights of split communes, with the share; the tooltip says what that means.
 */
export function CarriedMark({ carried, lang, t }: { carried: Carried; lang: Lang; t: OverviewT }) {
  const c = carriedText(lang, t, carried);
  return (
    <p
      className={`carried-mark ${c.exact ? 'carried-exact' : 'carried-estimated'}`}
      data-testid="carried-mark"
      data-exact={String(c.exact)}
      title={c.title}
    >
      <span className="carried-icon" aria-hidden="true">
        {c.icon}
      </span>{' '}
      {c.label}
      <span className="sr-only">. {c.title}</span>
    </p>
  );
}

/** The same in a table row: a small badge, its words for screen readers and in its tooltip. */
export function CarriedBadge({ carried, lang, t }: { carried: Carried; lang: Lang; t: OverviewT }) {
  const c = carriedText(lang, t, carried);
  return (
    <span
      className={`carried-badge ${c.exact ? 'carried-exact' : 'carried-estimated'}`}
      data-testid="carried-badge"
      data-exact={String(c.exact)}
      title={`${c.label}. ${c.title}`}
    >
      <span aria-hidden="true">{c.short}</span>
      <span className="sr-only">{c.label}</span>
    </span>
  );
}
