import type { OverviewT } from './messages.ts';

/** What the address asks for that does not exist, with a way back to the default screen. */
export function RoomProblems({
  problems,
  t,
  onReset,
}: {
  problems: string[];
  t: OverviewT;
  onReset: () => void;
}) {
  if (problems.length === 0) return null;
  return (
    <div className="alert ov-problem" role="alert" data-testid="ov-problem">
      <span className="alert-icon" aria-hidden="true">
        !
      </span>
      <div className="alert-body">
        <p>
          <strong>{t('errTitle')}</strong>
        </p>
        <ul>
          {problems.map((p) => (
            <li key={p}>{p}</li>
          ))}
        </ul>
        <button type="button" className="btn" onClick={onReset}>
          {t('errReset')}
        </button>
      </div>
    </div>
  );
}
