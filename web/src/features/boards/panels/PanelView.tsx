import {
  useEffect,
  useId,
  useMemo,
  useRef,
  useState,
  type ReactElement,
  type ReactNode,
} from 'react';
import { shownError } from '../../../shared/query.ts';
import { ErrorBox, Loading } from '../../../shared/ui.tsx';
import { itemOf, type Item } from '../../room/data.ts';
import { useOverviewText } from '../../room/messages.ts';
import { fileSlug, PanelMenu } from '../../room/PanelMenu.tsx';
import { useCatalogue, usePanelData } from './data.ts';
import { kindName, usePanelText } from './messages.ts';
import {
  panelTitle,
  periodsLabel,
  timeOf,
  type BoardPanel,
  type PanelData,
  type PanelProblem,
} from './model.ts';
import { TextView } from './TextView.tsx';
import { KindView, type ViewProps } from './views.tsx';
import '../../../shared/wall.css';
import '../../room/overview.css';
import './panels.css';

/** Below this height (px) a panel leaves out what its header and the page say already. */
const SHORT_PX = 320;

/** Whether the box is short: a wall's grid packs many panels into one screen. */
function useShort(): [React.RefObject<HTMLElement | null>, boolean] {
  const ref = useRef<HTMLElement>(null);
  const [short, setShort] = useState(false);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const ro = new ResizeObserver(([entry]) => {
      const h = entry?.contentRect.height ?? el.clientHeight;
      setShort(h > 0 && h < SHORT_PX);
    });
    ro.observe(el);
    return () => ro.disconnect();
  }, []);
  return [ref, short];
}

/** Kinds drawn on a canvas: the menu offers them as a PNG. */
const CHART_KINDS = new Set<BoardPanel['kind']>(['map', 'trend', 'breakdown']);
/** Kinds whose figures are a question to /api/analytics: the menu offers CSV and XLSX. */
const DATA_KINDS = new Set<BoardPanel['kind']>([
  'tile',
  'map',
  'trend',
  'ranking',
  'pivot',
  'breakdown',
]);
/** Kinds whose file shows the comparisons too. */
const CHANGE_KINDS = new Set<BoardPanel['kind']>(['tile', 'ranking']);

/**
 * One panel of a board (issue 19), filling the grid cell it is put in: its title, its figures as
 * its kind draws them, when they were read, and its "Tải xuống" menu; the reason instead of
 * figures when this viewer cannot be shown them. It reads its own figures (['board', 'panel',
 * kind, …]); a failed refresh keeps the last ones on screen.
 */
