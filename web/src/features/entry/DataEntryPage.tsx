import { useEffect, useState } from 'react';
import { useSearch } from '@tanstack/react-router';
import type { Me } from '../../shared/api/types.ts';
import { query } from '../../shared/url.ts';
import { useI18n } from '../../shared/i18n.ts';
import { useGo } from '../../shared/nav.tsx';
import { ErrorBox, Loading } from '../../shared/ui.tsx';
import { choiceForDataSet, initialChoice, type Choice } from './choice.ts';
import { EntryChoice } from './EntryChoice.tsx';
import { EntryFormView } from './EntryFormView.tsx';
import { confirmLeave, DATA_ENTRY_PATH } from './leaveGuard.ts';
import { PageHead } from './PageHead.tsx';
import { useEntryDataSets } from './queries.ts';
import { useFormEditor } from './useFormEditor.ts';

/**
 * "Nhập số liệu": a commune officer enters the commune's data set for a period. The address
 * holds the choice (?ds=<data set>&u=<unit>&p=<period>); values are checked as they are typed
 * (the same rules as the server's), saved all or nothing, and the server's per-field problems
 * are shown next to their fields.
 */

export { confirmLeave, DATA_ENTRY_PATH };

export function DataEntryPage({ me }: { me: Me }) {
  // Another account starts afresh: its own data sets, choice and form.
  return <DataEntry key={me.username} username={me.username} />;
}

function DataEntry({ username }: { username: string }) {
  const { t } = useI18n();
  // The address when the page opened: the first choice, once the data sets are known.
  const search = useSearch({ from: '/nhap-lieu/$' });
  const [wanted] = useState(search);
  const go = useGo();
  const setsQ = useEntryDataSets(username);
  const sets = setsQ.data;
  const [chosen, setChosen] = useState<Choice | null>(null);
  const choice = chosen ?? (sets ? initialChoice(sets, wanted) : null);
  const editor = useFormEditor(choice);

  // The address follows the choice.
  const { ds, u, p } = choice ?? {};
  useEffect(() => {
    if (ds && u && p) go(DATA_ENTRY_PATH + query({ ds, u, p }), { replace: true });
  }, [ds, u, p]);

  const dataSet = sets?.items.find((d) => d.code === choice?.ds);

  if (setsQ.error) {
    return (
      <div className="page">
        <PageHead />
        <ErrorBox error={setsQ.error} />
      </div>
    );
  }
  if (!sets) {
    return (
      <div className="page">
        <PageHead />
        <Loading />
      </div>
    );
  }
  if (sets.items.length === 0 || !choice || !dataSet) {
    return (
      <div className="page">
        <PageHead />
        <p className="card empty-card" data-testid="entry-none">
          {t('entryNoDataSets')}
        </p>
      </div>
    );
  }

  // A new choice here asks before dropping unsaved changes (leaving the page asks in the guard).
  const change = (next: Partial<Choice>) => {
    const c = { ...choice, ...next };
    if (c.ds === choice.ds && c.u === choice.u && c.p === choice.p) return;
    if (!confirmLeave()) return;
    editor.newChoice();
    setChosen(c);
  };
  const chooseDataSet = (code: string) => {
    const c = choiceForDataSet(sets, dataSet, choice, code);
    if (c) change(c);
  };
  const form = editor.form;

  return (
    <div className="page entry-page">
      <PageHead />
      <EntryChoice
        sets={sets}
        dataSet={dataSet}
        choice={choice}
        currentName={form?.orgUnit.code === choice.u ? form.orgUnit.fullName : undefined}
        onDataSet={chooseDataSet}
        onChange={change}
      />
      <EntryFormView editor={editor} />
    </div>
  );
}
