import { AppLink } from '../../shared/nav.tsx';
import { OFFICER_REPORT_PATH } from './api.ts';
import { useReportText } from './messages.ts';

/** On a report's task: it moves with its report, handled on the report's screen. */
export function ReportTaskLink({ reportId }: { reportId: number }) {
  const { t } = useReportText();
  return (
    <section className="card" data-testid="task-report">
      <p>{t('offReportTask')}</p>
      <AppLink
        to={`${OFFICER_REPORT_PATH}/${reportId}`}
        className="btn btn-primary"
        data-testid="open-report"
      >
        {t('offOpenReport')}
      </AppLink>
    </section>
  );
}
