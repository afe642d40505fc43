import { ErrorBox } from '../../shared/ui.tsx';
import { panelLabel, type Draft } from './draft.ts';
import { useBoardText } from './messages.ts';
import { isConflict, issuesOf, type Issue } from './queries.ts';

/** `panels.2.grid` → `Ô 3 (Bản đồ) › grid`: the field a problem is about, in the board's words. */
function where(path: string, draft: Draft, t: ReturnType<typeof useBoardText>['t']): string {
  const m = /^panels\.(\d+)(?:\.(.*))?$/.exec(path);
  if (!m) return path || '—';
  const i = Number(m[1]);
  const p = draft.panels[i];
  const name = p ? ` (${panelLabel(p, t(`kind_${p.kind}`))})` : '';
  return `${t('issuePanel', { n: i + 1 })}${name}${m[2] ? ` › ${m[2]}` : ''}`;
}

/**
 * Why a save failed: someone else's change (409: reload), the fields the server refused (400:
 * each with its path), or anything else as the server said it.
 */
export function SaveProblems({
  error,
  local,
  draft,
  onReload,
}: {
  error: unknown;
  local: Issue[];
  draft: Draft;
  onReload?: () => void;
}) {
  const { lang, t } = useBoardText();
  if (isConflict(error) && onReload)
    return (
      <div className="alert" role="alert" data-testid="board-conflict">
        <span className="alert-icon" aria-hidden="true">
          !
        </span>
        <div className="alert-body">
          <p>{t('conflict')}</p>
          <button type="button" className="btn" onClick={onReload}>
            {t('reload')}
          </button>
        </div>
      </div>
    );
  const issues = local.length ? local : issuesOf(error);
  if (issues.length)
    return (
      <div className="alert" role="alert" data-testid="board-invalid">
        <span className="alert-icon" aria-hidden="true">
          !
        </span>
        <div className="alert-body">
          <p>{t('refused')}</p>
          <ul className="board-issues">
            {issues.map((i, n) => (
              <li key={n}>
                <code>{where(i.path, draft, t)}</code> — {i[lang]}
              </li>
            ))}
          </ul>
        </div>
      </div>
    );
  return error ? <ErrorBox error={error} testId="board-save-error" /> : null;
}
