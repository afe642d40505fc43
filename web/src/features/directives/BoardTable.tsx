import { formatNumber } from '../../shared/format.ts';
import type { BoardCounts, BoardRow } from './data.ts';
import { useDirText, type DirKey } from './messages.ts';

const COLUMNS: { key: keyof BoardCounts; label: DirKey }[] = [
  { key: 'total', label: 'total' },
  { key: 'read', label: 'read' },
  { key: 'acknowledged', label: 'acknowledged' },
  { key: 'inProgress', label: 'inProgress' },
  { key: 'done', label: 'done' },
  { key: 'blocked', label: 'blocked' },
  { key: 'overdue', label: 'overdue' },
];

/** The board's totals as tiles. */
export function BoardTiles({ totals }: { totals: BoardCounts }) {
  const { lang, t } = useDirText();
  return (
    <ul className="dir-tiles" aria-label={t('boardTitle')} data-testid="totals">
      {COLUMNS.map((c) => (
        <li key={c.key} className={`dir-tile tile-${c.key}`} data-testid={`total-${c.key}`}>
          <span className="dir-tile-value">{formatNumber(lang, totals[c.key])}</span>
          <span className="dir-tile-label">{t(c.label)}</span>
        </li>
      ))}
    </ul>
  );
}

/** One row per unit below the board's unit; a unit that has units below opens. */
export function BoardTable({
  title,
  rows,
  canOpen,
  onOpen,
}: {
  title: string;
  rows: BoardRow[];
  canOpen: (u: BoardRow['unit']) => boolean;
  onOpen: (u: BoardRow['unit']) => void;
}) {
  const { lang, t } = useDirText();
  return (
    <section className="card" aria-labelledby="table-title">
      <h2 id="table-title" className="section-title">
        {title}
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
            {rows.map((r) => (
              <tr key={r.unit.code} data-testid="board-row" data-unit={r.unit.code}>
                <th scope="row">
                  {canOpen(r.unit) ? (
                    <button
                      type="button"
                      className="link-button"
                      aria-label={t('drillInto', { name: r.unit.name })}
                      onClick={() => onOpen(r.unit)}
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
  );
}
