import type { FeatureCollection, Geometry } from 'geojson';
import { PDFDocument } from 'pdf-lib';
import type { Page } from 'playwright-core';
import type { PanelData } from '../contract/board.ts';
import type { Store } from '../db/store.ts';
import { allows, type Actor } from '../domain/access.ts';
import type { Clock } from '../domain/dates.ts';
import { errors } from '../domain/errors.ts';
import { ROOT_CODE } from '../domain/hierarchy.ts';
import type { Lang } from '../domain/vn-format.ts';
import type { BoardService } from './board.service.ts';
import {
  boardHtml,
  layoutOrder,
  type FigureFormat,
  type PrintMap,
  type PrintPanel,
} from './board-html.ts';
import type { PdfPrinter } from './briefing-pdf.ts';
import type { GeoService } from './geo.service.ts';

/** A board printed: the PDF and the names it is saved under. */
export interface BoardPdfFile {
  bytes: Uint8Array;
  /** The board's name and period ("Giao ban tháng 202610.pdf"). */
  filename: string;
  /** The same in ASCII, for clients that do not read RFC 5987 (`filename=`). */
  asciiFilename: string;
}

/** "Giao ban tháng" → "giao-ban-thang": what an ASCII-only client saves the file as. */
export function asciiName(s: string): string {
  const slug = s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[đĐ]/g, (c) => (c === 'đ' ? 'd' : 'D'))
    .replace(/[^A-Za-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .toLowerCase();
  return slug || 'bang';
}

/**
 * Lays the printed board out for its pages, on the loaded page before it is printed: a band of
 * panels taller than a page is printed one panel under another, and a panel still taller than
 * a page gets a page of its own, scaled down to fit (never split across pages).
 */
export async function fitPanels(page: Page): Promise<void> {
  await page.evaluate(() => {
    const probe = document.getElementById('page-probe');
    // The page's height for panels, less a pixel or two of rounding.
    const pageHeight = (probe?.getBoundingClientRect().height ?? 710) - 2;
    // The first page also holds the board's name and variables: what follows them fits under
    // them, so that they are never left alone on a page.
    const head = document.querySelector('.board-head');
    const firstRoom = pageHeight - (head ? head.getBoundingClientRect().height + 10 : 0);
    const bands = Array.from(document.querySelectorAll<HTMLElement>('.band'));
    bands.forEach((band, i) => {
      if (band.getBoundingClientRect().height <= (i === 0 ? firstRoom : pageHeight)) return;
      band.classList.add('flow');
      const cells = Array.from(band.querySelectorAll<HTMLElement>(':scope > .cell'));
      cells.forEach((cell, j) => {
        const room = i === 0 && j === 0 ? firstRoom : pageHeight;
        const panel = cell.firstElementChild as HTMLElement | null;
        const h = panel?.getBoundingClientRect().height ?? 0;
        if (!panel || h <= room) return;
        const scale = room / h;
        const width = cell.getBoundingClientRect().width;
        cell.classList.add('alone');
        cell.style.height = `${Math.floor(h * scale)}px`;
        // Its own size kept (the cell is now shorter), drawn smaller, in the middle.
        panel.style.flex = 'none';
        panel.style.width = `${width}px`;
        panel.style.height = `${h}px`;
        panel.style.transform = `scale(${scale})`;
        panel.style.marginLeft = `${((1 - scale) * width) / 2}px`;
      });
    });
  });
}

/**
 * The board's PDF (issue 19): the board as GET /api/boards/{id} reads it (404 otherwise), each
 * panel's figures as GET …/panels/{panel}/data answers them for this viewer and these
 * variables, laid out for A4 landscape (board-html.ts) and printed by the one Chromium the
 * briefings print with.
 */
export class BoardPdfService {
  /** Boundary maps parsed once (the all-commune map is megabytes of JSON). */
  private readonly maps = new Map<string, PrintMap>();

  constructor(
    private readonly store: Store,
    private readonly boards: BoardService,
    private readonly printer: PdfPrinter,
    private readonly geo: GeoService,
    private readonly clock: Clock,
  ) {}

  async print(
    actor: Actor,
    id: number,
    q: { unit?: string; period?: string },
    opts: { en?: boolean } = {},
  ): Promise<BoardPdfFile> {
    const board = await this.boards.get(actor, id);
    if (!allows(actor, 'data.read')) throw errors.forbidden('data.read');
    const lang: Lang = opts.en ? 'en' : 'vi';
    const doc = { version: board.version, variables: board.variables };
    const ordered = layoutOrder(board.panels);
    // The answers the screen gets, panel by panel (shared with open boards of the same scope).
    const answers = await Promise.all(
      ordered.map(({ panel }) =>
        panel.kind === 'text'
          ? Promise.resolve(null)
          : this.boards.panelData(actor, this.boards.savedRequest(doc, panel, q), opts),
      ),
    );
    const panels: PrintPanel[] = ordered.map(({ panel }, i) => {
      const data = answers[i] ?? null;
      const map = panel.kind === 'map' && data && !data.problem ? this.mapFor(data) : undefined;
      return { panel, data, problem: data?.problem ?? null, ...(map ? { map } : {}) };
    });
    const read = answers.filter((a): a is PanelData => !!a && !a.problem);
    const first = read.find((a) => a.unit) ?? read[0];
    const asOf =
      read
        .map((a) => a.asOf)
        .sort()
        .at(-1) ?? this.clock().toISOString();
    const html = boardHtml({
      name: board.name,
      description: board.description,
      unit:
        first?.unit?.name ??
        (await this.unitName(actor, board.version, q.unit ?? board.variables.unit)),
      period: first?.period?.label ?? q.period ?? board.variables.period ?? '',
      asOf,
      panels,
      formatOf: await this.formats(),
      lang,
    });
    const printed = await this.printer.printHtml(html, fitPanels);
    const pdf = await PDFDocument.load(printed, { updateMetadata: false });
    pdf.setTitle(board.name);
    pdf.setCreator('Opsroom');
    pdf.setLanguage(lang === 'vi' ? 'vi-VN' : 'en-GB');
    const period = first?.period?.id ?? q.period ?? board.variables.period ?? '';
    const name = `${board.name}${period ? ` ${period}` : ''}`;
    return {
      bytes: await pdf.save({ updateFieldAppearances: false }),
      // A board's name is plain text (no control characters): what a file system refuses goes.
      filename: `${name.replace(/[\\/:*?"<>|]+/g, '-')}.pdf`,
      asciiFilename: `${asciiName(name)}.pdf`,
    };
  }

  /** The board's unit by name when no panel read it (every panel has a problem). */
  private async unitName(actor: Actor, version: string | undefined, code: string | undefined) {
    const unit = !code || code === 'my_unit' ? actor.scope.code : code;
    const names = await this.store.repos.boards.units(version ?? actor.scope.version, [unit]);
    return names.get(unit)?.name ?? unit;
  }

  /**
   * Units and decimals of every figure, as the web's catalogue reads them (/api/metadata);
   * ELEMENT.OPTION is written as its element.
   */
  private async formats(): Promise<(code: string) => FigureFormat | undefined> {
    const repo = this.store.repos.metadata;
    const [elements, indicators] = await Promise.all([repo.listElements(), repo.listIndicators()]);
    const out = new Map<string, FigureFormat>();
    for (const el of elements)
      out.set(el.code, { unit: el.value_type === 'percentage' ? '%' : (el.unit ?? null) });
    for (const i of indicators) out.set(i.code, { unit: i.unit ?? null, decimals: i.decimals });
    return (code) => out.get(code) ?? out.get(code.split('.')[0] ?? '');
  }

  /**
   * The boundary map of a map panel's units, as the screen picks it (model.ts `mapEntryFor`):
   * their common parent's at their level; units of several parents, the map of every commune.
   */
  private mapFor(data: PanelData): PrintMap | undefined {
    const first = data.units[0];
    if (!first) return undefined;
    const version = data.query?.version ?? data.version;
    const parents = new Set(data.units.map((u) => u.parent));
    const parent = parents.size === 1 ? (first.parent ?? ROOT_CODE) : ROOT_CODE;
    const entry = this.geo
      .index()
      .find((x) => x.version === version && x.level === first.level && x.parent === parent);
    if (!entry) return undefined;
    const key = `${entry.version}|${entry.parent}|${entry.level}|${entry.etag}`;
    let map = this.maps.get(key);
    if (!map) {
      const asset = this.geo.boundaries(entry.version, entry.parent, entry.level);
      map = {
        key,
        geo: JSON.parse(asset.body.toString('utf8')) as FeatureCollection<
          Geometry,
          { code: string; name: string }
        >,
        dense: entry.features > 1000,
      };
      this.maps.set(key, map);
    }
    return map;
  }
}
