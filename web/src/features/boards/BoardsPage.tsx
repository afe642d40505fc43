import type { Me } from '../../shared/api/types.ts';
import { can } from '../../shared/me.tsx';
import { AppLink } from '../../shared/nav.tsx';
import { usePageTitle } from '../../shared/title.ts';
import { ErrorBox, Loading } from '../../shared/ui.tsx';
import { BoardList } from './BoardList.tsx';
import { ImportBoard } from './ImportBoard.tsx';
import { useBoardText } from './messages.ts';
import { boardPath, DEFAULT_BOARD, NEW_BOARD } from './paths.ts';
import { PlaylistForm } from './PlaylistForm.tsx';
import { useBoardList, useDefaultBoard } from './queries.ts';
import './boards.css';

/** `/bang/`: my boards, those shared with me, my unit's default; new, import, slideshow. */
export function BoardsPage({ me }: { me: Me }) {
  const { t } = useBoardText();
  usePageTitle(t('listTitle'));
  const list = useBoardList();
  const mayWrite = can(me, 'board.write');
  const items = list.data ?? [];
  return (
    <div className="page board-page" data-testid="boards-page">
      <div className="page-head board-head">
        <div className="board-title">
          <h1>{t('listTitle')}</h1>
          <p className="muted">{t('listIntro')}</p>
        </div>
        {mayWrite && (
          <AppLink to={boardPath(NEW_BOARD, 'sua')} className="btn btn-primary" focusMain>
            {t('newBoard')}
          </AppLink>
        )}
      </div>
      {list.error ? <ErrorBox error={list.error} /> : null}
      <div className="board-list-layout">
        <div className="board-list-main">
          <UnitDefault />
          {list.isPending ? (
            <Loading />
          ) : (
            <>
              <BoardList
                title={t('mine')}
                items={items.filter((b) => b.owner.mine)}
                empty={t('noMine')}
                testId="boards-mine"
              />
              <BoardList
                title={t('shared')}
                items={items.filter((b) => !b.owner.mine)}
                empty={t('noShared')}
                testId="boards-shared"
              />
            </>
          )}
        </div>
        <div className="board-list-side">
          {items.length > 0 && <PlaylistForm boards={items} />}
          {mayWrite && <ImportBoard />}
        </div>
      </div>
    </div>
  );
}

function UnitDefault() {
  const { t } = useBoardText();
  const d = useDefaultBoard();
  if (!d.data) return null;
  const { board, source, unit } = d.data;
  return (
    <section className="card" data-testid="boards-default">
      <h2 className="section-title">{t('unitDefault')}</h2>
      <ul className="list">
        <li>
          <AppLink to={boardPath(board.id || DEFAULT_BOARD)} className="row" focusMain>
            <span className="row-main">
              <span className="row-title">{board.name}</span>
              <span className="row-sub">{t(`source_${source}`, { unit: unit ?? '' })}</span>
            </span>
            <span className="row-meta">
              <span className="tag">{t('panelCount', { n: board.panels.length })}</span>
            </span>
          </AppLink>
        </li>
      </ul>
    </section>
  );
}
