import { useId } from 'react';
import type { Version } from '../../shared/api/types.ts';
import { formatDate, useI18n } from '../../shared/i18n.ts';
import { versionLabel } from './levels.ts';

/** The version of the tree (with its validity) and the search box. */
export function UnitsToolbar({
  versions,
  version,
  onVersion,
  text,
  onText,
}: {
  versions: Version[];
  version: Version;
  onVersion: (id: string) => void;
  text: string;
  onText: (text: string) => void;
}) {
  const i = useI18n();
  const { t } = i;
  const versionId = useId();
  const searchId = useId();
  return (
    <div className="toolbar card">
      <div className="field field-version">
        <label htmlFor={versionId}>{t('version')}</label>
        <select
          id={versionId}
          value={version.id}
          data-testid="version-select"
          onChange={(e) => onVersion(e.target.value)}
        >
          {versions.map((v) => (
            <option key={v.id} value={v.id}>
              {versionLabel(i, v)}
            </option>
          ))}
        </select>
        <p className="hint">
          {version.validUntil
            ? t('validRange', {
                from: formatDate(version.validFrom),
                until: formatDate(version.validUntil),
              })
            : t('validFrom', { from: formatDate(version.validFrom) })}
          {version.current ? <span className="current-badge">{t('versionCurrent')}</span> : null}
        </p>
      </div>
      <div className="field field-search">
        <label htmlFor={searchId}>{t('search')}</label>
        <div className="search-box">
          <span className="search-icon" aria-hidden="true" />
          <input
            id={searchId}
            type="search"
            autoComplete="off"
            spellCheck={false}
            placeholder={t('searchPlaceholder')}
            aria-describedby={`${searchId}-hint`}
            value={text}
            onChange={(e) => onText(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === 'Escape') onText('');
            }}
          />
          {text && (
            <button
              type="button"
              className="search-clear"
              aria-label={t('clearSearch')}
              onClick={() => onText('')}
            >
              ×
            </button>
          )}
        </div>
        <p className="hint hint-search" id={`${searchId}-hint`}>
          {t('searchHint')}
        </p>
      </div>
    </div>
  );
}
