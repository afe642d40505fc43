import type { ReactNode } from 'react';
import { ApiError } from './api/client.ts';
import { useI18n } from './i18n.ts';

/** The text of an error, in the language currently shown. */
export function useErrorText(): (error: unknown) => string {
  const { lang, t } = useI18n();
  return (error) => {
    if (error instanceof ApiError) {
      if (error.code === 'network') return t('networkError');
      return error.messages?.[lang] ?? error.message;
    }
    return error instanceof Error ? error.message : String(error);
  };
}

export function ErrorBox({
  error,
  children,
  testId = 'error',
}: {
  error: unknown;
  children?: ReactNode;
  testId?: string;
}) {
  const text = useErrorText();
  return (
    <div className="alert" role="alert" data-testid={testId}>
      <span className="alert-icon" aria-hidden="true">
        !
      </span>
      <div className="alert-body">
        <p>{text(error)}</p>
        {children}
      </div>
    </div>
  );
}

export function Loading({ label }: { label?: string }) {
  const { t } = useI18n();
  return (
    <p className="loading" role="status">
      <span className="spinner" aria-hidden="true" />
      {label ?? t('loading')}
    </p>
  );
}
