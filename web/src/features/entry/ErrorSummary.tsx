import { useI18n } from '../../shared/i18n.ts';
import { fieldId, fieldLabel, type EntryField } from './fields.ts';

/** After a save was tried: the fields to fix, each a link to its field. */
export function ErrorSummary({
  shownErrors,
  onFocus,
}: {
  shownErrors: { f: EntryField; msg: string }[];
  onFocus: (key: string) => void;
}) {
  const { lang, t } = useI18n();
  if (shownErrors.length === 0) return null;
  return (
    <div className="alert" role="alert" data-testid="entry-errors">
      <span className="alert-icon" aria-hidden="true">
        !
      </span>
      <div className="alert-body">
        <p>
          <strong>{t('entryErrorsTitle', { n: shownErrors.length })}</strong>
        </p>
        <p>{t('entryErrorsIntro')}</p>
        <ul className="error-list">
          {shownErrors.map(({ f, msg }) => (
            <li key={f.key}>
              <a
                href={'#' + fieldId(f.key)}
                onClick={(e) => {
                  e.preventDefault();
                  onFocus(f.key);
                }}
              >
                {fieldLabel(f, lang)}: {msg}
              </a>
            </li>
          ))}
        </ul>
      </div>
    </div>
  );
}
