import type { Database } from '../db/client.ts';
import { Store } from '../db/store.ts';
import { systemClock, type Clock } from '../domain/dates.ts';
import { AuditService } from './audit.service.ts';
import { AuthService, DEFAULT_AUTH, type AuthOptions } from './auth.service.ts';
import { CarryService } from './carry.service.ts';
import { CitizenCategoryService } from './citizen-category.service.ts';
import { CitizenReportService, type Calendars } from './citizen-report.service.ts';
import { CitizenNotificationService, type NotifySettings } from './citizen-notification.service.ts';
import { Open311Service } from './open311.service.ts';
import { CitizenFiguresService } from './citizen-figures.service.ts';
import { Pseudonyms } from './pseudonym.ts';
import { GroupService } from './group.service.ts';
import { HierarchyService } from './hierarchy.service.ts';
import { MetadataService } from './metadata.service.ts';
import { DataValueService } from './data-value.service.ts';
import { AnalyticsService } from './analytics.service.ts';
import { DataEntryService } from './data-entry.service.ts';
import { ReportingService } from './reporting.service.ts';
import { AlertService } from './alert.service.ts';
import { LiveBus } from '../live/bus.ts';
import { BoardService } from './board.service.ts';
import { BoardLiveService } from './board-live.service.ts';
import { DirectiveService } from './directive.service.ts';
import { TaskService } from './task.service.ts';
import { PlanService } from './plan.service.ts';
import { PrintedFigureService } from './printed-figure.service.ts';
import { BriefingService } from './briefing.service.ts';
import { PdfPrinter } from './briefing-pdf.ts';
import { BoardPdfService } from './board-pdf.ts';
import { GeoService } from './geo.service.ts';
import { PlaceService } from './place.service.ts';
import { PublicPhotoService } from './public-photo.service.ts';
import { RateLimitService } from './rate-limit.service.ts';
import { IdempotencyService } from './idempotency.service.ts';
import { Dhis2MetadataService } from './dhis2-metadata.service.ts';
import { RegistrationService } from './registration.service.ts';
import { SingleValueService } from './data-value.single.ts';
import { SectorService } from './sector.service.ts';
import { OutlierService } from './outlier.service.ts';
import { ValidationService } from './validation.service.ts';
import { ValueOutlierService } from './value-outlier.service.ts';
import { ValueFlagService } from './value-flag.service.ts';
import { WorkingCalendarService } from './working-calendar.service.ts';
import { SpamService } from './spam.service.ts';

/** A board's panels read at once on the server engine: a third of its pool of ten. */
const BOARD_PANELS_AT_ONCE = 4;

