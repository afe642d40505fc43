import type { RefObject } from 'react';
import type { OrgUnitDetail, UnitLink } from '../../shared/api/types.ts';
import { formatDate, typeName, useI18n } from '../../shared/i18n.ts';
import { AppLink } from './AppLink.tsx';
import { levelKey, versionShort } from './levels.ts';
import type { Route } from './route.ts';

/** The unit's facts, the counts below it, and the units it was formed from or went into. */
export function UnitDetail({
  unit,
  max,
  titleRef,
  onGo,
}: {
  unit: OrgUnitDetail;
  max: number;
  titleRef: RefObject<HTMLHeadingElement | null>;
  onGo: (r: Route) => void;
}) {
  const { t, n, lang } = useI18n();
  const link = (l: UnitLink) => (
    <li key={`${l.version}/${l.code}`}>
      <AppLink to={{ v: l.version, u: l.code }} onGo={onGo}>
        {l.fullName}
      </AppLink>{' '}
      <span className="muted">
        ({l.part === 'full' ? t('partFull') : t('partPartial')} ·{' '}
        {t('inVersion', { v: versionShort(l.version) })})
      </span>
    </li>
  );
  const belowLevels = Object.entries(unit.countsBelow)
    .map(([l, c]) => [Number(l), c] as const)
    .sort((a, b) => a[0] - b[0]);

  return (
    <section className="card detail" aria-labelledby="unit-title" data-testid="unit-detail">
      <p className="eyebrow">{t('details')}</p>
      <h2 id="unit-title" ref={titleRef} tabIndex={-1}>
        {unit.fullName}
      </h2>
      <dl className="facts">
        <div>
          <dt>{t('code')}</dt>
          <dd className="code">{unit.code}</dd>
        </div>
        <div>
          <dt>{t('type')}</dt>
          <dd>{typeName(lang, unit.type)}</dd>
        </div>
        <div>
          <dt>{t('level')}</dt>
          <dd>{t(levelKey(max, unit.level, true))}</dd>
        </div>
        {unit.nameEn && !/^\d+$/.test(unit.nameEn) ? (
          <div>
            <dt>{t('nameEn')}</dt>
            <dd lang="en">{unit.nameEn}</dd>
          </div>
        ) : null}
        {unit.ancestors.length > 0 ? (
          <div>
            <dt>{t('parent')}</dt>
            <dd>{unit.ancestors[unit.ancestors.length - 1]?.fullName}</dd>
          </div>
        ) : null}
      </dl>
      {unit.renamedBy ? (
        <p className="note">
          {t('renamedBy', {
            decree: unit.renamedBy.decree,
            date: formatDate(unit.renamedBy.effective),
          })}
        </p>
      ) : null}
      {belowLevels.length > 0 ? (
        <>
          <h3 className="sub-title">{t('countsBelow')}</h3>
          <ul className="mini-stats" data-testid="counts-below">
            {belowLevels.map(([l, c]) => (
              <li key={l}>
                <span className="mini-value">{n(c)}</span> <span>{t(levelKey(max, l))}</span>
              </li>
            ))}
          </ul>
        </>
      ) : null}
      {unit.formedFrom.length > 0 ? (
        <>
          <h3 className="sub-title">{t('formedFrom')}</h3>
          <ul className="links" data-testid="formed-from">
            {unit.formedFrom.map(link)}
          </ul>
        </>
      ) : null}
      {unit.wentInto.length > 0 ? (
        <>
          <h3 className="sub-title">{t('wentInto')}</h3>
          <ul className="links" data-testid="went-into">
            {unit.wentInto.map(link)}
          </ul>
        </>
      ) : null}
    </section>
  );
}
