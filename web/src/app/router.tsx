import type { ReactNode } from 'react';
import { createRootRoute, createRoute, createRouter } from '@tanstack/react-router';
import { useMe } from '../shared/me.tsx';
import { parseSearch, stringifySearch } from '../shared/nav.tsx';
import { OverviewPage } from '../features/room/OverviewPage.tsx';
// The other screens load on their first visit (`screen` below), but their styles stay in the one
// stylesheet of the first paint, in the order they always had: room (above), directives, sectors.
import '../features/directives/directives.css';
import '../features/sectors/sectors.css';
import { startBoard } from '../features/boards/panels/boardData.ts';
import { Shell } from './Shell.tsx';
import { screen } from './screens.ts';

/**
 * Every address of the app, as typed routes. The screens are shown only after sign-in (the
 * root's Shell). A section also answers under its own path (`/don-vi/…`, `/ke-hoach/…`: the
 * splat routes), and an address no route knows shows the operations room, as it always did.
 */

/** A query value the page reads: a non-empty string, or absent. */
const str = (v: unknown): string | undefined =>
  typeof v === 'string' && v !== '' ? v : typeof v === 'number' ? String(v) : undefined;

function Room() {
  return <OverviewPage me={useMe()} />;
}

const rootRoute = createRootRoute({ component: Shell, notFoundComponent: Room });

/** The operations room; `?wall=1` is its wall mode (the query is read by features/room/state.ts). */
const roomRoute = createRoute({ getParentRoute: () => rootRoute, path: '/', component: Room });

const unitsRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/don-vi/$',
  validateSearch: (s: Record<string, unknown>) => ({ v: str(s.v), u: str(s.u), q: str(s.q) }),
  component: screen(() =>
    import('../features/units/UnitsPage.tsx').then(({ UnitsPage }) => ({
      default: function Units() {
        return <UnitsPage me={useMe()} />;
      },
    })),
  ),
});

const entryRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/nhap-lieu/$',
  validateSearch: (s: Record<string, unknown>) => ({ ds: str(s.ds), u: str(s.u), p: str(s.p) }),
  component: screen(() =>
    import('../features/entry/DataEntryPage.tsx').then(({ DataEntryPage }) => ({
      default: function Entry() {
        return <DataEntryPage me={useMe()} />;
      },
    })),
  ),
});

const sectorsRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/linh-vuc/$',
  validateSearch: (s: Record<string, unknown>) => ({ thang: str(s.thang) }),
  component: screen(() =>
    import('../features/sectors/SectorPage.tsx').then(({ SectorIndex, SectorView }) => ({
      default: function Sectors(): ReactNode {
        const { _splat } = sectorsRoute.useParams();
        const { thang } = sectorsRoute.useSearch();
        const slug = (_splat ?? '').replace(/^\/+|\/+$/g, '');
        return slug ? <SectorView slug={slug} month={thang ?? null} /> : <SectorIndex />;
      },
    })),
  ),
});

const briefingsRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/bao-cao/$',
  component: screen(() =>
    Promise.all([
      import('../features/briefings/BriefingsPage.tsx'),
      import('../features/briefings/BriefingPage.tsx'),
    ]).then(([{ BriefingsPage }, { BriefingPage }]) => ({
      default: function Briefings(): ReactNode {
        const { _splat } = briefingsRoute.useParams();
        const me = useMe();
        const id = (_splat ?? '').replace(/^\/+|\/+$/g, '');
        return id ? <BriefingPage key={id} idText={id} me={me} /> : <BriefingsPage me={me} />;
      },
    })),
  ),
});

const inboxRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/chi-dao/',
  // The directive list's filters and page (features/directives/listState.ts reads them).
  validateSearch: (s: Record<string, unknown>) => ({
    loai: str(s.loai),
    tt: str(s.tt),
    han: str(s.han),
    q: str(s.q),
    trang: str(s.trang),
  }),
  component: screen(() =>
    import('../features/tasks/Inbox.tsx').then(({ InboxPage }) => ({
      default: function Inbox() {
        return <InboxPage me={useMe()} />;
      },
    })),
  ),
});

const issueRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/chi-dao/moi',
  component: screen(() =>
    import('../features/directives/IssueForm.tsx').then(({ IssueForm }) => ({
      default: function Issue() {
        return <IssueForm me={useMe()} />;
      },
    })),
  ),
});

const assignRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/chi-dao/giao-viec',
  component: screen(() =>
    import('../features/tasks/AssignForm.tsx').then(({ AssignForm }) => ({
      default: function Assign() {
        return <AssignForm me={useMe()} />;
      },
    })),
  ),
});

const taskRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/chi-dao/viec/$id',
  component: screen(() =>
    import('../features/tasks/TaskPage.tsx').then(({ TaskPage }) => ({
      default: function Task() {
        const { id } = taskRoute.useParams();
        return <TaskPage key={id} id={id} me={useMe()} />;
      },
    })),
  ),
});

/** A citizen's report for the officers who handle it (issue 20); its task links here. */
const reportRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/phan-anh-xu-ly/$id',
  component: screen(() =>
    import('../features/reports/OfficerReportPage.tsx').then(({ OfficerReportPage }) => ({
      default: function Report() {
        const { id } = reportRoute.useParams();
        return <OfficerReportPage key={id} id={id} me={useMe()} />;
      },
    })),
  ),
});

const boardRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/chi-dao/$id',
  component: screen(() =>
    import('../features/directives/BoardPage.tsx').then(({ BoardPage }) => ({
      default: function Board() {
        const { id } = boardRoute.useParams();
        return <BoardPage key={id} id={id} />;
      },
    })),
  ),
});

const planRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/ke-hoach/$',
  validateSearch: (s: Record<string, unknown>) => ({ u: str(s.u), w: str(s.w) }),
  component: screen(() =>
    import('../features/plans/PlanPage.tsx').then(({ PlanPage }) => ({
      default: function Plan() {
        return <PlanPage me={useMe()} />;
      },
    })),
  ),
});

const followupRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/theo-doi/$',
  component: screen(() =>
    import('../features/tasks/FollowupPage.tsx').then(({ FollowupPage }) => ({
      default: function Followup() {
        return <FollowupPage me={useMe()} />;
      },
    })),
  ),
});

const qualityRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/chat-luong',
  component: screen(() =>
    import('../features/quality/QualityPage.tsx').then(({ QualityPage }) => ({
      default: function Quality() {
        return <QualityPage me={useMe()} />;
      },
    })),
  ),
});

/** Boards (issue 19): the list, a board (`?sua=1` builds it, `?wall=1` on the wall), the slideshow. */
const boardsListRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/bang/',
  component: screen(() =>
    import('../features/boards/BoardsPage.tsx').then(({ BoardsPage }) => ({
      default: function Boards() {
        return <BoardsPage me={useMe()} />;
      },
    })),
  ),
});

const boardPageRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/bang/$id',
  validateSearch: (s: Record<string, unknown>) => ({
    sua: str(s.sua),
    wall: str(s.wall),
    dv: str(s.dv),
    ky: str(s.ky),
  }),
  // A board read or on the wall asks for itself and all its panels as the route is entered,
  // while its screen's code and the signed-in user are still on their way (boardData.ts).
  loaderDeps: ({ search }) => ({ sua: search.sua, dv: search.dv, ky: search.ky }),
  loader: ({ params, deps, preload }) => {
    if (!preload && deps.sua !== '1' && /^\d+$/.test(params.id))
      startBoard(Number(params.id), deps);
  },
  component: screen(() =>
    import('../features/boards/BoardScreen.tsx').then(({ BoardScreen }) => ({
      default: function BoardOfBoards() {
        const { id } = boardPageRoute.useParams();
        const search = boardPageRoute.useSearch();
        return <BoardScreen key={id} idText={id} search={search} me={useMe()} />;
      },
    })),
  ),
});

const playlistRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/trinh-chieu/',
  validateSearch: (s: Record<string, unknown>) => ({ bang: str(s.bang), giay: str(s.giay) }),
  component: screen(() =>
    import('../features/boards/PlaylistPage.tsx').then(({ PlaylistPage }) => ({
      default: function Playlist() {
        const { bang, giay } = playlistRoute.useSearch();
        return <PlaylistPage key={`${bang}|${giay}`} me={useMe()} bang={bang} giay={giay} />;
      },
    })),
  ),
});

const routeTree = rootRoute.addChildren([
  roomRoute,
  unitsRoute,
  entryRoute,
  sectorsRoute,
  briefingsRoute,
  inboxRoute,
  issueRoute,
  assignRoute,
  taskRoute,
  reportRoute,
  boardRoute,
  planRoute,
  followupRoute,
  qualityRoute,
  boardsListRoute,
  boardPageRoute,
  playlistRoute,
]);

export const router = createRouter({
  routeTree,
  parseSearch,
  stringifySearch,
  // The screens keep their scroll on a move (as before the router); Back/Forward restore it.
  scrollRestoration: true,
});

/**
 * After the first paint, when the browser is idle: the other screens' chunks, so that a move
 * between screens does not wait for the network.
 */
declare module '@tanstack/react-router' {
  interface Register {
    router: typeof router;
  }
}
