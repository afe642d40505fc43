import { useState } from 'react';
import { ROLE_LABELS, ROLES } from '../../../../src/domain/access.ts';
import { ErrorBox } from '../../shared/ui.tsx';
import { Dialog } from './Dialog.tsx';
import { draftOf, sharesOf, type Board, type Share } from './draft.ts';
import { useBoardText, type BoardT } from './messages.ts';
import { updateBoard, useRemember } from './queries.ts';

type Role = NonNullable<Share['role']>;

/** Who a share reaches, in words. */
export function shareLine(t: BoardT, lang: 'vi' | 'en', s: Share): string {
  const unit = s.unit ?? t('shareYourUnit');
  if (s.kind === 'user') return t('shareLine_user', { user: s.user ?? '' });
  if (s.kind === 'role')
    return t('shareLine_role', { role: s.role ? ROLE_LABELS[s.role][lang] : '', unit });
  return t('shareLine_unit', { unit });
}

/**
 * The board's sharing: the list, a line to add a unit, a role at a unit or a person, read or
 * edit, each removable; saved together (the server refuses a share beyond the sharer's scope and
 * says which).
 */
export function ShareDialog({ board, onClose }: { board: Board; onClose: () => void }) {
  const { lang, t } = useBoardText();
  const remember = useRemember();
  const [shares, setShares] = useState<Share[]>(() => sharesOf(board));
  const [kind, setKind] = useState<Share['kind']>('role');
  const [unit, setUnit] = useState('');
  const [role, setRole] = useState<Role>('leader');
  const [user, setUser] = useState('');
  const [access, setAccess] = useState<Share['access']>('read');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [saved, setSaved] = useState(false);

  const adding: Share | null =
    kind === 'user'
      ? user.trim()
        ? { kind, user: user.trim(), access }
        : null
      : {
          kind,
          access,
          ...(unit.trim() ? { unit: unit.trim() } : {}),
          ...(kind === 'role' ? { role } : {}),
        };

  const save = async () => {
    setBusy(true);
    setError(null);
    setSaved(false);
    try {
      const b = await updateBoard(board.id, draftOf(board), shares, board.revision);
      remember(b);
      setShares(sharesOf(b));
      setSaved(true);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog title={t('shareTitle', { name: board.name })} onClose={onClose} testId="share-dialog">
      {shares.length === 0 ? (
        <p className="muted">{t('shareNone')}</p>
      ) : (
        <ul className="board-share-list" data-testid="share-list">
          {shares.map((s, i) => (
            <li key={`${s.kind}-${s.unit ?? ''}-${s.role ?? ''}-${s.user ?? ''}-${i}`}>
              <span>{shareLine(t, lang, s)}</span>
              <span className="tag">{t(s.access === 'edit' ? 'access_edit' : 'access_read')}</span>
              <button
                type="button"
                className="btn btn-small"
                aria-label={t('removeNamed', { name: shareLine(t, lang, s) })}
                onClick={() => setShares(shares.filter((_, j) => j !== i))}
              >
                {t('remove')}
              </button>
            </li>
          ))}
        </ul>
      )}
      <fieldset className="board-share-add">
        <legend>{t('shareAdd')}</legend>
        <div className="board-form-row">
          <div className="field">
            <label htmlFor="share-kind">{t('shareKind')}</label>
            <select
              id="share-kind"
              value={kind}
              onChange={(e) => setKind(e.target.value as Share['kind'])}
            >
              {(['unit', 'role', 'user'] as const).map((k) => (
                <option key={k} value={k}>
                  {t(`shareKind_${k}`)}
                </option>
              ))}
            </select>
          </div>
          {kind !== 'user' && (
            <div className="field">
              <label htmlFor="share-unit">{t('shareUnit')}</label>
              <input
                id="share-unit"
                value={unit}
                placeholder={t('shareUnitHint')}
                autoComplete="off"
                onChange={(e) => setUnit(e.target.value)}
              />
            </div>
          )}
          {kind === 'role' && (
            <div className="field">
              <label htmlFor="share-role">{t('shareRole')}</label>
              <select
                id="share-role"
                value={role}
                onChange={(e) => setRole(e.target.value as Role)}
              >
                {ROLES.map((r) => (
                  <option key={r} value={r}>
                    {ROLE_LABELS[r][lang]}
                  </option>
                ))}
              </select>
            </div>
          )}
          {kind === 'user' && (
            <div className="field">
              <label htmlFor="share-user">{t('shareUser')}</label>
              <input
                id="share-user"
                value={user}
                autoComplete="off"
                onChange={(e) => setUser(e.target.value)}
              />
            </div>
          )}
          <div className="field">
            <label htmlFor="share-access">{t('access')}</label>
            <select
              id="share-access"
              value={access}
              onChange={(e) => setAccess(e.target.value as Share['access'])}
            >
              <option value="read">{t('access_read')}</option>
              <option value="edit">{t('access_edit')}</option>
            </select>
          </div>
        </div>
        <button
          type="button"
          className="btn"
          disabled={!adding}
          onClick={() => {
            if (!adding) return;
            setShares([...shares, adding]);
            setUser('');
            setSaved(false);
          }}
        >
          {t('shareAdd')}
        </button>
      </fieldset>
      {error ? <ErrorBox error={error} testId="share-error" /> : null}
      {saved && (
        <p className="success" role="status">
          {t('shareSaved')}
        </p>
      )}
      <div className="board-buttons">
        <button
          type="button"
          className="btn btn-primary"
          disabled={busy}
          onClick={() => void save()}
        >
          {busy ? t('saving') : t('shareSave')}
        </button>
        <button type="button" className="btn" onClick={onClose}>
          {t('close')}
        </button>
      </div>
    </Dialog>
  );
}
