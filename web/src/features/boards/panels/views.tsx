import type { ReactElement } from 'react';
import { formatDate, formatNumber, formatPercent, type Lang } from '../../../shared/format.ts';
import { useGo } from '../../../shared/nav.tsx';
import { Loading } from '../../../shared/ui.tsx';
import { parsePeriod } from '../../../../../src/domain/period.ts';
import { boardPath, DirLink } from '../../directives/nav.tsx';
import { AlertsPanel } from '../../room/AlertsPanel.tsx';
import type { Catalogue, Item } from '../../room/data.ts';
import type { OverviewT } from '../../room/messages.ts';
import { Ranking } from '../../room/Ranking.tsx';
import { Tiles } from '../../room/Tiles.tsx';
import { BreakdownView } from './BreakdownView.tsx';
import { MapView } from './MapView.tsx';
import type { PanelT } from './messages.ts';
import {
  cellIndex,
  doneShare,
  rankUnits,
  shownPeriod,
  type BoardPanel,
  type PanelData,
} from './model.ts';
import { PivotTable } from './PivotTable.tsx';
import { TrendView } from './TrendView.tsx';

/** What every kind's view is given. */
export interface ViewProps {
  panel: BoardPanel;
  data: PanelData;
  /** The panel's figures, as the room's parts take them. */
  items: Map<string, Item>;
  cat: Catalogue | undefined;
  lang: Lang;
  t: PanelT;
  /** The room's words, for its parts. */
  ot: OverviewT;
  wall: boolean;
  title: string;
}

/** The room's address for a unit and a figure: a ranking's or an alert's unit opens there. */
export function roomHref(unit: string, figure: string | undefined, version: string): string {
  const q = new URLSearchParams();
  if (figure) q.set('dx', figure);
  q.set('ou', unit);
  q.set('v', version);
  return `/?${q.toString().replace(/%2C/g, ',')}`;
}

/** "so với tháng trước": what the previous period is, by the kind of period shown. */
function previousLabel(ot: OverviewT, pe: string | undefined): string {
  try {
    const type = pe ? parsePeriod(pe).type : undefined;
    if (type === 'day') return ot('vsPreviousDay');
    if (type === 'month') return ot('vsPreviousMonth');
  } catch {
    // a relative or unknown period: said in general
  }
  return ot('vsPrevious');
}

export function KindView(props: ViewProps): ReactElement {
  const { data, t, panel } = props;
  if (panel.kind === 'alerts') return <AlertsView {...props} />;
  if (panel.kind === 'directive') return <DirectiveView {...props} />;
  if (data.figures.length === 0) return <p className="bp-empty">{t('noFigures')}</p>;
  switch (panel.kind) {
    case 'tile':
      return <TileView {...props} />;
    case 'map':
      return <MapView {...props} />;
    case 'trend':
      return <TrendView {...props} />;
    case 'ranking':
      return <RankingView {...props} />;
    case 'pivot':
      return <PivotTable {...props} />;
    case 'breakdown':
      return <BreakdownView {...props} />;
    default:
      return <p className="bp-empty">{t('noValues')}</p>;
  }
}

/** One tile per figure (per unit, when the panel names several), with the comparisons asked for. */
function TileView({ panel, data, items, lang, ot }: ViewProps) {
  const pe = shownPeriod(data);
  const at = cellIndex(data.cells);
  const periodLabel = data.periods.find((p) => p.id === pe)?.label ?? '';
  const asked = panel.kind === 'tile' ? panel.options.compare : undefined;
  const compare =
    asked ??
    (['previous', 'last_year'] as const).filter((k) =>
      data.cells.some((c) => (k === 'previous' ? c.pop : c.yoy) !== undefined),
    );
  const units = data.units.length > 0 ? data.units : [undefined];
  return (
    <div className="bp-tiles">
      {units.map((u) => (
        <div key={u?.code ?? ''} className="bp-tile-group">
          {units.length > 1 && u && <h3 className="bp-tile-unit">{u.name}</h3>}
          <Tiles
            tiles={data.figures.map((f) => ({
              code: f.code,
              item: items.get(f.code),
              cell:
                pe && u
                  ? at(f.code, pe, u.code)
                  : data.cells.find((c) => c.dx === f.code && (!pe || c.pe === pe)),
              alert: false,
            }))}
            lang={lang}
            t={ot}
            periodLabel={units.length > 1 || !u ? periodLabel : `${u.name} · ${periodLabel}`}
            previousLabel={previousLabel(ot, pe)}
            loading={false}
            compare={compare}
          />
        </div>
      ))}
    </div>
  );
}