export function PanelView({
  panel,
  variables,
  version,
  boardId,
  boardName,
  wall = false,
  problem,
}: {
  panel: BoardPanel;
  variables: { unit?: string; period?: string };
  version?: string;
  /** A saved board: its panels are read by their address. */
  boardId?: number;
  /** For file names and menu labels. */
  boardName: string;
  /** Wall or kiosk: larger text, labels on the map, no menus. */
  wall?: boolean;
  /** From BoardView.panels[i].problem: shown instead of figures. */
  problem?: PanelProblem | null;
}): ReactElement {
  const { lang, t } = usePanelText();
  const ot = useOverviewText().t;
  const titleId = useId();
  const [box, short] = useShort();
  const isText = panel.kind === 'text';
  const q = usePanelData({
    panel,
    variables,
    version,
    boardId,
    lang,
    enabled: !isText && !problem,
  });
  const catQ = useCatalogue();
  const cat = catQ.data;
  // A panel whose kind changed in the builder keeps its id: figures of another kind are not its.
  const data: PanelData | undefined = q.data?.kind === panel.kind ? q.data : undefined;
  const shownProblem = problem ?? data?.problem ?? null;

  // The figures as the room's parts name and write them: the server's name, unit, decimals and
  // direction (what a rise means), so that a panel is written right before the catalogue comes.
  const items = useMemo(() => {
    const m = new Map<string, Item>();
    for (const f of data?.figures ?? []) {
      const known = cat ? itemOf(cat, f.code) : undefined;
      m.set(f.code, {
        code: f.code,
        kind: f.kind,
        nameVi: f.name,
        nameEn: f.name,
        sector: known?.sector ?? '',
        unit: f.unit,
        valueType: f.valueType,
        decimals: f.decimals,
        direction: f.direction,
      });
    }
    return m;
  }, [data, cat]);

  const names = data
    ? data.figures.map((f) => f.name)
    : panel.figures.map((code) => {
        const known = cat ? itemOf(cat, code) : undefined;
        return known ? (lang === 'vi' ? known.nameVi : known.nameEn) : code;
      });
  const fallback =
    panel.kind === 'directive' && data?.directive ? data.directive.title : kindName(t, panel.kind);
  const title = isText ? (panel.title?.trim() ?? '') : panelTitle(panel, names, fallback);
  const error = shownError(q);

  let body: ReactNode;
  if (shownProblem)
    body = (
      <div className="bp-problem" role="note" data-testid="panel-problem">
        <span className="bp-problem-icon" aria-hidden="true">
          ⚠
        </span>
        <div>
          <p className="bp-problem-head">{t('problem')}</p>
          <p>{shownProblem[lang]}</p>
        </div>
      </div>
    );
  else if (panel.kind === 'text') body = <TextView text={panel.options.text} />;
  else if (error) body = <ErrorBox error={error} />;
  else if (!data) body = <Loading label={t('loading')} />;
  else {
    const props: ViewProps = {
      panel,
      data,
      items,
      cat,
      lang,
      t,
      ot,
      wall,
      title,
    };
    body = <KindView {...props} />;
  }

  const periodId = data?.period?.id ?? variables.period ?? '';
  const menu =
    wall || isText || shownProblem || !data ? null : (
      <PanelMenu
        t={ot}
        lang={lang}
        panel={title}
        file={fileSlug(boardName, title, periodId)}
        query={
          DATA_KINDS.has(panel.kind) && data.query
            ? { ...data.query, changes: CHANGE_KINDS.has(panel.kind) }
            : undefined
        }
        png={CHART_KINDS.has(panel.kind) ? '#ffffff' : undefined}
      />
    );
  const time = data && !shownProblem ? timeOf(data.asOf) : '';

  return (
    <section
      ref={box}
      className={`bp-panel bp-kind-${panel.kind}${wall ? ' bp-wall' : ''}${short ? ' bp-short' : ''}`}
      aria-labelledby={title ? titleId : undefined}
      aria-label={title ? undefined : kindName(t, panel.kind)}
      aria-busy={q.isFetching}
      data-testid={`panel-${panel.id}`}
      data-kind={panel.kind}
      // What a test or a benchmark waits for: the panel has its figures (or says why not).
      data-state={shownProblem ? 'problem' : isText || data ? 'ready' : error ? 'error' : 'loading'}
    >
      {(title || time || menu) && (
        <header className="bp-head">
          <div className="bp-titles">
            {title && (
              // A tile without a title of its own names its figure in its body: the heading is
              // then for screen readers only, so a narrow tile's width goes to its number.
              <h2
                className={`bp-title${panel.kind === 'tile' && !panel.title ? ' sr-only' : ''}`}
                id={titleId}
                title={title}
              >
                {title}
              </h2>
            )}
            {time && (
              <p className="bp-sub">
                {DATA_KINDS.has(panel.kind) && (
                  <span className="bp-where">
                    {[
                      data?.unit?.name,
                      // The panel's own periods (a trend's 12 months), not always the board's.
                      data?.periods.length ? periodsLabel(data.periods) : data?.period?.label,
                    ]
                      .filter(Boolean)
                      .join(' · ')}
                  </span>
                )}
                {time && (
                  <span
                    className={`bp-time${q.isFetching ? ' bp-time-busy' : ''}`}
                    title={t('asOfTitle', { time })}
                    data-testid="panel-time"
                  >
                    {t('asOf', { time })}
                  </span>
                )}
              </p>
            )}
          </div>
          {menu}
        </header>
      )}
      <div className="bp-body">{body}</div>
    </section>
  );
}
