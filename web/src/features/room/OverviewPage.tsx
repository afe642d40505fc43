import type { Me } from '../../shared/api/types.ts';
import { ErrorBox, Loading } from '../../shared/ui.tsx';
import { useOverviewText } from './messages.ts';
import { Overview } from './Overview.tsx';
import { useRoomBoot } from './useRoomData.ts';
import { useUrlState, useWallClass } from './useRoomState.ts';
import '../../shared/wall.css';
import './overview.css';

/** The overview is the home screen. */
export const OVERVIEW_PATH = '/';

/** The operations room: the catalogue, the trees and the boundary index first, then the room. */
export function OverviewPage({ me }: { me: Me }) {
  const { lang, t } = useOverviewText();
  const [state, update] = useUrlState();
  const { boot, error, retry } = useRoomBoot();
  useWallClass(state.wall);

  if (error)
    return (
      <div className="page overview">
        <ErrorBox error={error}>
          <button type="button" className="btn" onClick={retry}>
            {t('retry')}
          </button>
        </ErrorBox>
      </div>
    );
  if (!boot)
    return (
      <div className={`page overview${state.wall ? ' wall' : ''}`}>
        <Loading />
      </div>
    );
  return <Overview me={me} boot={boot} state={state} update={update} lang={lang} t={t} />;
}
