import { existsSync } from 'node:fs';
import { PDFDocument } from 'pdf-lib';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { BriefingDocument } from '../domain/briefing-document.ts';
import { AppError } from '../domain/errors.ts';
import { briefingHtml } from './briefing-html.ts';

/**
 * The briefing's PDF export (issue 18): the print page (briefing-html.ts) printed by Chromium,
 * which lays out Vietnamese text with its own shaper and embeds subsets of the fonts it used.
 * One browser and one page, started on the first print and kept for the next ones (starting
 * them costs most of a cold print); prints take turns on that page. The dates Chromium stamps are set to the document's date, so
 * that an issued briefing's PDF is the same bytes each time.
 */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

const LAUNCH_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-background-networking',
  '--disable-gpu',
  '--no-first-run',
  '--disable-component-update',
  '--disable-sync',
];

function chromiumMissing(path: string, cause?: unknown): AppError {
  // No code for "a tool of the server is missing" yet: internal (500) until the lead adds one.
  return new AppError(
    'internal',
    {
      vi: `Không in được PDF: máy chủ không có Chromium (${path}); cài gói chromium hoặc đặt CHROMIUM_PATH`,
      en: `Cannot print the PDF: Chromium is not available on the server (${path}); install chromium or set CHROMIUM_PATH`,
    },
    { executablePath: path, ...(cause instanceof Error ? { cause: cause.message } : {}) },
  );
}

/** 00:00 UTC of an ISO date: the instant an issued document's file dates are set to. */
const dayStart = (iso: string) => new Date(`${iso}T00:00:00Z`);

export class PdfPrinter {
  private page: Promise<Page> | null = null;
  /** Prints one after another on the one page (a new page costs a renderer process, ~1 s). */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly executablePath: string = CHROMIUM_PATH) {}

  /** The browser and its one page, started on first use and again after a crash. */
  private open(): Promise<Page> {
    if (!this.page) {
      const path = this.executablePath;
      const opened = (async () => {
        if (!existsSync(path)) throw chromiumMissing(path);
        let browser: Browser;
        try {
          browser = await chromium.launch({ executablePath: path, args: LAUNCH_ARGS });
        } catch (e) {
          throw chromiumMissing(path, e);
        }
        // No script runs and nothing is fetched: the page is the document, nothing more.
        const page = await browser
          .newContext({ javaScriptEnabled: false, offline: true })
          .then((c) => c.newPage())
          .catch(async (e: unknown) => {
            await browser.close();
            throw e;
          });
        const forget = () => this.page === opened && (this.page = null);
        browser.on('disconnected', forget);
        page.on('crash', () => {
          forget();
          void browser.close();
        });
        return page;
      })();
      this.page = opened;
      opened.catch(() => this.page === opened && (this.page = null));
    }
    return this.page;
  }

  /**
   * An HTML page printed as Chromium prints it (A4 unless the page's CSS says otherwise).
   * `prepare` runs on the loaded page before it is printed (the page's own scripts never run:
   * a board measures its panels from here, board-pdf.ts).
   */
  printHtml(html: string, prepare?: (page: Page) => Promise<void>): Promise<Uint8Array> {
    const run = this.queue.then(async () => {
      const page = await this.open();
      await page.setContent(html, { waitUntil: 'load' });
      if (prepare) await prepare(page);
      return page.pdf({ format: 'A4', printBackground: true, preferCSSPageSize: true });
    });
    this.queue = run.catch(() => undefined);
    return run;
  }

  /**
   * The briefing's PDF. Chromium stamps the time of printing as CreationDate and ModDate; both
   * are set to the document's date and the file saved again by pdf-lib, which copies the
   * embedded fonts' streams as they are.
   */
  async print(doc: BriefingDocument, lang: 'vi' | 'en' = 'vi'): Promise<Uint8Array> {
    const printed = await this.printHtml(briefingHtml(doc, lang));
    const pdf = await PDFDocument.load(printed, { updateMetadata: false });
    const at = dayStart(doc.date);
    pdf.setCreationDate(at);
    pdf.setModificationDate(at);
    pdf.setTitle(lang === 'vi' ? doc.titleVi : doc.titleEn);
    pdf.setCreator('Opsroom');
    pdf.setLanguage(lang === 'vi' ? 'vi-VN' : 'en-GB');
    return pdf.save({ updateFieldAppearances: false });
  }

  /** Ends the browser once the prints under way are done. */
  async close(): Promise<void> {
    await this.queue;
    const page = this.page;
    this.page = null;
    if (page) await page.then((p) => p.context().browser()?.close()).catch(() => undefined);
  }
}
