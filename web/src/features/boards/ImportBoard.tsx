import { useId, useRef, useState } from 'react';
import type { Schemas } from '../../shared/api/client.ts';
import { useGo } from '../../shared/nav.tsx';
import type { Draft } from './draft.ts';
import { useBoardText } from './messages.ts';
import { boardPath } from './paths.ts';
import { importBoard, useRemember } from './queries.ts';
import { SaveProblems } from './SaveProblems.tsx';

/**
 * A board JSON file sent to the server as it is: the server checks it and names the path of a
 * bad field, shown here; a good one opens.
 */
export function ImportBoard() {
  const { t } = useBoardText();
  const id = useId();
  const go = useGo();
  const remember = useRemember();
  const input = useRef<HTMLInputElement>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [notJson, setNotJson] = useState('');
  const [file, setFile] = useState<Draft>({ name: '', description: '', variables: {}, panels: [] });

  const send = async () => {
    const f = input.current?.files?.[0];
    if (!f) return;
    setError(null);
    setNotJson('');
    let body: unknown;
    try {
      body = JSON.parse(await f.text());
    } catch (e) {
      setNotJson(t('importNotJson', { msg: e instanceof Error ? e.message : String(e) }));
      return;
    }
    const panels = (body as { panels?: unknown }).panels;
    setFile({
      name: '',
      description: '',
      variables: {},
      panels: Array.isArray(panels) ? (panels as Draft['panels']) : [],
    });
    setBusy(true);
    try {
      const r = await importBoard(body as Schemas['BoardFile']);
      remember(r.board);
      go(boardPath(r.board.id), { focusMain: true });
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="card board-side-card" data-testid="board-import">
      <h2 className="section-title">{t('importTitle')}</h2>
      <form
        className="board-side-form"
        onSubmit={(e) => {
          e.preventDefault();
          void send();
        }}
      >
        <div className="field">
          <label htmlFor={id}>{t('importFile')}</label>
          <input id={id} ref={input} type="file" accept=".json,application/json" required />
          <p className="hint">{t('importHint')}</p>
        </div>
        {notJson && (
          <p className="field-error" role="alert">
            {notJson}
          </p>
        )}
        <SaveProblems error={error} local={[]} draft={file} />
        <button type="submit" className="btn" disabled={busy}>
          {busy ? t('importing') : t('importButton')}
        </button>
      </form>
    </section>
  );
}
