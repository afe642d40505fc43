import { lazy, Suspense, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { formatDate, formatDateTime, formatNumber } from '../../shared/format.ts';
import { ErrorBox, Loading } from '../../shared/ui.tsx';
import {
  DIRECTIVE_TOPICS,
  loadBoard,
  remind,
  type Board,
  type BoardCounts,
  type UnitRef,
} from './data.ts';
import { useLive } from '../../shared/live.ts';
import { useDirText, type DirKey } from './messages.ts';
import { BackLink, LiveMark, PriorityTag, StatusTag } from './parts.tsx';

const StackedBars = lazy(() =>
  import('./BoardChart.tsx').then((m) => ({ default: m.StackedBars })),
);

const LIVE_DEBOUNCE_MS = 250;
/** More bars than this do not read: the chart shows the units with most work left. */
const CHART_MAX = 25;
const LAGGARDS_SHOWN = 20;

/**
 * The parts of a stacked bar, each task in exactly one: read and acknowledged count every task
 * that was ever read or acknowledged, in progress / done / blocked count the current status.
 */
export function stackParts(c: BoardCounts) {
  const started = c.inProgress + c.done + c.blocked;
  const ackOnly = Math.max(0, c.acknowledged - started);
  const readOnly = Math.max(0, c.read - Math.max(c.acknowledged, started));
  const unread = Math.max(0, c.total - Math.max(c.read, c.acknowledged, started));
  return { done: c.done, inProgress: c.inProgress, blocked: c.blocked, ackOnly, readOnly, unread };
}

const PARTS: { key: keyof ReturnType<typeof stackParts>; label: DirKey; colour: string }[] = [
  { key: 'done', label: 'done', colour: '#1e7b3c' },
  { key: 'inProgress', label: 'inProgress', colour: '#0b57a4' },
  { key: 'blocked', label: 'blocked', colour: '#b3131b' },
  { key: 'ackOnly', label: 'acknowledged', colour: '#6fa8dc' },
  { key: 'readOnly', label: 'read', colour: '#c9a227' },
  { key: 'unread', label: 'unread', colour: '#b9c3d0' },
];

const COLUMNS: { key: keyof BoardCounts; label: DirKey }[] = [
  { key: 'total', label: 'total' },
  { key: 'read', label: 'read' },
  { key: 'acknowledged', label: 'acknowledged' },
  { key: 'inProgress', label: 'inProgress' },
  { key: 'done', label: 'done' },
  { key: 'blocked', label: 'blocked' },
  { key: 'overdue', label: 'overdue' },
];

/** The deepest level of a tree: communes sit at level 2 after the July 2025 reform. */
const deepest = (version: string | undefined) => (version === '2025' ? 2 : 3);

/** `/chi-dao/:id`: who has read, acknowledged, finished — per unit, live. */
export function BoardPage({ id }: { id: string }) {
  const { lang, t } = useDirText();
  const [trail, setTrail] = useState<UnitRef[]>([]);
  const [board, setBoard] = useState<Board | undefined>();
  const [error, setError] = useState<unknown>(null);
  const [updatedAt, setUpdatedAt] = useState<Date | undefined>();
  const [reminding, setReminding] = useState(false);
  const [remindMsg, setRemindMsg] = useState('');
  const [remindError, setRemindError] = useState<unknown>(null);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const unit = trail[trail.length - 1]?.code;
  const seq = useRef(0);

  const load = useCallback(async () => {
    const mine = ++seq.current;
    try {
      const b = await loadBoard(id, unit);
      if (mine !== seq.current) return; // a later drill-down answered first
      setBoard(b);
      setUpdatedAt(new Date());
      setError(null);
      if (!unit) setTrail([b.unit]);
    } catch (e) {
      if (mine === seq.current) setError(e);
    }
  }, [id, unit]);

  useEffect(() => {
    void load();
    return () => clearTimeout(timer.current);
  }, [load]);

  const soon = () => {
    clearTimeout(timer.current);
    timer.current = setTimeout(() => void load(), LIVE_DEBOUNCE_MS);
  };
  useLive(
    {
      event: (topic, data) => {
        if (topic === 'plan') return;
        const d = data.directiveId ?? data.directive;
        if ((typeof d === 'string' || typeof d === 'number') && String(d) !== id) return;
        soon();
      },
      reset: soon,
    },
    true,
    DIRECTIVE_TOPICS,
  );

  const version =
    board?.directive.version ?? board?.directive.target?.version ?? board?.unit.version;
  const canOpen = (u: UnitRef) => u.code !== board?.unit.code && (u.level ?? 99) < deepest(version);
  const open = (u: UnitRef) => {
    if (!canOpen(u)) return;
    setTrail((tr) => [...tr, u]);
  };

  const fmt = useCallback((n: number) => formatNumber(lang, n), [lang]);
  const all = board?.rows;
  const rows = useMemo(
    () =>
      all && all.length > CHART_MAX
        ? [...all].sort((a, b) => b.total - b.done - (a.total - a.done)).slice(0, CHART_MAX)
        : all,
    [all],
  );
  const [allLaggards, setAllLaggards] = useState(false);
  const labels = useMemo(() => rows?.map((r) => r.unit.name) ?? [], [rows]);
  const series = useMemo(
    () =>
      PARTS.map((p) => ({
        name: t(p.label),
        colour: p.colour,
        values: rows?.map((r) => stackParts(r)[p.key]) ?? [],
      })),
    // t follows lang
    [rows, lang],
  );

  if (error && !board)
    return (
      <div className="page dir-page">
        <BackLink />
        <ErrorBox error={error} />
      </div>
    );
  if (!board)
    return (
      <div className="page dir-page">
        <Loading />
      </div>
    );

  const d = board.directive;
  const totals = board.totals;

  const doRemind = async () => {
    setReminding(true);
    setRemindMsg('');
    setRemindError(null);
    try {
      const r = await remind(id, unit);
      setRemindMsg(t('reminded', { n: formatNumber(lang, r.reminded) }));
    } catch (e) {
      setRemindError(e);
    } finally {
      setReminding(false);
    }
  };

  return (
    <div className="page dir-page dir-board" data-testid="board">
      <BackLink />
      <div className="page-head dir-head">
        <div>
          <p className="eyebrow">{t('boardTitle')}</p>
          <h1 className="dir-title">{d.title}</h1>
          <p className="dir-item-top">
            <PriorityTag priority={d.priority} />
            <span className="tag">{t('due', { date: formatDate(lang, d.dueDate) })}</span>
            {d.createdAt && (
              <span className="muted">
                {t('issuedBy', {
                  who: d.issuer?.name ?? '',
                  at: formatDateTime(lang, d.createdAt),
                })}
              </span>
            )}
          </p>
        </div>
        <div className="dir-head-actions">
          <LiveMark updatedAt={updatedAt} />
          <button
            type="button"
            className="btn btn-primary"
            onClick={() => void doRemind()}
            disabled={reminding}
            data-testid="remind"
          >
            {reminding ? t('reminding') : t('remind')}
          </button>
        </div>
      </div>
      {remindMsg && (
        <p className="success" role="status" data-testid="remind-result">
          {remindMsg}
        </p>
      )}
      {remindError ? <ErrorBox error={remindError} /> : null}
      {error ? <ErrorBox error={error} /> : null}

      <ul className="dir-tiles" aria-label={t('boardTitle')} data-testid="totals">
        {COLUMNS.map((c) => (
          <li key={c.key} className={`dir-tile tile-${c.key}`} data-testid={`total-${c.key}`}>
            <span className="dir-tile-value">{formatNumber(lang, totals[c.key])}</span>
            <span className="dir-tile-label">{t(c.label)}</span>
          </li>
        ))}
      </ul>

      <nav className="breadcrumb" aria-label={t('boardBreadcrumb')}>
        <ol>
          {trail.map((u, i) =>
            i === trail.length - 1 ? (
              <li key={u.code} aria-current="page">
                {u.name}
              </li>
            ) : (
              <li key={u.code}>
                <button
                  type="button"
                  className="link-button"
                  onClick={() => setTrail((tr) => tr.slice(0, i + 1))}
                >
                  {u.name}
                </button>
              </li>
            ),
          )}
        </ol>
      </nav>

      <section className="card dir-chart-card" aria-labelledby="chart-title">
        <h2 id="chart-title" className="section-title">
          {t('chartTitle')}
        </h2>
        <p className="sr-only">{t('chartAlt')}</p>
        {board.rows.length > CHART_MAX && (
          <p className="muted dir-chart-note">
            {t('chartTop', { n: CHART_MAX, total: formatNumber(lang, board.rows.length) })}
          </p>
        )}
        <Suspense fallback={<Loading />}>
          <StackedBars
            labels={labels}
            series={series}
            format={fmt}
            onPick={(i) => {
              const r = rows?.[i];
              if (r) open(r.unit);
            }}
          />
        </Suspense>
      </section>

      <section className="card" aria-labelledby="table-title">
        <h2 id="table-title" className="section-title">
          {board.unit.name}
        </h2>
        <div className="table-wrap">
          <table className="dir-table" data-testid="board-table">
            <thead>
              <tr>
                <th scope="col">{t('unit')}</th>
                {COLUMNS.map((c) => (
                  <th key={c.key} scope="col" className="num">
                    {t(c.label)}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {board.rows.map((r) => (
                <tr key={r.unit.code} data-testid="board-row" data-unit={r.unit.code}>
                  <th scope="row">
                    {canOpen(r.unit) ? (
                      <button
                        type="button"
                        className="link-button"
                        aria-label={t('drillInto', { name: r.unit.name })}
                        onClick={() => open(r.unit)}
                      >
                        {r.unit.name}
                      </button>
                    ) : (
                      r.unit.name
                    )}
                  </th>
                  {COLUMNS.map((c) => (
                    <td
                      key={c.key}
                      className={`num${c.key === 'overdue' && r.overdue > 0 ? ' is-late' : ''}`}
                    >
                      {formatNumber(lang, r[c.key])}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>

      <section className="card" aria-labelledby="laggards-title">
        <h2 id="laggards-title" className="section-title">
          {t('laggards')}
          <span className="count-pill">
            {formatNumber(lang, board.laggardCount ?? board.laggards.length)}
          </span>
        </h2>
        {board.laggards.length === 0 ? (
          <p className="empty">{t('laggardsEmpty')}</p>
        ) : (
          <ul className="list dir-laggards" data-testid="laggards">
            {(allLaggards ? board.laggards : board.laggards.slice(0, LAGGARDS_SHOWN)).map((l) => (
              <li key={String(l.taskId)} className="dir-laggard">
                <span className="dir-laggard-name">
                  {l.unit.name}
                  {l.unit.pathNames && (
                    <span className="muted dir-laggard-path">{l.unit.pathNames}</span>
                  )}
                </span>
                <StatusTag status={l.status} />
                <span className={l.daysLate > 0 ? 'is-late' : 'muted'}>
                  {l.daysLate > 0
                    ? t('overdueBy', { n: l.daysLate })
                    : t('due', { date: formatDate(lang, l.dueDate) })}
                </span>
              </li>
            ))}
          </ul>
        )}
        {!allLaggards && board.laggards.length > LAGGARDS_SHOWN && (
          <p className="dir-more">
            <button type="button" className="btn btn-small" onClick={() => setAllLaggards(true)}>
              {t('showAll', { n: formatNumber(lang, board.laggards.length) })}
            </button>
          </p>
        )}
      </section>
    </div>
  );
}
