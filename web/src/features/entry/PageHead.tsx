import { useI18n } from '../../shared/i18n.ts';

export function PageHead() {
  const { t } = useI18n();
  return (
    <div className="page-head">
      <h1>{t('entryTitle')}</h1>
      <p className="muted">{t('entryIntro')}</p>
    </div>
  );
}
