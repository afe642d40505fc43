import { useEffect, useRef, useState, type FormEvent, type MouseEvent } from 'react';
import { api, ApiError, setCsrfToken, setUnauthenticatedHandler, type Me } from './api.ts';
import { setLang, useI18n } from './i18n.ts';
import { ErrorBox, Loading } from './ui.tsx';
import { UnitsPage } from './UnitsPage.tsx';
import { confirmLeave, DataEntryPage, DATA_ENTRY_PATH } from './DataEntryPage.tsx';

/** The app's pages: the units page at / and the data entry form at /nhap-lieu. */
function pageOf(pathname: string): 'units' | 'entry' {
  return pathname === DATA_ENTRY_PATH || pathname.startsWith(DATA_ENTRY_PATH + '/')
    ? 'entry'
    : 'units';
}

export function App() {
  const { t } = useI18n();
  // undefined: still asking the server who we are; null: not signed in
  const [me, setMe] = useState<Me | null | undefined>(undefined);
  const [bootError, setBootError] = useState<unknown>(null);
  const [page, setPage] = useState(() => pageOf(location.pathname));

  useEffect(() => {
    const onPop = () => setPage(pageOf(location.pathname));
    window.addEventListener('popstate', onPop);
    return () => window.removeEventListener('popstate', onPop);
  }, []);

  const go = (to: string) => {
    if (pageOf(to) === page && location.pathname === to) return;
    if (!confirmLeave()) return;
    history.pushState(null, '', to);
    setPage(pageOf(to));
    document.getElementById('main')?.focus();
  };

  useEffect(() => {
    setUnauthenticatedHandler(() => {
      setCsrfToken(undefined);
      setMe(null);
    });
    let cancelled = false;
    const load = async () => {
      try {
        const who = await api<Me>('/api/auth/me', { quiet401: true });
        if (cancelled) return;
        setCsrfToken(who.csrfToken);
        setMe(who);
      } catch (e) {
        if (cancelled) return;
        if (e instanceof ApiError && e.status === 401) setMe(null);
        else setBootError(e);
      }
    };
    void load();
    return () => {
      cancelled = true;
    };
  }, []);

  const logout = async () => {
    try {
      await api('/api/auth/logout', { method: 'POST' });
    } finally {
      setCsrfToken(undefined);
      setMe(null);
    }
  };

  return (
    <>
      <a className="skip-link" href="#main">
        {t('skipToContent')}
      </a>
      <Header me={me ?? null} onLogout={logout} page={page} onGo={go} />
      <main id="main" tabIndex={-1}>
        {bootError ? (
          <div className="page">
            <ErrorBox error={bootError}>
              <button type="button" className="btn" onClick={() => location.reload()}>
                {t('retry')}
              </button>
            </ErrorBox>
          </div>
        ) : me === undefined ? (
          <div className="page">
            <Loading />
          </div>
        ) : me === null ? (
          <LoginPage
            onSignedIn={(who) => {
              setCsrfToken(who.csrfToken);
              setMe(who);
            }}
          />
        ) : page === 'entry' ? (
          <DataEntryPage me={me} />
        ) : (
          <UnitsPage me={me} />
        )}
      </main>
    </>
  );
}

function Header({
  me,
  onLogout,
  page,
  onGo,
}: {
  me: Me | null;
  onLogout: () => void;
  page: 'units' | 'entry';
  onGo: (to: string) => void;
}) {
  const { lang, t } = useI18n();
  const link = (to: string) => (e: MouseEvent<HTMLAnchorElement>) => {
    if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    e.preventDefault();
    onGo(to);
  };
  return (
    <header className="topbar">
      <div className="topbar-inner">
        <a className="brand" href="/" aria-label={t('appName')}>
          <span className="brand-mark" aria-hidden="true">
            ★
          </span>
          <span className="brand-text">
            <span className="brand-name">Opsroom</span>
            <span className="brand-sep" aria-hidden="true">
              {' '}
              —{' '}
            </span>
            <span className="brand-tag">{t('tagline')}</span>
          </span>
        </a>
        <div className="topbar-actions">
          {me && (
            <span
              className="user"
              data-testid="user-name"
              title={t('signedInAs', { name: me.username })}
            >
              <span className="user-avatar" aria-hidden="true">
                {(me.displayName ?? me.username).trim().charAt(0).toUpperCase()}
              </span>
              <span className="user-name">{me.displayName ?? me.username}</span>
            </span>
          )}
          <button
            type="button"
            className="btn btn-ghost"
            lang={lang === 'vi' ? 'en' : 'vi'}
            aria-label={t('switchLangLabel')}
            onClick={() => setLang(lang === 'vi' ? 'en' : 'vi')}
          >
            {t('switchLang')}
          </button>
          {me && (
            <button
              type="button"
              className="btn btn-ghost"
              onClick={() => {
                if (confirmLeave()) onLogout();
              }}
            >
              {t('logout')}
            </button>
          )}
        </div>
      </div>
      {me && (
        <nav className="topnav" aria-label={t('navMain')}>
          <div className="topnav-inner">
            <a href="/" onClick={link('/')} aria-current={page === 'units' ? 'page' : undefined}>
              {t('navUnits')}
            </a>
            <a
              href={DATA_ENTRY_PATH}
              onClick={link(DATA_ENTRY_PATH)}
              aria-current={page === 'entry' ? 'page' : undefined}
              data-testid="nav-data-entry"
            >
              {t('navDataEntry')}
            </a>
          </div>
        </nav>
      )}
    </header>
  );
}

function LoginPage({ onSignedIn }: { onSignedIn: (me: Me) => void }) {
  const { t } = useI18n();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const userRef = useRef<HTMLInputElement>(null);

  useEffect(() => {
    userRef.current?.focus();
  }, []);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const me = await api<Me>('/api/auth/login', {
        method: 'POST',
        body: { username: username.trim(), password },
        quiet401: true,
      });
      onSignedIn(me);
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  };

  return (
    <div className="login-wrap">
      <form
        className="card login"
        onSubmit={submit}
        aria-labelledby="login-title"
        noValidate={false}
      >
        <h1 id="login-title">{t('loginTitle')}</h1>
        <p className="muted">{t('loginIntro')}</p>
        {error ? <ErrorBox error={error} testId="login-error" /> : null}
        <div className="field">
          <label htmlFor="login-username">{t('username')}</label>
          <input
            id="login-username"
            ref={userRef}
            name="username"
            autoComplete="username"
            autoCapitalize="none"
            spellCheck={false}
            required
            value={username}
            onChange={(e) => setUsername(e.target.value)}
          />
        </div>
        <div className="field">
          <label htmlFor="login-password">{t('password')}</label>
          <input
            id="login-password"
            name="password"
            type="password"
            autoComplete="current-password"
            required
            value={password}
            onChange={(e) => setPassword(e.target.value)}
          />
        </div>
        <button type="submit" className="btn btn-primary btn-block" disabled={busy}>
          {busy ? t('loggingIn') : t('loginButton')}
        </button>
      </form>
    </div>
  );
}
