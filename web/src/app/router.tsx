import { createRootRoute, createRoute, createRouter } from '@tanstack/react-router';
import { useMe } from '../shared/me.tsx';
import { parseSearch, stringifySearch } from '../shared/nav.tsx';
import { OverviewPage } from '../features/room/OverviewPage.tsx';
import { UnitsPage } from '../features/units/UnitsPage.tsx';
import { DataEntryPage } from '../features/entry/DataEntryPage.tsx';
import { InboxPage } from '../features/tasks/Inbox.tsx';
import { TaskPage } from '../features/tasks/TaskPage.tsx';
import { AssignForm } from '../features/tasks/AssignForm.tsx';
import { FollowupPage } from '../features/tasks/FollowupPage.tsx';
import { IssueForm } from '../features/directives/IssueForm.tsx';
import { BoardPage } from '../features/directives/BoardPage.tsx';
import { PlanPage } from '../features/plans/PlanPage.tsx';
import { SectorIndex, SectorView } from '../features/sectors/SectorPage.tsx';
// After the screens: the bundle's styles keep their order (room, directives, sectors).
import { Shell } from './Shell.tsx';

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
  component: function Units() {
    return <UnitsPage me={useMe()} />;
  },
});

const entryRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/nhap-lieu/$',
  validateSearch: (s: Record<string, unknown>) => ({ ds: str(s.ds), u: str(s.u), p: str(s.p) }),
  component: function Entry() {
    return <DataEntryPage me={useMe()} />;
  },
});

const sectorsRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/linh-vuc/$',
  validateSearch: (s: Record<string, unknown>) => ({ thang: str(s.thang) }),
  component: function Sectors() {
    const { _splat } = sectorsRoute.useParams();
    const { thang } = sectorsRoute.useSearch();
    const slug = (_splat ?? '').replace(/^\/+|\/+$/g, '');
    return slug ? <SectorView slug={slug} month={thang ?? null} /> : <SectorIndex />;
  },
});

const inboxRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/chi-dao/',
  component: function Inbox() {
    return <InboxPage me={useMe()} />;
  },
});

const issueRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/chi-dao/moi',
  component: function Issue() {
    return <IssueForm me={useMe()} />;
  },
});

const assignRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/chi-dao/giao-viec',
  component: function Assign() {
    return <AssignForm me={useMe()} />;
  },
});

const taskRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/chi-dao/viec/$id',
  component: function Task() {
    const { id } = taskRoute.useParams();
    return <TaskPage key={id} id={id} me={useMe()} />;
  },
});

const boardRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/chi-dao/$id',
  component: function Board() {
    const { id } = boardRoute.useParams();
    return <BoardPage key={id} id={id} />;
  },
});

const planRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/ke-hoach/$',
  validateSearch: (s: Record<string, unknown>) => ({ u: str(s.u), w: str(s.w) }),
  component: function Plan() {
    return <PlanPage me={useMe()} />;
  },
});

const followupRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/theo-doi/$',
  component: function Followup() {
    return <FollowupPage me={useMe()} />;
  },
});

const routeTree = rootRoute.addChildren([
  roomRoute,
  unitsRoute,
  entryRoute,
  sectorsRoute,
  inboxRoute,
  issueRoute,
  assignRoute,
  taskRoute,
  boardRoute,
  planRoute,
  followupRoute,
]);

export const router = createRouter({
  routeTree,
  parseSearch,
  stringifySearch,
  // The screens keep their scroll on a move (as before the router); Back/Forward restore it.
  scrollRestoration: true,
});

declare module '@tanstack/react-router' {
  interface Register {
    router: typeof router;
  }
}
