import { useId, useState } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { ErrorBox, Loading } from '../../shared/ui.tsx';
import { qualityText, useQualityText, type QualityKey } from './messages.ts';
import {
  ALERT_RULES_KEY,
  createViolationAlert,
  switchAlert,
  useViolationAlerts,
  type AlertRule,
} from './queries.ts';

const IMPORTANCES = ['HIGH', 'MEDIUM', 'LOW'] as const;
const PERIODS = ['day', 'week', 'month'] as const;

/** The levels of a tree: the 2022 tree has districts, the 2025 one does not. */
const levelsOf = (version: string): { level: number; key: QualityKey }[] =>
  version === '2022'
    ? [
        { level: 0, key: 'level_0' },
        { level: 1, key: 'level_1' },
        { level: 2, key: 'level_2_2022' },
        { level: 3, key: 'level_3' },
      ]
    : [
        { level: 0, key: 'level_0' },
        { level: 1, key: 'level_1' },
        { level: 2, key: 'level_2_2025' },
      ];

/**
 * "Cảnh báo khi có vi phạm mới": the violation alert rules over the chosen unit, each switched
 * on or off, and a form to set one (metadata.manage), as the room's alerts read them.
 */
export function ViolationAlerts({
  unit,
  unitName,
  version,
  canManage,
}: {
  unit: string;
  unitName: string;
  version: string;
  canManage: boolean;
}) {
  const { lang, t } = useQualityText();
  const id = useId();
  const qc = useQueryClient();
  const q = useViolationAlerts();
  const levels = levelsOf(version);
  const [importance, setImportance] = useState<(typeof IMPORTANCES)[number]>('HIGH');
  const [level, setLevel] = useState(levels[levels.length - 1]!.level);
  const [period, setPeriod] = useState<(typeof PERIODS)[number]>('day');
  const [said, setSaid] = useState('');
  const done = () => void qc.invalidateQueries({ queryKey: ALERT_RULES_KEY });
  const create = useMutation({
    mutationFn: () => {
      // Named in both languages whatever the screen's, with the importance as the screen says it.
      const words = (l: 'vi' | 'en') => qualityText(l, `importance_${importance}`).toLowerCase();
      return createViolationAlert({
        nameVi: `Vi phạm mức ${words('vi')} chưa xử lý — ${unitName}`.slice(0, 200),
        nameEn: `Unreviewed ${words('en')} violations — ${unitName}`.slice(0, 200),
        subject: importance,
        subjectType: 'violations',
        unit: { version, code: unit },
        level,
        periodType: period,
      });
    },
    onSuccess: (r) => {
      setSaid(t('alertCreated', { name: lang === 'vi' ? r.nameVi : r.nameEn }));
      done();
    },
  });
  const toggle = useMutation({
    mutationFn: (r: AlertRule) => switchAlert(r.id, !r.active),
    onSuccess: done,
  });
  const rules = q.data;
  return (
    <section className="card dq-section" aria-labelledby="dq-alerts" data-testid="dq-alerts">
      <h2 id="dq-alerts" className="section-title">
        {t('alertsTitle')}
        {rules ? <span className="count-pill">{rules.length}</span> : null}
      </h2>
      <p className="muted">{t('alertsIntro')}</p>
      <p className="dq-live" role="status" aria-live="polite" data-testid="dq-alerts-live">
        {said}
      </p>
      {q.isPending ? <Loading /> : null}
      {q.error ? <ErrorBox error={q.error} /> : null}
      {rules && rules.length === 0 ? <p className="muted">{t('alertsNone')}</p> : null}
      {rules && rules.length > 0 ? (
        <ul className="dq-alert-list">
          {rules.map((r) => (
            <li key={r.id} className="dq-alert-rule" data-testid="dq-alert-rule">
              <span className={`tag ${r.active ? 'dq-state-open' : 'dq-state-confirmed'}`}>
                {r.active ? t('alertOn') : t('alertOff')}
              </span>{' '}
              <strong>{lang === 'vi' ? r.nameVi : r.nameEn}</strong>{' '}
              <span className="muted">
                · {t(`period_${r.periodType as 'day'}`)} · {r.unit.name}
              </span>
              {canManage ? (
                <button
                  type="button"
                  className="btn dq-baseline-toggle"
                  disabled={toggle.isPending}
                  onClick={() => toggle.mutate(r)}
                >
                  {r.active ? t('alertTurnOff') : t('alertTurnOn')}
                </button>
              ) : null}
            </li>
          ))}
        </ul>
      ) : null}
      {canManage ? (
        <form
          className="dq-outlier-form dq-alert-form"
          onSubmit={(e) => {
            e.preventDefault();
            create.mutate();
          }}
        >
          <div className="field">
            <label htmlFor={`${id}-i`}>{t('alertImportance')}</label>
            <select
              id={`${id}-i`}
              value={importance}
              onChange={(e) => setImportance(e.target.value as (typeof IMPORTANCES)[number])}
            >
              {IMPORTANCES.map((x) => (
                <option key={x} value={x}>
                  {t(`importance_${x}`)}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor={`${id}-l`}>{t('alertLevel')}</label>
            <select id={`${id}-l`} value={level} onChange={(e) => setLevel(Number(e.target.value))}>
              {levels.map((x) => (
                <option key={x.level} value={x.level}>
                  {t(x.key)}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor={`${id}-p`}>{t('alertPeriod')}</label>
            <select
              id={`${id}-p`}
              value={period}
              onChange={(e) => setPeriod(e.target.value as (typeof PERIODS)[number])}
            >
              {PERIODS.map((x) => (
                <option key={x} value={x}>
                  {t(`period_${x}`)}
                </option>
              ))}
            </select>
          </div>
          <button type="submit" className="btn btn-primary" disabled={create.isPending}>
            {t('alertCreate')}
          </button>
          {create.error ? <ErrorBox error={create.error} testId="dq-alert-error" /> : null}
        </form>
      ) : null}
    </section>
  );
}