/** Every service of one running instance, over one database. */
export interface Services {
  database: Database;
  /** The repositories and transactions every service reaches data through (db/store.ts). */
  store: Store;
  clock: Clock;
  hierarchy: HierarchyService;
  /** The carry map across trees (issue 16); built on demand until the reads use it. */
  carry: CarryService;
  auth: AuthService;
  groups: GroupService;
  audit: AuditService;
  metadata: MetadataService;
  dataValues: DataValueService;
  analytics: AnalyticsService;
  dataEntry: DataEntryService;
  reporting: ReportingService;
  /** Live events: publish, subscribe, and the SSE connections (`live.hub`). */
  live: LiveBus;
  alerts: AlertService;
  directives: DirectiveService;
  boards: BoardService;
  /** Open boards' streams: changed panels pushed, once per board and scope (issue 19). */
  boardLive: BoardLiveService;
  /** A board printed to PDF at the server, by the briefings' Chromium (issue 19). */
  boardPdf: BoardPdfService;
  tasks: TaskService;
  plans: PlanService;
  /** What sources printed beyond stored values: qualifiers, changes of totals (issue 18). */
  printedFigures: PrintedFigureService;
  briefings: BriefingService;
  /** Idempotency-Key: answers kept per caller and key (api/idempotency.middleware.ts). */
  idempotency: IdempotencyService;
  /** DHIS2's metadata reads (api/dhis2-metadata.routes.ts). */
  dhis2Metadata: Dhis2MetadataService;
  /** DHIS2's complete data set registrations (api/dhis2-registration.routes.ts). */
  registrations: RegistrationService;
  /** DHIS2's single data value (api/dhis2-data-value.routes.ts). */
  singleValues: SingleValueService;
  /** The sector pages of the monthly briefing (api/sector.routes.ts). */
  sectors: SectorService;
  /** Outlier detection and min–max ranges (issue 17, api/outlier.routes.ts). */
  outliers: OutlierService;
  /** Citizens' report categories, Open311's services (issue 20; api/citizen.routes.ts). */
  citizenCategories: CitizenCategoryService;
  /** Validation rules: stored, checked and run (issue 17; api/validation.routes.ts). */
  validation: ValidationService;
  /** Which stored values are flagged, and why (issue 17; exports' `followup`). */
  valueFlags: ValueFlagService;
  /** Values outside their min–max range, flagged as they arrive (issue 17). */
  valueOutliers: ValueOutlierService;
  /** The commune of a place, by a point or a name; public (issue 20, api/place.routes.ts). */
  places: PlaceService;
  /** Offices' working calendars, what deadlines are counted in (issue 20). */
  workingCalendars: WorkingCalendarService;
  /** Rate limits of the public routes, counted in the database (issue 20). */
  rateLimits: RateLimitService;
  /** Citizens' photos, checked and cleaned of metadata before a report cites them (issue 20). */
  publicPhotos: PublicPhotoService;
  /** Citizens' reports routed as tasks, public and officers' (issue 20). */
  citizenReports: CitizenReportService;
  /** Telling the citizen of an answer by SMS or email: the outbox and its delivery (issue 20). */
  citizenNotifications: CitizenNotificationService;
  /** The 5656 spam line: intake, blocks, the week's top numbers, daily counts (issue 20). */
  spam: SpamService;
  /** Open311 GeoReport v2's service requests over the citizens' reports (issue 20). */
  open311: Open311Service;
  /** Response-time figures as data values, and the public answers (issue 20). */
  citizenFigures: CitizenFiguresService;
}

