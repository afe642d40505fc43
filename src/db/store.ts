import { ping, type Database, type Db } from './client.ts';
import { migrate } from './migrate.ts';
import { dataVersion } from './request-context.ts';
import { withSession, type Session } from './session.ts';
import { AccountRepo } from './account.repo.ts';
import { AlertRepo } from './alert.repo.ts';
import { AnalyticsRepo } from './analytics.repo.ts';
import { AttachmentRepo } from './attachment.repo.ts';
import { AuditRepo } from './audit.repo.ts';
import { BoardRepo } from './board.repo.ts';
import { CarryRepo } from './carry.repo.ts';
import { CitizenCategoryRepo } from './citizen-category.repo.ts';
import { CitizenReportRepo } from './citizen-report.repo.ts';
import { CitizenNotificationRepo } from './citizen-notification.repo.ts';
import { CitizenFiguresRepo } from './citizen-figures.repo.ts';
import {
  DataValueRepo,
  type CsvExportOptions,
  type ExportFilter,
  type ExportKeys,
} from './data-value.repo.ts';
import { Dhis2MetadataRepo } from './dhis2-metadata.repo.ts';
import { DirectiveRepo } from './directive.repo.ts';
import { GroupRepo } from './group.repo.ts';
import { IdempotencyRepo } from './idempotency.repo.ts';
import { LiveRepo } from './live.repo.ts';
import { MetadataRepo } from './metadata.repo.ts';
import { Open311Repo } from './open311.repo.ts';
import { OrgUnitRepo } from './org-unit.repo.ts';
import { OutlierRepo } from './outlier.repo.ts';
import { PlanRepo } from './plan.repo.ts';
import { PrintedFigureRepo } from './printed-figure.repo.ts';
import { BriefingRepo } from './briefing.repo.ts';
import { RegistrationRepo } from './registration.repo.ts';
import { ReportingRepo } from './reporting.repo.ts';
import { SectorRepo } from './sector.repo.ts';
import { RateLimitRepo } from './rate-limit.repo.ts';
import { InstanceSecretRepo } from './instance-secret.repo.ts';
import { SpamRepo } from './spam.repo.ts';
import { SigninThrottleRepo } from './signin-throttle.repo.ts';
import { TaskRepo } from './task.repo.ts';
import { ValidationRepo } from './validation.repo.ts';
import { ValueFlagRepo } from './value-flag.repo.ts';
import { ValueOutlierRepo } from './value-outlier.repo.ts';
import { WorkingCalendarRepo } from './working-calendar.repo.ts';

/**
 * Every repository, bound to one handle: the base one (reads) or a transaction's (a write and
 * its audit row). Made when first used: most requests touch two or three.
 */
export class Repos {
  private _accounts?: AccountRepo;
  private _alerts?: AlertRepo;
  private _analytics?: AnalyticsRepo;
  private _attachments?: AttachmentRepo;
  private _audit?: AuditRepo;
  private _boards?: BoardRepo;
  private _carry?: CarryRepo;
  private _citizenCategories?: CitizenCategoryRepo;
  private _citizenReports?: CitizenReportRepo;
  private _citizenNotifications?: CitizenNotificationRepo;
  private _citizenFigures?: CitizenFiguresRepo;
  private _dataValues?: DataValueRepo;
  private _dhis2Metadata?: Dhis2MetadataRepo;
  private _directives?: DirectiveRepo;
  private _groups?: GroupRepo;
  private _idempotency?: IdempotencyRepo;
  private _live?: LiveRepo;
  private _metadata?: MetadataRepo;
  private _open311?: Open311Repo;
  private _orgUnits?: OrgUnitRepo;
  private _outliers?: OutlierRepo;
  private _plans?: PlanRepo;
  private _printedFigures?: PrintedFigureRepo;
  private _registrations?: RegistrationRepo;
  private _reporting?: ReportingRepo;
  private _sectors?: SectorRepo;
  private _briefings?: BriefingRepo;
  private _signinThrottle?: SigninThrottleRepo;
  private _rateLimits?: RateLimitRepo;
  private _instanceSecrets?: InstanceSecretRepo;
  private _spam?: SpamRepo;
  private _tasks?: TaskRepo;
  private _validation?: ValidationRepo;
  private _valueFlags?: ValueFlagRepo;
  private _valueOutliers?: ValueOutlierRepo;
  private _workingCalendars?: WorkingCalendarRepo;

  constructor(private readonly db: Db) {}

