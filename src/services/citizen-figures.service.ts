import type { QueuedCell } from '../db/citizen-figures.repo.ts';
import type { Store } from '../db/store.ts';
import {
  DEFAULT_OPTION,
  FIGURE,
  FIGURE_ELEMENTS,
  SUM_FIGURES,
  figuresMetadata,
  maskContacts,
  monthFigures,
  provinceOf,
  searchableWord,
  vnMonthSpan,
  type FigureReport,
} from '../domain/citizen-figures.ts';
import type { RawDataValue } from '../domain/data-value-set.ts';
import { AppError, errors } from '../domain/errors.ts';
import { ROOT_CODE } from '../domain/hierarchy.ts';
import { searchWords } from '../domain/text.ts';
import { workingTimeBetween, type WorkingCalendar } from '../domain/working-time.ts';
import {
  PUBLIC_ANSWERS_PAGE,
  type PublicAnswers,
  type PublicPlaces,
} from '../contract/citizen-answers.ts';
import type { Calendars } from './citizen-report.service.ts';
import type { DataValueService } from './data-value.service.ts';
import type { HierarchyService, UnitWithPath } from './hierarchy.service.ts';
import type { MetadataService } from './metadata.service.ts';

/** Cells taken off the queue at once. */
const QUEUE_BATCH = 100_000;

const iso = (d: Date | string) => new Date(d).toISOString();
const photoUrl = (id: number) => `/api/public/photos/${id}`;

export interface FiguresRun {
  cells: number;
  months: number;
  written: number;
  deleted: number;
}

/**
 * Response-time figures of citizens' reports (issue 20) as data values, and the public answers.
 * The database queues the cells (handling unit, month) a report's change touches, in its
 * transaction (migration 0039); `run` computes each queued month again from the reports and
 * writes the cells through the data-value service, so roll-ups, live events and alerts follow
 * as for any import. A run is idempotent: a crash before the queue is emptied computes the same
 * values again, and the import ignores unchanged ones.
 */
export class CitizenFiguresService {
  private running: Promise<FiguresRun> | undefined;
  /** The categories the figure metadata was last installed for. */
  private installedFor = '';