export function createServices(
  database: Database,
  opts: {
    clock?: Clock;
    auth?: Partial<AuthOptions>;
    /** Share panel answers per scope until the next live event (default: yes; benches compare). */
    panelCache?: boolean;
    /** Multiplies the public routes' rate limits (tests that send many reports from one address). */
    publicLimitScale?: number;
    /** The working calendar of each office (default: the civil service's, 2026 days off). */
    calendars?: Calendars;
    /** How messages reach citizens (config.ts; default: no channel, messages wait). */
    notify?: NotifySettings;
  } = {},
): Services {
  const clock = opts.clock ?? systemClock;
  const store = new Store(database.db, database);
  const hierarchy = new HierarchyService(store, clock);
  const live = new LiveBus(store, database);
  const carry = new CarryService(store, live);
  const dataValues = new DataValueService(store, hierarchy);
  const analytics = new AnalyticsService(store, hierarchy);
  const alerts = new AlertService(store, hierarchy, analytics, live);
  const directives = new DirectiveService(store, hierarchy, live, clock);
  const groups = new GroupService(store);
  const validation = new ValidationService(store, hierarchy, analytics);
  const citizenCategories = new CitizenCategoryService(store, clock);
  const metadata = new MetadataService(store, groups, validation, citizenCategories);
  const valueOutliers = new ValueOutlierService(store);
  // What every import and save checks in its transaction (issue 17): the rules, the ranges.
  dataValues.checkWith({
    ...validation.importChecks,
    anyRange: () => valueOutliers.anyRange(),
    ranges: () => valueOutliers.allRanges(),
    outliers: (tx, found) => valueOutliers.onImport(tx, found),
  });
  // A bulk load's follow-up tasks, opened after its commit from the outbox (migration 0029).
  alerts.followUpsWith(async () => {
    await validation.openPendingTasks();
    await valueOutliers.openPendingTasks();
  });
  const boards = new BoardService(
    store,
    hierarchy,
    clock,
    { analytics, alerts, directives },
    opts.panelCache === false ? undefined : live,
    // A board's panels side by side on a server's pool; one after the other on the embedded
    // engine's one connection (first screenful first).
    database.engine === 'postgres' ? BOARD_PANELS_AT_ONCE : 1,
  );
  dataValues.onChange((change) => {
    boards.forgetAnswers();
    live.publish('data', change).catch((e: unknown) => {
      if (!live.isClosed) console.error('live event not stored', e);
    });
    alerts.onDataChange(change);
  });
  // A board edited or deleted: its open streams (on every instance) reload it.
  boards.onChange(({ id, revision, deleted, scope }) => {
    live
      .publish(
        'board',
        { id, ...(revision ? { revision } : {}), ...(deleted ? { deleted } : {}) },
        {
          version: scope.version,
          path: scope.path,
        },
      )
      .catch((e: unknown) => {
        if (!live.isClosed) console.error('live board event not stored', e);
      });
  });
  const boardLive = new BoardLiveService(store, boards, live);
  database.onClose(() => boardLive.close());
  // Closed before the database: evaluations first (they publish), then the bus.
  database.onClose(() => live.close());
  database.onClose(() => alerts.close());
  const spam = new SpamService(store, clock, metadata, dataValues, new Pseudonyms(store));
  database.onClose(() => spam.close());
  const reporting = new ReportingService(store, hierarchy);
  const tasks = new TaskService(store, hierarchy, live, clock);
  const places = new PlaceService(hierarchy);
  const workingCalendars = new WorkingCalendarService(store, hierarchy, clock);
  const auth = new AuthService(store, clock, { ...DEFAULT_AUTH, ...opts.auth });
  const citizenNotifications = new CitizenNotificationService(store, clock, opts.notify);
  database.onClose(() => citizenNotifications.close());
  const citizenReports = new CitizenReportService(
    store,
    hierarchy,
    places,
    tasks,
    opts.calendars ?? workingCalendars,
    clock,
    citizenNotifications,
  );
  const printer = new PdfPrinter();
  database.onClose(() => printer.close());
  return {
    database,
    store,
    clock,
    hierarchy,
    carry,
    places,
    workingCalendars,
    rateLimits: new RateLimitService(store, clock, opts.publicLimitScale),
    publicPhotos: new PublicPhotoService(store, clock),
    auth,
    groups,
    audit: new AuditService(store),
    metadata,
    dataValues,
    analytics,
    dataEntry: new DataEntryService(store, hierarchy, dataValues),
    reporting,
    briefings: new BriefingService(
      store,
      analytics,
      hierarchy,
      reporting,
      printer,
      new PrintedFigureService(store),
    ),
    live,
    alerts,
    directives,
    boards,
    boardLive,
    boardPdf: new BoardPdfService(store, boards, printer, new GeoService(), clock),
    tasks,
    plans: new PlanService(store, hierarchy, live, clock),
    printedFigures: new PrintedFigureService(store),
    idempotency: new IdempotencyService(store),
    dhis2Metadata: new Dhis2MetadataService(store, hierarchy, clock),
    registrations: new RegistrationService(store, hierarchy),
    singleValues: new SingleValueService(store, hierarchy, dataValues),
    sectors: new SectorService(store, new PrintedFigureService(store)),
    outliers: new OutlierService(store),
    citizenCategories,
    validation,
    valueFlags: new ValueFlagService(store),
    valueOutliers,
    citizenReports,
    citizenNotifications,
    spam,
    open311: new Open311Service(store, auth, places, citizenReports, clock),
    citizenFigures: new CitizenFiguresService(
      store,
      hierarchy,
      metadata,
      dataValues,
      opts.calendars ?? workingCalendars,
      clock,
    ),
  };
}