  get accounts(): AccountRepo {
    return (this._accounts ??= new AccountRepo(this.db));
  }
  get alerts(): AlertRepo {
    return (this._alerts ??= new AlertRepo(this.db));
  }
  get analytics(): AnalyticsRepo {
    return (this._analytics ??= new AnalyticsRepo(this.db));
  }
  get attachments(): AttachmentRepo {
    return (this._attachments ??= new AttachmentRepo(this.db));
  }
  get audit(): AuditRepo {
    return (this._audit ??= new AuditRepo(this.db));
  }
  get boards(): BoardRepo {
    return (this._boards ??= new BoardRepo(this.db));
  }
  get carry(): CarryRepo {
    return (this._carry ??= new CarryRepo(this.db));
  }
  get citizenCategories(): CitizenCategoryRepo {
    return (this._citizenCategories ??= new CitizenCategoryRepo(this.db));
  }
  get citizenReports(): CitizenReportRepo {
    return (this._citizenReports ??= new CitizenReportRepo(this.db));
  }
  get citizenNotifications(): CitizenNotificationRepo {
    return (this._citizenNotifications ??= new CitizenNotificationRepo(this.db));
  }
  get citizenFigures(): CitizenFiguresRepo {
    return (this._citizenFigures ??= new CitizenFiguresRepo(this.db));
  }
  get dataValues(): DataValueRepo {
    return (this._dataValues ??= new DataValueRepo(this.db));
  }
  get dhis2Metadata(): Dhis2MetadataRepo {
    return (this._dhis2Metadata ??= new Dhis2MetadataRepo(this.db));
  }
  get directives(): DirectiveRepo {
    return (this._directives ??= new DirectiveRepo(this.db));
  }
  get groups(): GroupRepo {
    return (this._groups ??= new GroupRepo(this.db));
  }
  get idempotency(): IdempotencyRepo {
    return (this._idempotency ??= new IdempotencyRepo(this.db));
  }
  get live(): LiveRepo {
    return (this._live ??= new LiveRepo(this.db));
  }
  get metadata(): MetadataRepo {
    return (this._metadata ??= new MetadataRepo(this.db));
  }
  get orgUnits(): OrgUnitRepo {
    return (this._orgUnits ??= new OrgUnitRepo(this.db));
  }
  get outliers(): OutlierRepo {
    return (this._outliers ??= new OutlierRepo(this.db));
  }
  get plans(): PlanRepo {
    return (this._plans ??= new PlanRepo(this.db));
  }
  get printedFigures(): PrintedFigureRepo {
    return (this._printedFigures ??= new PrintedFigureRepo(this.db));
  }
  get registrations(): RegistrationRepo {
    return (this._registrations ??= new RegistrationRepo(this.db));
  }
  get reporting(): ReportingRepo {
    return (this._reporting ??= new ReportingRepo(this.db));
  }
  get briefings(): BriefingRepo {
    return (this._briefings ??= new BriefingRepo(this.db));
  }
  get sectors(): SectorRepo {
    return (this._sectors ??= new SectorRepo(this.db));
  }
  get signinThrottle(): SigninThrottleRepo {
    return (this._signinThrottle ??= new SigninThrottleRepo(this.db));
  }
  get rateLimits(): RateLimitRepo {
    return (this._rateLimits ??= new RateLimitRepo(this.db));
  }
  get instanceSecrets(): InstanceSecretRepo {
    return (this._instanceSecrets ??= new InstanceSecretRepo(this.db));
  }
  get spam(): SpamRepo {
    return (this._spam ??= new SpamRepo(this.db));
  }
  get tasks(): TaskRepo {
    return (this._tasks ??= new TaskRepo(this.db));
  }
  get validation(): ValidationRepo {
    return (this._validation ??= new ValidationRepo(this.db));
  }
  get valueFlags(): ValueFlagRepo {
    return (this._valueFlags ??= new ValueFlagRepo(this.db));
  }

  get valueOutliers(): ValueOutlierRepo {
    return (this._valueOutliers ??= new ValueOutlierRepo(this.db));
  }
  get workingCalendars(): WorkingCalendarRepo {
    return (this._workingCalendars ??= new WorkingCalendarRepo(this.db));
  }
  get open311(): Open311Repo {
    return (this._open311 ??= new Open311Repo(this.db));
  }
}

/**
 * The services' one way to data (issue 15): repositories for reads, and transactions whose
 * repositories are bound to them. Nothing outside src/db holds the query builder.
 */
export class Store {
  readonly repos: Repos;

  /**
   * `database`, when given, lets bulk loads hold one connection (`sessionTransaction`) and the
   * server engine copy CSV exports out (`csvExport`); without it both take the ordinary path.
   */
  constructor(
    private readonly handle: Db,
    private readonly database?: Database,
  ) {
    this.repos = new Repos(handle);
  }

  /** Runs `fn` in one transaction: everything it writes through `repos` commits together. */
  transaction<T>(fn: (repos: Repos) => Promise<T>): Promise<T> {
    return this.handle.transaction().execute((tx) => fn(new Repos(tx)));
  }

  /** Equal at two moments only if no write committed between them (request-context.ts). */
  dataVersion(): Promise<string | undefined> {
    return dataVersion(this.handle);
  }

  /** Applies the migrations not yet applied (migrate.ts). */
  migrate(): Promise<string[]> {
    return migrate(this.handle);
  }

  /** Whether the database answers (the health check). */
  ping(): Promise<boolean> {
    return ping(this.handle);
  }

  /** Whether `sessionTransaction` can hold a connection (the Store was given the Database). */
  get holdsSessions(): boolean {
    return this.database !== undefined;
  }

  /**
   * Runs `fn` in one transaction on one connection held for it (session.ts): the session's
   * COPYs and temporary tables are on that connection, inside that transaction.
   */
  sessionTransaction<T>(fn: (repos: Repos, session: Session) => Promise<T>): Promise<T> {
    const database = this.database;
    if (!database) throw new Error('no database to hold a session on');
    return withSession(database, (session) =>
      session.db.transaction().execute((tx) => fn(new Repos(tx), session)),
    );
  }

  /**
   * On the server engine, a CSV export built and copied out by PostgreSQL
   * (data-value.repo.ts `exportCsvPages`); undefined on PGlite.
   */
  csvExport():
    | ((f: ExportFilter, keys: ExportKeys, opts: CsvExportOptions) => AsyncGenerator<Buffer>)
    | undefined {
    const pool = this.database?.pool;
    if (!pool) return undefined;
    return (f, keys, opts) => this.repos.dataValues.exportCsvPages(pool, f, keys, opts);
  }
}
