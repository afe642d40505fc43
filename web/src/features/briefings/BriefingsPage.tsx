/**
 * The monthly briefing (issue 18): `/bao-cao` lists the briefings of the user's scope and
 * creates a draft; `/bao-cao/12` is one briefing (BriefingPage.tsx).
 */
import { usePageTitle } from '../../shared/title.ts';
import { can, type Me } from '../../shared/me.tsx';
import { ErrorBox, Loading } from '../../shared/ui.tsx';
import { BriefingTable } from './BriefingTable.tsx';
import { CreateForm } from './CreateForm.tsx';
import { useBriefingText } from './messages.ts';
import { useBriefingList } from './queries.ts';
import './briefings.css';

export function BriefingsPage({ me }: { me: Me }) {
  const { lang, t } = useBriefingText();
  const list = useBriefingList();
  usePageTitle(t('listTitle'));
  return (
    <div className="page brf-page" data-testid="briefings-page">
      <div className="page-head">
        <h1>{t('listTitle')}</h1>
        <p className="muted">{t('listIntro')}</p>
      </div>
      {can(me, 'briefing.issue') && <CreateForm me={me} lang={lang} t={t} />}
      {list.error ? <ErrorBox error={list.error} /> : null}
      {list.isPending ? <Loading /> : null}
      {list.data && <BriefingTable items={list.data} lang={lang} t={t} />}
    </div>
  );
}
