import { useEffect, useState, type MouseEvent } from 'react';
import { Outlet } from '@tanstack/react-router';
import { useForm } from 'react-hook-form';
import { answer, client, QUIET_401 } from '../shared/api/client.ts';
import type { Me } from '../shared/api/types.ts';
import { setLang, useI18n, type Lang } from '../shared/i18n.ts';
import { usePageTitle } from '../shared/title.ts';
import { useSession } from '../shared/me.tsx';
import { AppLink, plainClick, usePathname } from '../shared/nav.tsx';
import { ErrorBox, Loading } from '../shared/ui.tsx';
import { confirmLeave, DATA_ENTRY_PATH } from '../features/entry/leaveGuard.ts';
import { OVERVIEW_PATH } from '../features/room/OverviewPage.tsx';
import { overviewText } from '../features/room/messages.ts';
import { DIRECTIVES_PATH, FOLLOWUP_PATH, PLAN_PATH } from '../features/directives/nav.tsx';
import { dirText } from '../features/directives/messages.ts';
import { SECTORS_PATH } from '../features/sectors/paths.ts';
import { sectorText } from '../features/sectors/messages.ts';
import { BRIEFINGS_PATH } from '../features/briefings/paths.ts';
import { briefingText } from '../features/briefings/messages.ts';
import { UNITS_PATH } from '../features/units/route.ts';
import { QUALITY_PATH } from '../features/quality/paths.ts';
import { qualityText } from '../features/quality/messages.ts';
import { BOARDS_PATH, PLAYLIST_PATH } from '../features/boards/paths.ts';
import { boardText } from '../features/boards/messages.ts';
import { preloadScreens } from './screens.ts';

/**
 * The frame of every screen: the header with the app's sections, then either the sign-in form or
 * the screen of the address (the router's outlet, web/src/app/router.tsx).
 */

type Page =
  | 'overview'
  | 'units'
  | 'entry'
  | 'directives'
  | 'plan'
  | 'followup'
  | 'sectors'
  | 'quality'
  | 'briefings'
  | 'boards';

const under = (pathname: string, path: string) =>
  pathname === path || pathname.startsWith(path + '/');

/** The section a path belongs to, for the header's current link. */
function pageOf(pathname: string): Page {
  if (under(pathname, DATA_ENTRY_PATH)) return 'entry';
  if (under(pathname, UNITS_PATH)) return 'units';
  if (under(pathname, SECTORS_PATH)) return 'sectors';
  if (under(pathname, BRIEFINGS_PATH)) return 'briefings';
  if (under(pathname, DIRECTIVES_PATH) || under(pathname, '/phan-anh-xu-ly')) return 'directives';
  if (under(pathname, PLAN_PATH)) return 'plan';
  if (under(pathname, FOLLOWUP_PATH)) return 'followup';
  if (under(pathname, QUALITY_PATH)) return 'quality';
  if (under(pathname, BOARDS_PATH) || under(pathname, PLAYLIST_PATH)) return 'boards';
  return 'overview';
}

/** The section's name in the chosen language: the header's link, and the tab's title. */
function sectionName(
  lang: Lang,
  t: (k: 'navUnits' | 'navDataEntry') => string,
  page: Page,
): string {
  switch (page) {
    case 'overview':
      return overviewText(lang, 'navOverview');
    case 'units':
      return t('navUnits');
    case 'entry':
      return t('navDataEntry');
    case 'directives':
      return dirText(lang, 'navDirectives');
    case 'plan':
      return dirText(lang, 'navPlan');
    case 'followup':
      return dirText(lang, 'navFollowup');
    case 'sectors':
      return sectorText(lang, 'nav');
    case 'briefings':
      return briefingText(lang, 'nav');
    case 'quality':
      return qualityText(lang, 'nav');
    case 'boards':
      return boardText(lang, 'nav');
  }
}

