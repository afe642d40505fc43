import { useRef, useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { gridProblems } from '../../../../src/domain/board.ts';
import type { Me } from '../../shared/api/types.ts';
import { useGo } from '../../shared/nav.tsx';
import { usePageTitle } from '../../shared/title.ts';
import { BoardMeta } from './BoardMeta.tsx';
import { EditGrid } from './EditGrid.tsx';
import { PanelEditor } from './PanelEditor.tsx';
import { SaveProblems } from './SaveProblems.tsx';
import {
  draftOf,
  emptyDraft,
  newPanel,
  sharesOf,
  type Board,
  type Draft,
  type Panel,
} from './draft.ts';
import { boardText, useBoardText } from './messages.ts';
import { boardPath, BOARDS_PATH, type ChosenVariables } from './paths.ts';
import {
  boardKey,
  createBoard,
  fetchBoard,
  updateBoard,
  useRemember,
  type Issue,
} from './queries.ts';
import { PHONE, useMedia } from './useMedia.ts';

/**
 * `/bang/:id?sua=1` (and `/bang/moi`): the builder. The panels are dragged and resized on the
 * grid, added, edited and removed in a dialog; the name, description and variables above; one
 * save (a new board: POST; an existing one: PUT with the revision read).
 */
export function BoardBuilder({
  me,
  board,
  chosen,
}: {
  me: Me;
  board: Board | null;
  chosen: ChosenVariables;
}) {
  const { t } = useBoardText();
  const go = useGo();
  const qc = useQueryClient();
  const remember = useRemember();
  const narrow = useMedia(PHONE);
  const [base, setBase] = useState(board);
  const [draft, setDraft] = useState<Draft>(() => (board ? draftOf(board) : emptyDraft()));
  const initial = useRef(JSON.stringify(draft));
  const [editing, setEditing] = useState<{ panel: Panel; isNew: boolean } | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [local, setLocal] = useState<Issue[]>([]);
  const [saving, setSaving] = useState(false);
  usePageTitle(base ? `${t('builderTitle')}: ${base.name}` : t('newTitle'));
  const dirty = JSON.stringify(draft) !== initial.current;
  const variables = {
    unit: chosen.dv ?? draft.variables.unit ?? 'my_unit',
    period: chosen.ky ?? draft.variables.period ?? 'THIS_MONTH',
  };

  const save = async () => {
    setError(null);
    const problems: Issue[] = [];
    if (!draft.name.trim())
      problems.push({
        path: 'name',
        vi: boardText('vi', 'nameRequired'),
        en: boardText('en', 'nameRequired'),
      });
    for (const g of gridProblems(draft.panels.map((p) => p.grid)))
      problems.push({ path: `panels.${g.index}.grid`, vi: g.vi, en: g.en });
    setLocal(problems);
    if (problems.length) return;
    setSaving(true);
    try {
      const b = base
        ? await updateBoard(base.id, draft, sharesOf(base), base.revision)
        : await createBoard(draft);
      remember(b);
      initial.current = JSON.stringify(draft);
      go(boardPath(b.id, undefined, chosen), { replace: !base, focusMain: true });
    } catch (e) {
      setError(e);
    } finally {
      setSaving(false);
    }
  };

  const reload = async () => {
    if (!base) return;
    const b = await fetchBoard(base.id);
    qc.setQueryData(boardKey(b.id), b);
    setBase(b);
    const d = draftOf(b);
    setDraft(d);
    initial.current = JSON.stringify(d);
    setError(null);
  };

  const leave = () => {
    if (dirty && !window.confirm(t('discardConfirm'))) return;
    go(base ? boardPath(base.id, undefined, chosen) : BOARDS_PATH + '/', { focusMain: true });
  };

  return (
    <div className="page board-page board-builder" data-testid="board-builder">
      <header className="board-head">
        <div className="board-title">
          <h1>{base ? `${t('builderTitle')}: ${base.name}` : t('newTitle')}</h1>
        </div>
        <div className="board-buttons">
          <button
            type="button"
            className="btn btn-primary"
            disabled={saving}
            onClick={() => void save()}
            data-testid="board-save"
          >
            {saving ? t('saving') : t('save')}
          </button>
          <button type="button" className="btn" onClick={leave}>
            {t('stopEditing')}
          </button>
        </div>
      </header>
      <SaveProblems error={error} local={local} draft={draft} onReload={() => void reload()} />
      <BoardMeta me={me} draft={draft} onChange={(patch) => setDraft({ ...draft, ...patch })} />
      <div className="board-toolbar">
        <button
          type="button"
          className="btn btn-primary"
          onClick={() => setEditing({ panel: newPanel(draft.panels, 'tile'), isNew: true })}
        >
          {t('addPanel')}
        </button>
        <p className="hint">{narrow ? t('narrowHint') : t('dragHint')}</p>
      </div>
      <h2 className="sr-only">{t('panelsHeading', { n: draft.panels.length })}</h2>
      <EditGrid
        draft={draft}
        variables={variables}
        onPanels={(panels) => setDraft((d) => ({ ...d, panels }))}
        onEdit={(panel) => setEditing({ panel, isNew: false })}
        onRemove={(panel) =>
          setDraft((d) => ({ ...d, panels: d.panels.filter((p) => p.id !== panel.id) }))
        }
      />
      {editing && (
        <PanelEditor
          initial={editing.panel}
          isNew={editing.isNew}
          others={draft.panels.filter((p) => p.id !== editing.panel.id)}
          onCancel={() => setEditing(null)}
          onDone={(panel) => {
            setDraft((d) => ({
              ...d,
              panels: editing.isNew
                ? [...d.panels, panel]
                : d.panels.map((p) => (p.id === editing.panel.id ? panel : p)),
            }));
            setEditing(null);
          }}
        />
      )}
    </div>
  );
}
