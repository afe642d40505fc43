import type { ComponentProps } from 'react';
import { formatNumber } from '../../shared/format.ts';
import { AlertsPanel } from './AlertsPanel.tsx';

/** The open alerts of the tree shown, with their count. */
export function AlertsSection({
  count,
  ...panel
}: ComponentProps<typeof AlertsPanel> & { count: number }) {
  return (
    <section className="ov-panel ov-alerts" aria-labelledby="ov-alerts-title">
      <div className="ov-panel-head">
        <h2 id="ov-alerts-title">
          {panel.t('alertsTitle')}
          {count > 0 && <span className="count-pill">{formatNumber(panel.lang, count)}</span>}
        </h2>
      </div>
      <AlertsPanel {...panel} />
    </section>
  );
}
