import type { Database } from '../db/client.ts';
import { systemClock, type Clock } from '../domain/dates.ts';
import { AuditService } from './audit.service.ts';
import { AuthService, DEFAULT_AUTH, type AuthOptions } from './auth.service.ts';
import { GroupService } from './group.service.ts';
import { HierarchyService } from './hierarchy.service.ts';
import { MetadataService } from './metadata.service.ts';
import { DataValueService } from './data-value.service.ts';
import { AnalyticsService } from './analytics.service.ts';
import { DataEntryService } from './data-entry.service.ts';
import { ReportingService } from './reporting.service.ts';
import { AlertService } from './alert.service.ts';
import { LiveBus } from '../live/bus.ts';
import { DirectiveService } from './directive.service.ts';
import { TaskService } from './task.service.ts';
import { PlanService } from './plan.service.ts';
import { IdempotencyService } from './idempotency.service.ts';
import { Dhis2MetadataService } from './dhis2-metadata.service.ts';

/** Every service of one running instance, over one database. */
export interface Services {
  database: Database;
  clock: Clock;
  hierarchy: HierarchyService;
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
  tasks: TaskService;
  plans: PlanService;
  /** Idempotency-Key: answers kept per caller and key (api/idempotency.middleware.ts). */
  idempotency: IdempotencyService;
  /** DHIS2's metadata reads (api/dhis2-metadata.routes.ts). */
  dhis2Metadata: Dhis2MetadataService;
}

export function createServices(
  database: Database,
  opts: { clock?: Clock; auth?: Partial<AuthOptions> } = {},
): Services {
  const clock = opts.clock ?? systemClock;
  const db = database.db;
  const hierarchy = new HierarchyService(db, clock);
  const dataValues = new DataValueService(db, hierarchy, database);
  const analytics = new AnalyticsService(db, hierarchy);
  const live = new LiveBus(database);
  const alerts = new AlertService(db, hierarchy, analytics, live);
  dataValues.onChange((change) => {
    live.publish('data', change).catch((e: unknown) => {
      if (!live.isClosed) console.error('live event not stored', e);
    });
    alerts.onDataChange(change);
  });
  // Closed before the database: evaluations first (they publish), then the bus.
  database.onClose(() => live.close());
  database.onClose(() => alerts.close());
  return {
    database,
    clock,
    hierarchy,
    auth: new AuthService(db, clock, { ...DEFAULT_AUTH, ...opts.auth }),
    groups: new GroupService(db),
    audit: new AuditService(db),
    metadata: new MetadataService(db),
    dataValues,
    analytics,
    dataEntry: new DataEntryService(db, hierarchy, dataValues),
    reporting: new ReportingService(db, hierarchy),
    live,
    alerts,
    directives: new DirectiveService(db, hierarchy, live, clock),
    tasks: new TaskService(db, hierarchy, live, clock),
    plans: new PlanService(db, hierarchy, live, clock),
    idempotency: new IdempotencyService(db),
    dhis2Metadata: new Dhis2MetadataService(db, hierarchy, clock),
  };
}