  constructor(
    private readonly store: Store,
    private readonly hierarchy: HierarchyService,
    private readonly metadata: MetadataService,
    private readonly dataValues: DataValueService,
    private readonly calendars: Calendars,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  /** The figure elements, their breakdown (one option per category) and indicators. */
  async installMetadata(): Promise<void> {
    const cats = (await this.store.repos.citizenCategories.list()).map((c) => ({
      code: c.code,
      nameVi: c.name_vi,
      nameEn: c.name_en,
    }));
    const key = JSON.stringify(cats);
    if (key === this.installedFor || cats.length === 0) return;
    await this.metadata.apply('system', figuresMetadata(cats));
    this.installedFor = key;
  }

  /** Computes the queued cells until the queue is empty; one run at a time. */
  run(): Promise<FiguresRun> {
    this.running ??= this.runOnce().finally(() => (this.running = undefined));
    return this.running;
  }

  private async runOnce(): Promise<FiguresRun> {
    const repo = this.store.repos.citizenFigures;
    const total: FiguresRun = { cells: 0, months: 0, written: 0, deleted: 0 };
    // Deadlines that passed since the last run: their cells join the queue.
    await repo.markOverdue(this.clock());
    for (;;) {
      const cells = await repo.queued(QUEUE_BATCH);
      if (cells.length === 0) return total;
      await this.installMetadata();
      const months = new Map<string, QueuedCell[]>();
      for (const c of cells) {
        const k = `${c.version}\t${c.month}`;
        const l = months.get(k);
        if (l) l.push(c);
        else months.set(k, [c]);
      }
      for (const [k, list] of months) {
        const [version, month] = k.split('\t') as [string, string];
        const r = await this.month(
          version,
          month,
          list.map((c) => c.unit_code),
        );
        total.written += r.written;
        total.deleted += r.deleted;
      }
      await repo.dequeue(cells);
      total.cells += cells.length;
      total.months += months.size;
    }
  }

  /** One month of a tree computed again, written at the units given (and above, for medians). */
  private async month(version: string, month: string, units: string[]) {
    const repo = this.store.repos.citizenFigures;
    const { from, to } = vnMonthSpan(month);
    const rows = await repo.monthReports(version, from, to);
    const calendars = new Map<string, WorkingCalendar>();
    for (const r of rows)
      if (r.answered_at && !calendars.has(r.handler_code))
        calendars.set(r.handler_code, await this.calendars.forUnit(version, r.handler_code));
    const reports: FigureReport[] = rows.map((r) => ({
      category: r.category_code,
      version,
      handlerCode: r.handler_code,
      handlerPath: r.handler_path,
      status: r.status,
      createdAt: new Date(r.created_at),
      answeredAt: r.answered_at ? new Date(r.answered_at) : null,
      answerDue: new Date(r.answer_due),
      rating: r.rating,
    }));
    const hoursOf = (r: FigureReport) =>
      workingTimeBetween(calendars.get(r.handlerCode)!, r.createdAt, r.answeredAt!) / 60;
    const figures = monthFigures(month, reports, hoursOf, this.clock());

    // Where to write: the queued units; their provinces and the nation for the medians.
    const dirty = new Set(units);
    const paths = await this.hierarchy.publicUnits(version, units);
    const provinces = new Set(paths.map((u) => provinceOf(u.path)).filter((p) => p !== undefined));
    const unitElements = new Set<string>([...SUM_FIGURES.map((k) => FIGURE[k]), FIGURE.medianUnit]);
    const target = (element: string, unit: string) =>
      unitElements.has(element)
        ? dirty.has(unit)
        : element === FIGURE.medianProvince
          ? provinces.has(unit)
          : element === FIGURE.medianNation && unit === ROOT_CODE;
    const values: RawDataValue[] = [];
    const written = new Set<string>();
    for (const f of figures) {
      if (!target(f.element, f.unit)) continue;
      written.add(`${f.element}\t${f.unit}\t${f.option}`);
      values.push({
        index: values.length,
        dataElement: f.element,
        period: month,
        orgUnit: f.unit,
        ...(f.option === DEFAULT_OPTION ? {} : { categoryOptionCombo: f.option }),
        value: String(f.value),
      });
    }
    const stored = await repo.stored(
      version,
      [...dirty, ...provinces, ROOT_CODE],
      month,
      FIGURE_ELEMENTS,
    );
    let deleted = 0;
    for (const s of stored) {
      if (!target(s.element, s.unit) || written.has(`${s.element}\t${s.unit}\t${s.option}`))
        continue;
      deleted++;
      values.push({
        index: values.length,
        dataElement: s.element,
        period: month,
        orgUnit: s.unit,
        ...(s.option === DEFAULT_OPTION ? {} : { categoryOptionCombo: s.option }),
        deleted: 'true',
      });
    }
    if (values.length === 0) return { written: 0, deleted: 0 };
    const summary = await this.dataValues.import(
      'system',
      { values },
      { atomic: true, version, strategy: 'CREATE_AND_UPDATE' },
    );
    if (summary.status === 'ERROR') {
      const first = summary.conflicts[0];
      throw new Error(
        `response-time figures of ${month} not written: ${summary.description.en}` +
          (first ? ` (${first.property}=${first.object}: ${first.reason.en})` : ''),
      );
    }
    return { written: values.length - deleted, deleted };
  }

  /**
   * Answered and closed reports placed under a commune or province of the tree in force today
   * (none: the nation), newest answer first, 20 a page; without the contact, the officers'
   * names, nor phone numbers and emails typed in the question or the answer.
   */
  async publicAnswers(q: {
    unit?: string;
    q?: string;
    category?: string;
    id?: number;
    page: number;
  }): Promise<PublicAnswers> {
    const version = await this.hierarchy.resolveVersion();
    let path = `/${ROOT_CODE}/`;
    let place: PublicAnswers['place'] = null;
    if (q.unit && q.unit !== ROOT_CODE) {
      const [u] = await this.hierarchy.publicUnits(version, [q.unit]);
      if (!u) throw errors.unknownUnit(q.unit, version);
      path = u.path;
      place = publicPlace(u);
    }
    const repo = this.store.repos.citizenFigures;
    const rows = await repo.publicAnswers({
      version,
      path,
      id: q.id,
      category: q.category || undefined,
      words: searchWords(q.q ?? '')
        .filter(searchableWord)
        .slice(0, 10),
      limit: PUBLIC_ANSWERS_PAGE,
      offset: (q.page - 1) * PUBLIC_ANSWERS_PAGE,
    });
    const page = rows.slice(0, PUBLIC_ANSWERS_PAGE);
    const photos = await repo.answerPhotos(page.map((r) => r.id));
    const unit = (code: string | null, name: string | null) =>
      code === null ? null : { code, name: name ?? code };
    return {
      place,
      items: page.map((r) => ({
        id: r.id,
        category: { code: r.category_code, nameVi: r.category_name_vi, nameEn: r.category_name_en },
        question: maskContacts(r.description),
        answer: r.answer === null ? null : maskContacts(r.answer),
        answerPhotos: photos
          .filter((p) => p.report_id === r.id)
          .map((p) => ({
            id: p.id,
            contentType: p.content_type,
            size: p.size,
            url: photoUrl(p.id),
          })),
        status: r.status as 'answered' | 'closed',
        commune: unit(r.place_code, r.place_name)!,
        province: unit(r.province_code, r.province_name),
        handler: unit(r.handler_code, r.handler_name)!,
        receivedAt: iso(r.created_at),
        answeredAt: iso(r.answered_at),
        closedAt: r.closed_at ? iso(r.closed_at) : null,
        rating: r.rating,
      })),
      page: q.page,
      hasMore: rows.length > PUBLIC_ANSWERS_PAGE,
    };
  }

  /**
   * Provinces and communes of the tree in force by name, without diacritics (former names
   * too), for choosing where to read answers: the hierarchy's one unit search, the nation and
   * units a DHIS2 import added left out.
   */
  async publicPlaces(q: string): Promise<PublicPlaces> {
    if (searchWords(q).length === 0)
      throw new AppError('validation_failed', {
        vi: 'Hãy gõ tên tỉnh, thành phố, xã hoặc phường (ít nhất một chữ cái hoặc chữ số)',
        en: 'Type the name of a province or a commune (at least one letter or digit)',
      });
    const version = await this.hierarchy.resolveVersion();
    const found = await this.hierarchy.searchPublic({ version, q, limit: 12 });
    return {
      items: found.items
        .filter((u) => u.level >= 1 && u.origin !== 'added')
        .slice(0, 10)
        .map((u) => ({
          ...publicPlace(u),
          ...('matchedName' in u && u.matchedName ? { matchedName: u.matchedName } : {}),
        })),
    };
  }

  /** A photo of a public (answered or closed) report; not found for any other file. */
  async publicPhoto(id: number) {
    const f = await this.store.repos.citizenFigures.publicPhoto(id);
    if (!f) throw errors.notFound(`photo ${id}`);
    return f;
  }
}

/** A unit as the public answers page names it: a commune with its province. */
function publicPlace(u: UnitWithPath): NonNullable<PublicAnswers['place']> {
  const p = u.level > 1 ? u.ancestors.find((a) => a.level === 1) : undefined;
  return {
    code: u.code,
    name: u.name,
    fullName: u.fullName,
    level: u.level,
    province: p ? { code: p.code, name: p.name, fullName: p.fullName } : null,
  };
}
