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
}

export function createServices(
  database: Database,
  opts: { clock?: Clock; auth?: Partial<AuthOptions> } = {},
): Services {
  const clock = opts.clock ?? systemClock;
  const db = database.db;
  const hierarchy = new HierarchyService(db, clock);
  const dataValues = new DataValueService(db, hierarchy);
  return {
    database,
    clock,
    hierarchy,
    auth: new AuthService(db, clock, { ...DEFAULT_AUTH, ...opts.auth }),
    groups: new GroupService(db),
    audit: new AuditService(db),
    metadata: new MetadataService(db),
    dataValues,
    analytics: new AnalyticsService(db, hierarchy),
    dataEntry: new DataEntryService(db, hierarchy, dataValues),
    reporting: new ReportingService(db, hierarchy),
  };
}
