import type { Lang } from '../../shared/format.ts';
import type { BriefingDocument } from './data.ts';
import type { BriefingT } from './messages.ts';

/** Who reported for the period: on time, late, missing, with the late and missing units named. */
export function CompletenessView({
  rows,
  lang,
  t,
}: {
  rows: BriefingDocument['completeness'];
  lang: Lang;
  t: BriefingT;
}) {
  if (rows.length === 0) return null;
  const names = (units: string[]) => units.join(', ');
  return (
    <section
      className="brf-section brf-completeness"
      aria-labelledby="brf-completeness-title"
      data-testid="briefing-completeness"
    >
      <h2 id="brf-completeness-title">{t('completenessTitle')}</h2>
      <div
        className="brf-table-wrap"
        role="region"
        tabIndex={0}
        aria-labelledby="brf-completeness-title"
      >
        <table className="brf-figures">
          <thead>
            <tr>
              <th scope="col">{t('dataSet')}</th>
              <th scope="col">{t('expected')}</th>
              <th scope="col">{t('onTime')}</th>
              <th scope="col">{t('late')}</th>
              <th scope="col">{t('missing')}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.dataSet}>
                <th scope="row">{lang === 'vi' ? r.nameVi : r.nameEn}</th>
                <td className="n" data-label={t('expected')}>
                  {r.expected}
                </td>
                <td className="n" data-label={t('onTime')}>
                  {r.onTime}
                </td>
                <td className="n" data-label={t('late')}>
                  {r.late}
                </td>
                <td className="n" data-label={t('missing')}>
                  {r.missing}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {rows.map((r) =>
        r.lateUnits.length || r.missingUnits.length ? (
          <div key={r.dataSet} className="brf-units" data-testid={`completeness-${r.dataSet}`}>
            {rows.length > 1 && (
              <p className="brf-units-set">{lang === 'vi' ? r.nameVi : r.nameEn}</p>
            )}
            {r.lateUnits.length > 0 && (
              <p className="brf-text">{t('lateUnits', { names: names(r.lateUnits) })}</p>
            )}
            {r.missingUnits.length > 0 && (
              <p className="brf-text">{t('missingUnits', { names: names(r.missingUnits) })}</p>
            )}
          </div>
        ) : null,
      )}
    </section>
  );
}