export function Shell() {
  const { lang, t } = useI18n();
  const { me, error, signedIn, signOut } = useSession();
  const page = pageOf(usePathname());
  // Each screen's tab names its section, or the sign-in form; a screen may name itself.
  usePageTitle(me === null ? t('loginTitle') : sectionName(lang, t, page), 0);

  return (
    <>
      <a className="skip-link" href="#main">
        {t('skipToContent')}
      </a>
      <Header me={me ?? null} onLogout={() => void signOut()} page={page} />
      <main id="main" tabIndex={-1}>
        {error ? (
          <div className="page">
            <ErrorBox error={error}>
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
          <LoginPage onSignedIn={signedIn} />
        ) : (
          <Outlet />
        )}
      </main>
    </>
  );
}

function Header({ me, onLogout, page }: { me: Me | null; onLogout: () => void; page: Page }) {
  const { lang, t } = useI18n();
  const pathname = usePathname();
  // The main menu: address, the page it opens, its test id, its label.
  const navItems: [string, Page, string][] = [
    [OVERVIEW_PATH, 'overview', 'nav-overview'],
    [BOARDS_PATH + '/', 'boards', 'nav-boards'],
    [UNITS_PATH, 'units', 'nav-units'],
    [DATA_ENTRY_PATH, 'entry', 'nav-data-entry'],
    [DIRECTIVES_PATH, 'directives', 'nav-directives'],
    [PLAN_PATH, 'plan', 'nav-plan'],
    [FOLLOWUP_PATH, 'followup', 'nav-followup'],
    [SECTORS_PATH, 'sectors', 'nav-sectors'],
    [BRIEFINGS_PATH, 'briefings', 'nav-briefings'],
    [QUALITY_PATH, 'quality', 'nav-quality'],
  ];
  // The page's own link, on the page's own path, keeps what the page shows (its query).
  const stay = (to: string) => (e: MouseEvent<HTMLAnchorElement>) => {
    if (plainClick(e) && pageOf(to) === page && pathname === to) e.preventDefault();
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
        <nav
          className="topnav"
          aria-label={t('navMain')}
          onPointerEnter={preloadScreens}
          onTouchStart={preloadScreens}
          onFocus={preloadScreens}
        >
          <div className="topnav-inner">
            {navItems.map(([to, p, testId]) => (
              <AppLink
                key={p}
                to={to}
                onClick={stay(to)}
                focusMain
                aria-current={page === p ? 'page' : undefined}
                data-testid={testId}
              >
                {sectionName(lang, t, p)}
              </AppLink>
            ))}
          </div>
        </nav>
      )}
    </header>
  );
}

interface LoginFields {
  username: string;
  password: string;
}

function LoginPage({ onSignedIn }: { onSignedIn: (me: Me) => void }) {
  const { t } = useI18n();
  const { register, handleSubmit, setFocus, formState } = useForm<LoginFields>({
    defaultValues: { username: '', password: '' },
  });
  const [error, setError] = useState<unknown>(null);
  // Busy from the click until the answer; once signed in the form goes away.
  const [signedIn, setSignedIn] = useState(false);
  const busy = formState.isSubmitting || signedIn;

  useEffect(() => {
    setFocus('username');
  }, [setFocus]);

  const submit = async ({ username, password }: LoginFields) => {
    setError(null);
    try {
      const me = await answer(
        client.POST('/api/auth/login', {
          body: { username: username.trim(), password },
          // A wrong password is this form's own error, not a session that ended.
          headers: { [QUIET_401]: '1' },
        }),
      );
      setSignedIn(true);
      onSignedIn(me);
    } catch (err) {
      setError(err);
    }
  };

  return (
    <div className="login-wrap">
      <form
        className="card login"
        onSubmit={(e) => void handleSubmit(submit)(e)}
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
            autoComplete="username"
            autoCapitalize="none"
            spellCheck={false}
            required
            {...register('username')}
          />
        </div>
        <div className="field">
          <label htmlFor="login-password">{t('password')}</label>
          <input
            id="login-password"
            type="password"
            autoComplete="current-password"
            required
            {...register('password')}
          />
        </div>
        <button type="submit" className="btn btn-primary btn-block" disabled={busy}>
          {busy ? t('loggingIn') : t('loginButton')}
        </button>
      </form>
    </div>
  );
}