/** The panel's units in order of its first figure, as the room ranks its map's units. */
function RankingView({ panel, data, items, lang, t, ot, wall }: ViewProps) {
  const go = useGo();
  const figure = data.figures[0]!;
  const pe = shownPeriod(data);
  const at = cellIndex(data.cells);
  const order = panel.kind === 'ranking' ? panel.options.order : 'desc';
  const limit = panel.kind === 'ranking' ? panel.options.limit : 10;
  const version = data.query?.version ?? data.version;
  const periodLabel = data.periods.find((p) => p.id === pe)?.label ?? '';
  const ranked = rankUnits(
    data.units,
    (code) => (pe ? at(figure.code, pe, code)?.value : null),
    order,
  );
  const rows = ranked.map(({ unit, rank }) => {
    const cell = pe ? at(figure.code, pe, unit.code) : undefined;
    return {
      code: unit.code,
      name: unit.name,
      fullName: unit.name,
      cell: cell ? { ...cell, rank } : undefined,
      alert: false,
      current: false,
      href: roomHref(unit.code, figure.code, version),
    };
  });
  return (
    <Ranking
      rows={rows}
      lang={lang}
      t={ot}
      item={items.get(figure.code)}
      caption={t('rankingCaption', { indicator: figure.name, period: periodLabel })}
      previousLabel={previousLabel(ot, pe)}
      onOpen={(code) => go(roomHref(code, figure.code, version))}
      limit={wall ? Math.min(limit, 12) : limit}
      orderNote={order === 'asc' ? t('rankingAsc') : undefined}
    />
  );
}

/** The open alerts in the viewer's scope, newest first. */
function AlertsView({ panel, data, cat, lang, ot }: ViewProps) {
  const go = useGo();
  if (!cat) return <Loading />;
  const limit = panel.kind === 'alerts' ? panel.options.limit : 10;
  return (
    <AlertsPanel
      alerts={data.alerts}
      lang={lang}
      t={ot}
      cat={cat}
      limit={limit}
      onOpen={(a) =>
        go(
          roomHref(
            a.unit.code,
            a.rule.subjectType === 'violations' ? undefined : a.rule.subject,
            a.unit.version,
          ),
        )
      }
    />
  );
}

/** A directive's progress in the viewer's scope: a bar of the tasks done, and the counts. */
function DirectiveView({ data, lang, t, wall }: ViewProps) {
  const d = data.directive;
  if (!d) return <p className="bp-empty">{t('noValues')}</p>;
  const share = doneShare(d);
  const counts: [string, number, string][] = [
    [t('countDone'), d.done, 'done'],
    [t('countInProgress'), d.inProgress, 'progress'],
    [t('countBlocked'), d.blocked, 'blocked'],
    [t('countOverdue'), d.overdue, 'overdue'],
    [t('countUnread'), Math.max(0, d.total - d.read), 'unread'],
  ];
  return (
    <div className="bp-directive" data-testid="directive-progress">
      {d.dueDate && (
        <p className="bp-directive-due">
          {t('directiveDue', { date: formatDate(lang, d.dueDate) })}
        </p>
      )}
      {share === null ? (
        <p className="bp-empty">{t('directiveNoTasks')}</p>
      ) : (
        <>
          <div className="bp-progress">
            <progress max={100} value={share} aria-label={t('directiveProgress')} />
            <span className="bp-progress-text">
              {t('directiveDone', {
                done: formatNumber(lang, d.done),
                total: formatNumber(lang, d.total),
                share: formatPercent(lang, share, 0),
              })}
            </span>
          </div>
          <ul className="bp-counts">
            {counts.map(([label, n, key]) => (
              <li key={key} className={`bp-count bp-count-${key}`} data-testid={`count-${key}`}>
                <span className="bp-count-n">{formatNumber(lang, n)}</span>
                <span className="bp-count-label">{label}</span>
              </li>
            ))}
          </ul>
        </>
      )}
      {!wall && (
        <DirLink to={boardPath(d.id)} className="bp-directive-link">
          {t('directiveOpen')}
        </DirLink>
      )}
    </div>
  );
}
