import { useEffect, useRef, type MouseEvent } from 'react';
import { goodEnd, type Lang } from '../../shared/format.ts';
import { CarriedBadge } from './CarriedMark.tsx';
import type { Cell, Item } from './data.ts';
import type { OverviewT } from './messages.ts';
import { ChangeMark, valueText } from './Tiles.tsx';

/** Highest first, always (the rank the server gives); the note says whether the top is the best. */
const ORDER_NOTE = {
  high: 'rankingOrderBestFirst',
  low: 'rankingOrderWorstFirst',
  none: 'rankingOrder',
} as const;

export interface RankRow {
  code: string;
  /** Short name ("Hồ Chí Minh"); the full name is in the link's label. */
  name: string;
  fullName: string;
  /** A second line, e.g. the province of a commune on the national map. */
  sub?: string;
  cell: Cell | undefined;
  alert: boolean;
  current: boolean;
  href: string;
}

/**
 * The units of the map in order of their value: the map's figures in a table, and the way to
 * drill down with the keyboard (every unit is a link).
 */
export function Ranking({
  rows,
  lang,
  t,
  item,
  caption,
  previousLabel,
  onOpen,
  limit,
  orderNote,
}: {
  rows: RankRow[];
  lang: Lang;
  t: OverviewT;
  item: Item | undefined;
  caption: string;
  previousLabel: string;
  onOpen: (code: string) => void;
  /** Show only the first rows (the wall screen). */
  limit?: number;
  /** How the rows are ordered, when not highest first (a board's ranking may be lowest first). */
  orderNote?: string;
}) {
  const shown = limit ? rows.slice(0, limit) : rows;
  const box = useRef<HTMLDivElement>(null);
  const current = rows.find((r) => r.current)?.code;
  // The unit looked at may rank far down: bring its row into the table's view (not the page's).
  useEffect(() => {
    const el = box.current;
    const row = current ? el?.querySelector<HTMLElement>(`[data-testid="rank-${current}"]`) : null;
    if (el && row) el.scrollTop = Math.max(0, row.offsetTop - el.clientHeight / 2);
  }, [current]);
  if (rows.length === 0) return <p className="muted">{t('rankingEmpty')}</p>;
  const open = (code: string) => (e: MouseEvent<HTMLAnchorElement>) => {
    if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    e.preventDefault();
    onOpen(code);
  };
  const none = rows.every((r) => r.cell?.value == null);
  return (
    <>
      {none && <p className="muted">{t('rankingEmpty')}</p>}
      <p className="ranking-order" data-testid="ranking-order">
        {orderNote ?? t(ORDER_NOTE[goodEnd(item?.direction) ?? 'none'])}
      </p>
      <div className="ranking-scroll" tabIndex={0} role="region" aria-label={caption} ref={box}>
        <table className="ranking" data-testid="ranking">
          <caption className="sr-only">{caption}</caption>
          <thead>
            <tr>
              <th scope="col" className="num">
                {t('rank')}
              </th>
              <th scope="col">{t('unitCol')}</th>
              <th scope="col" className="num">
                {t('valueCol')}
              </th>
              <th scope="col" className="change-col">
                {t('changeCol')}
              </th>
            </tr>
          </thead>
          <tbody>
            {shown.map((r) => (
              <tr
                key={r.code}
                className={`${r.alert ? 'row-alert' : ''}${r.current ? ' row-current' : ''}`}
                data-testid={`rank-${r.code}`}
                aria-current={r.current ? 'true' : undefined}
              >
                <td className="num">{r.cell?.rank ?? '–'}</td>
                <th scope="row">
                  <a
                    href={r.href}
                    onClick={open(r.code)}
                    aria-label={t('openUnit', { unit: r.fullName })}
                    title={r.fullName}
                  >
                    {r.name}
                  </a>
                  {r.sub && <span className="rank-sub">{r.sub}</span>}
                  {r.alert && (
                    <span className="rank-alert">
                      <span aria-hidden="true">⚠ </span>
                      {t('alertMark')}
                    </span>
                  )}
                </th>
                <td className="num" data-testid={`rank-value-${r.code}`}>
                  {valueText(lang, item, r.cell?.value)}
                  {r.cell?.value != null && r.cell.carried && (
                    <CarriedBadge carried={r.cell.carried} lang={lang} t={t} />
                  )}
                </td>
                <td className="change-col">
                  <ChangeMark
                    lang={lang}
                    change={r.cell?.pop}
                    against=""
                    t={t}
                    direction={item?.direction}
                    testId={`rank-change-${r.code}`}
                  />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        {limit && rows.length > limit && (
          <p className="muted ranking-more">{t('rankingMore', { n: rows.length - limit })}</p>
        )}
        <p className="sr-only">{previousLabel}</p>
      </div>
    </>
  );
}
