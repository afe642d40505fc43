import { useState } from 'react';
import type { Me } from '../../shared/api/types.ts';
import { useQualityText } from './messages.ts';
import { OutlierPanel } from './OutlierPanel.tsx';
import { RangeFlagList } from './RangeFlagList.tsx';
import { useScopeUnits } from './queries.ts';
import { UnitChoice } from './UnitChoice.tsx';
import { ViolationAlerts } from './ViolationAlerts.tsx';
import { ViolationList } from './ViolationList.tsx';

/** `/chat-luong`: the data quality of a subtree — broken rules with why, and outliers. */
export function QualityPage({ me }: { me: Me }) {
  const { t } = useQualityText();
  const [unit, setUnit] = useState(me.scope.code);
  const units = useScopeUnits(me.scope.code, me.scope.version);
  const unitName =
    unit === me.scope.code
      ? (me.scope.name ?? unit)
      : (units.data?.find((u) => u.code === unit)?.name ?? unit);
  return (
    <div className="page dq-page">
      <div className="page-head dq-head">
        <div>
          <h1>{t('title')}</h1>
          <p className="muted">{t('intro')}</p>
        </div>
        <UnitChoice scope={me.scope} value={unit} onChange={setUnit} />
      </div>
      <ViolationList
        key={unit}
        unit={unit}
        version={me.scope.version}
        canConfirm={me.permissions.includes('data.write')}
      />
      <RangeFlagList
        key={`ranges-${unit}`}
        unit={unit}
        version={me.scope.version}
        canConfirm={me.permissions.includes('data.write')}
      />
      <OutlierPanel unit={unit} />
      <ViolationAlerts
        unit={unit}
        unitName={unitName}
        version={me.scope.version}
        canManage={me.permissions.includes('metadata.manage')}
      />
    </div>
  );
}
