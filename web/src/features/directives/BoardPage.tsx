import { useState } from 'react';
import { formatDate, formatDateTime, formatNumber } from '../../shared/format.ts';
import { ErrorBox, Loading } from '../../shared/ui.tsx';
import { remind, type UnitRef } from './data.ts';
import { useDirText } from './messages.ts';
import { BackLink, LiveMark, PriorityTag } from './parts.tsx';
import { BoardChartCard } from './BoardChartCard.tsx';
import { BoardLaggards } from './BoardLaggards.tsx';
import { BoardTable, BoardTiles } from './BoardTable.tsx';
import { useBoard } from './useBoard.ts';

export { stackParts } from './BoardChartCard.tsx';

/** The deepest level of a tree: communes sit at level 2 after the July 2025 reform. */
const deepest = (version: string | undefined) => (version === '2025' ? 2 : 3);

/** `/chi-dao/:id`: who has read, acknowledged, finished — per unit, live. */
export function BoardPage({ id }: { id: string }) {
  const { lang, t } = useDirText();
  // the units opened below the board's own unit (empty: the issuer's unit, as the server says)
  const [opened, setOpened] = useState<UnitRef[]>([]);
  const unit = opened[opened.length - 1]?.code;
  const { board, error, updatedAt } = useBoard(id, unit);
  const trail = opened.length > 0 ? opened : board ? [board.unit] : [];
  const [reminding, setReminding] = useState(false);
  const [remindMsg, setRemindMsg] = useState('');
  const [remindError, setRemindError] = useState<unknown>(null);

  const version =
    board?.directive.version ?? board?.directive.target.version ?? board?.unit.version;
  const canOpen = (u: UnitRef) => u.code !== board?.unit.code && (u.level ?? 99) < deepest(version);
  const open = (u: UnitRef) => {
    if (!canOpen(u)) return;
    setOpened([...trail, u]);
  };

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
                  who: d.issuer.name,
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

      <BoardTiles totals={board.totals} />

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
                  onClick={() => setOpened(trail.slice(0, i + 1))}
                >
                  {u.name}
                </button>
              </li>
            ),
          )}
        </ol>
      </nav>

      <BoardChartCard all={board.rows} onOpen={open} />
      <BoardTable title={board.unit.name} rows={board.rows} canOpen={canOpen} onOpen={open} />
      <BoardLaggards laggards={board.laggards} count={board.laggardCount} />
    </div>
  );
}
