import { useEffect, useRef, useState, type FormEvent, type MouseEvent } from 'react';
import { api, ApiError, setCsrfToken, setUnauthenticatedHandler, type Me } from './api.ts';
import { setLang, useI18n } from './i18n.ts';
import { ErrorBox, Loading } from './ui.tsx';
import { UnitsPage } from './UnitsPage.tsx';
import { confirmLeave, DataEntryPage, DATA_ENTRY_PATH } from './DataEntryPage.tsx';
import { OverviewPage, OVERVIEW_PATH } from './overview/OverviewPage.tsx';
import { overviewText } from './overview/messages.ts';
import {
  DirectivesArea,
  directivesPageOf,
  DIRECTIVES_PATH,
  FOLLOWUP_PATH,
  notifyNavigation,
  PLAN_PATH,
} from './directives/DirectivesArea.tsx';
import { dirText } from './directives/messages.ts';
import { isSectorsPath, SectorsArea, SECTORS_PATH } from './sectors/SectorPage.tsx';
import { notifySectorNavigation } from './sectors/data.ts';
import { sectorText } from './sectors/messages.ts';

/** The units page: it was the home page before the overview took its place. */
const UNITS_PATH = '/don-vi';

type Page = 'overview' | 'units' | 'entry' | 'directives' | 'plan' | 'followup' | 'sectors';

const under = (pathname: string, path: string) =>
  pathname === path || pathname.startsWith(path + '/');

/** The app's pages: the overview at /, the units at /don-vi, the data entry form at /nhap-lieu. */
function pageOf(pathname: string): Page {
  if (under(pathname, DATA_ENTRY_PATH)) return 'entry';
  if (under(pathname, UNITS_PATH)) return 'units';
  if (isSectorsPath(pathname)) return 'sectors';
  const d = directivesPageOf(pathname);
  if (d) return d;
  return 'overview';
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
        ) : page === 'units' ? (
          <UnitsPage me={me} />
        ) : page === 'sectors' ? (
          <SectorsArea />
        ) : page === 'directives' || page === 'plan' || page === 'followup' ? (
          <DirectivesArea me={me} />
        ) : (
          <OverviewPage me={me} />
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
  page: Page;
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
            <a
              href={OVERVIEW_PATH}
              onClick={link(OVERVIEW_PATH)}
              aria-current={page === 'overview' ? 'page' : undefined}
              data-testid="nav-overview"
            >
              {overviewText(lang, 'navOverview')}
            </a>
            <a
              href={UNITS_PATH}
              onClick={link(UNITS_PATH)}
              aria-current={page === 'units' ? 'page' : undefined}
              data-testid="nav-units"
            >
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
            <a
              href={DIRECTIVES_PATH}
              onClick={(e) => {
                link(DIRECTIVES_PATH)(e);
                notifyNavigation();
              }}
              aria-current={page === 'directives' ? 'page' : undefined}
              data-testid="nav-directives"
            >
              {dirText(lang, 'navDirectives')}
            </a>
            <a
              href={PLAN_PATH}
              onClick={(e) => {
                link(PLAN_PATH)(e);
                notifyNavigation();
              }}
              aria-current={page === 'plan' ? 'page' : undefined}
              data-testid="nav-plan"
            >
              {dirText(lang, 'navPlan')}
            </a>
            <a
              href={FOLLOWUP_PATH}
              onClick={(e) => {
                link(FOLLOWUP_PATH)(e);
                notifyNavigation();
              }}
              aria-current={page === 'followup' ? 'page' : undefined}
              data-testid="nav-followup"
            >
              {dirText(lang, 'navFollowup')}
            </a>
            <a
              href={SECTORS_PATH}
              onClick={(e) => {
                link(SECTORS_PATH)(e);
                notifySectorNavigation();
              }}
              aria-current={page === 'sectors' ? 'page' : undefined}
              data-testid="nav-sectors"
            >
              {sectorText(lang, 'nav')}
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
