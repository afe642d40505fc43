import {
  createRootRoute,
  createRoute,
  createRouter,
  Outlet,
  RouterProvider,
  useParams,
} from '@tanstack/react-router';
import { setLang } from '../../shared/i18n.ts';
import { AppLink, parseSearch, stringifySearch, usePathname } from '../../shared/nav.tsx';
import { LOOKUP_PATH, REPORT_PATH } from './api.ts';
import { ANSWERS_PATH, AnswerPage, AnswersPage } from './AnswersPage.tsx';
import { LookupPage } from './LookupPage.tsx';
import { useReportText } from './messages.ts';
import { ReportForm } from './ReportForm.tsx';
import { SPAM_PATH, SpamPage } from './SpamPage.tsx';
import { StatusPage } from './StatusPage.tsx';

/**
 * The citizens' pages (issue 20), a page of their own (web/phan-anh.html): no account, no
 * sign-in, none of the operations room's code; phone first.
 */

function PublicShell() {
  const { lang, t } = useReportText();
  const path = usePathname();
  const under = (p: string) => path === p || path.startsWith(p + '/');
  const section = under(ANSWERS_PATH)
    ? 'answers'
    : under(SPAM_PATH)
      ? 'spam'
      : path === REPORT_PATH
        ? 'file'
        : 'lookup';
  const here = (s: typeof section) => (section === s ? ('page' as const) : undefined);
  return (
    <>
      <header className="pa-top">
        <div className="pa-top-inner">
          <AppLink to={REPORT_PATH} className="pa-brand">
            <span className="pa-brand-mark" aria-hidden="true">
              ★
            </span>
            <span>
              <span className="pa-brand-name">{t('brand')}</span>
              <span className="pa-brand-tag">{t('brandTag')}</span>
            </span>
          </AppLink>
          <button
            type="button"
            className="pa-lang"
            lang={lang === 'vi' ? 'en' : 'vi'}
            aria-label={t('switchLangLabel')}
            onClick={() => setLang(lang === 'vi' ? 'en' : 'vi')}
          >
            {t('switchLang')}
          </button>
        </div>
        <nav className="pa-nav" aria-label={t('brand')}>
          <AppLink to={REPORT_PATH} aria-current={here('file')}>
            {t('navFile')}
          </AppLink>
          <AppLink to={LOOKUP_PATH} aria-current={here('lookup')}>
            {t('navLookup')}
          </AppLink>
          <AppLink to={ANSWERS_PATH} aria-current={here('answers')} data-testid="nav-answers">
            {t('navAnswers')}
          </AppLink>
          <AppLink to={SPAM_PATH} aria-current={here('spam')} data-testid="nav-spam">
            {t('navSpam')}
          </AppLink>
        </nav>
      </header>
      <main id="main" className="pa-main" tabIndex={-1}>
        <Outlet />
      </main>
    </>
  );
}

const rootRoute = createRootRoute({ component: PublicShell, notFoundComponent: ReportForm });

const fileRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: REPORT_PATH,
  component: ReportForm,
});

const lookupRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: LOOKUP_PATH,
  component: LookupPage,
});

const answersRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: ANSWERS_PATH,
  component: AnswersPage,
});

const answerRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: `${ANSWERS_PATH}/$id`,
  component: function Answer() {
    const { id = '' }: { id?: string } = useParams({ strict: false });
    return <AnswerPage key={id} id={/^\d{1,15}$/.test(id) ? Number(id) : 0} />;
  },
});

const spamRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: SPAM_PATH,
  component: SpamPage,
});

const statusRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/phan-anh/$code',
  component: function Status() {
    // This router is not the registered (app's) one: its params are read untyped.
    const { code = '' }: { code?: string } = useParams({ strict: false });
    return <StatusPage key={code} code={code.toUpperCase()} />;
  },
});

const publicRouter = createRouter({
  routeTree: rootRoute.addChildren([
    fileRoute,
    lookupRoute,
    answersRoute,
    answerRoute,
    spamRoute,
    statusRoute,
  ]),
  parseSearch,
  stringifySearch,
});

export function PublicApp() {
  return <RouterProvider router={publicRouter} />;
}
