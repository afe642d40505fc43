import { useId, useState, type FormEvent } from 'react';
import { useGo } from '../../shared/nav.tsx';
import { statusPath, trackingCode } from './api.ts';
import { useReportText } from './messages.ts';

/** `/phan-anh/tra-cuu`: a tracking code typed in any way (lower case, without dashes). */
export function LookupPage() {
  const { t } = useReportText();
  return (
    <div className="pa-page">
      <h1>{t('lookupTitle')}</h1>
      <p className="pa-muted">{t('lookupIntro')}</p>
      <LookupForm />
    </div>
  );
}

export function LookupForm({ initial = '' }: { initial?: string }) {
  const { t } = useReportText();
  const id = useId();
  const go = useGo();
  const [typed, setTyped] = useState(initial);
  const [error, setError] = useState('');
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const code = trackingCode(typed);
    if (!code) {
      setError(t('lookupBad'));
      return;
    }
    setError('');
    go(statusPath(code));
  };
  return (
    <form className="pa-lookup" onSubmit={submit} noValidate>
      <label htmlFor={id} className="pa-label">
        {t('lookupLabel')}
      </label>
      <div className="pa-row">
        <input
          id={id}
          className="pa-input pa-code-input"
          value={typed}
          onChange={(e) => setTyped(e.target.value)}
          placeholder={t('lookupHint')}
          autoCapitalize="characters"
          autoComplete="off"
          spellCheck={false}
          aria-invalid={error ? true : undefined}
          data-testid="lookup-code"
        />
        <button type="submit" className="pa-btn pa-btn-primary">
          {t('lookupGo')}
        </button>
      </div>
      {error && (
        <p className="pa-error" role="alert">
          {error}
        </p>
      )}
    </form>
  );
}
