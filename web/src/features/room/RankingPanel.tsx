import type { ComponentProps, ReactNode } from 'react';
import { ErrorBox, Loading } from '../../shared/ui.tsx';
import { Ranking } from './Ranking.tsx';

/** The ranking of the map's units, with its loading and error states. */
export function RankingPanel({
  t,
  mapName,
  loading,
  error,
  menu,
  ...ranking
}: ComponentProps<typeof Ranking> & {
  mapName: string;
  /** Nothing to show yet and the values are on their way. */
  loading: boolean;
  error: unknown;
  /** The panel's download menu (none on a wall). */
  menu?: ReactNode;
}) {
  return (
    <section className="ov-panel ov-ranking" aria-labelledby="ov-ranking-title">
      {menu}
      <div className="ov-panel-head">
        <h2 id="ov-ranking-title">{t('rankingTitle', { indicator: mapName })}</h2>
      </div>
      {loading ? <Loading /> : error ? <ErrorBox error={error} /> : <Ranking t={t} {...ranking} />}
    </section>
  );
}
