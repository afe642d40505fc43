import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { loadSeedFigures } from '../jobs/demo-data.ts';
import { ADMIN_PASSWORD, openTestDb, testEngines, type TestDb } from '../test/harness.ts';
import { ApiClient } from '../test/http.ts';
import { libreOfficeConvert, pdfText, SKIP_DOCUMENTS } from '../test/documents.ts';

/**
 * The monthly briefing (issue 18) over the demo's seed figures: the January 2022 national
 * briefing says what the articles print, and nothing that disagrees with them; issued, it stays
 * what it was (its exports byte for byte) when the data changes, the page says what differs and
 * a revision lists the correction; the refusals; a reader nobody here wrote opens the exports.
 */

interface DemoValue {
  dataElement: string;
  period: string;
  orgUnit: string;
  value: string;
  categoryOptionCombo?: string;
  reportedYoyPct?: string;
  reportedPrevPct?: string;
}
const DEMO = JSON.parse(
  readFileSync(new URL('../../data/demo/figures.json', import.meta.url), 'utf8'),
) as { values: DemoValue[] };

interface Paragraph {
  id: string;
  vi: string;
  en: string;
  edited: boolean;
  needsReview: boolean;
  figure: {
    item: string;
    value: number | null;
    yoy: { pct: number | null; source: string } | null;
    prev: { pct: number | null; source: string } | null;
    options: { code: string; value: number | null }[];
  };
}
const paragraphs = (doc: { sections: { paragraphs: Paragraph[] }[] }) =>
  doc.sections.flatMap((s) => s.paragraphs);
const flat = (s: string) => s.normalize('NFC').replace(/\s+/g, ' ');

const PW = 'mat-khau-bao-cao-1';

for (const engine of testEngines()) {
  describe(`monthly briefing on ${engine}`, () => {
    let t: TestDb;
    let admin: ApiClient;
    let province: ApiClient;
    let national: { id: number; document: { sections: { paragraphs: Paragraph[] }[] } };

    type Answer = Awaited<ReturnType<ApiClient['get']>>;
    const ok = async (r: Promise<Answer>, status = 200) => {
      const x = await r;
      assert.equal(x.status, status, x.text);
      return x.json;
    };

    before(async () => {
      t = await openTestDb(engine);
      await loadSeedFigures(t.services);
      admin = ApiClient.for(t.services);
      await admin.login('admin', ADMIN_PASSWORD);
      // A leader of Hà Nội on the 2022 tree: may write briefings of its own province only.
      await t.services.auth.createUser('system', {
        username: 'lanhdao-hn',
        password: PW,
        role: 'leader',
        scope: { version: '2022', code: '01' },
      });
      province = ApiClient.for(t.services);
      assert.equal((await province.login('lanhdao-hn', PW)).status, 200);
      national = await ok(
        admin.post('/api/briefings', { template: 'MIC_MONTHLY', period: '2022-01' }),
        201,
      );
    });
    after(() => t?.close());

    it('writes January 2022 as the articles print it, with the printed changes', () => {
      const ps = paragraphs(national.document);
      const of = (item: string) => {
        const p = ps.find((x) => x.figure.item === item);
        assert.ok(p, item);
        return p;
      };
      // Both values in the system: 4.581.000 against 4.014.701.
      assert.match(
        of('SECURITY_PUBLIC_CERTS_ISSUED').vi,
        /4\.581\.000 chứng thư số, tăng 14,1% so với cùng kỳ năm 2021/,
      );
      // The sector page and the article print 7,03%, not 7%.
      assert.match(of('SECURITY_PUBLIC_CERTS_ACTIVE').vi, /tăng 7,03% so với cùng kỳ năm 2021/);
      // Reported changes are printed, marked as reported.
      assert.match(
        of('TELECOM_REVENUE').vi,
        /ước đạt 11\.496 tỷ đồng, tăng 3% so với cùng kỳ năm 2021 \(theo số liệu báo cáo\)/,
      );
      assert.match(
        of('SECURITY_BOTNET_IPS').vi,
        /879\.342 địa chỉ IP, giảm 9,29% so với tháng 12\/2021 \(theo số liệu báo cáo\)/,
      );
      // The total with its parts, which add up to it.
      assert.match(
        of('CYBERATTACKS').vi,
        /1\.383 sự cố, tăng 10,29% so với tháng 12\/2021 \(theo số liệu báo cáo\), trong đó: Lừa đảo \(Phishing\) 197 sự cố, Thay đổi giao diện \(Deface\) 125 sự cố, Mã độc \(Malware\) 1\.061 sự cố/,
      );
      // A change printed with no value: no value, the printed change with its "khoảng".
      assert.match(
        of('POSTAL_REVENUE').vi,
        /chưa có số liệu; tăng khoảng 30% so với cùng kỳ năm 2021 \(theo số liệu báo cáo\)/,
      );
      // No value: said so, never 0.
      for (const p of ps.filter((x) => x.figure.value === null)) {
        assert.match(p.vi, /chưa có số liệu/);
        assert.doesNotMatch(p.vi, /: 0 /);
      }
    });

    it('prints no figure that disagrees with the seed figures', () => {
      const ps = paragraphs(national.document);
      const january = DEMO.values.filter((v) => v.period === '2022-01' && v.orgUnit === 'VN');
      assert.ok(january.length >= 20);
      for (const v of january) {
        const p = ps.find((x) => x.figure.item === v.dataElement);
        assert.ok(p, `${v.dataElement} has a line`);
        const printed = v.categoryOptionCombo
          ? p.figure.options.find((o) => o.code === v.categoryOptionCombo)?.value
          : p.figure.value;
        assert.equal(printed, Number(v.value), `${v.dataElement} ${v.categoryOptionCombo ?? ''}`);
        if (v.reportedYoyPct && !v.categoryOptionCombo) {
          const pct = p.figure.yoy?.pct ?? null;
          assert.ok(
            pct !== null && Math.abs(pct - Number(v.reportedYoyPct)) < 0.05,
            `${v.dataElement}: printed ${pct}, article ${v.reportedYoyPct}`,
          );
        }
        if (v.reportedPrevPct && !v.categoryOptionCombo)
          assert.equal(p.figure.prev?.pct, Number(v.reportedPrevPct), v.dataElement);
      }
    });

    it('freezes what was issued: a later change shows on the page, never in the document', async () => {
      const draft = await ok(
        admin.post('/api/briefings', { template: 'MIC_MONTHLY', period: '2022-01' }),
        201,
      );
      const line = 'security_public_certs_issued';
      // The analyst's words for a paragraph, kept through the issue.
      const edited = await ok(
        admin.request('PUT', `/api/briefings/${draft.id}/paragraphs/${line}`, {
          vi: 'Chứng thư số công cộng đã cấp: 4.581.000, tăng 14,1% so với cùng kỳ.',
        }),
      );
      assert.equal(paragraphs(edited.document).find((p) => p.id === line)?.edited, true);
      // Issuing twice with the same key is one issue.
      const key = { 'Idempotency-Key': `issue-${engine}-${draft.id}` };
      const issued = await ok(admin.post(`/api/briefings/${draft.id}/issue`, {}, key));
      const again = await admin.post(`/api/briefings/${draft.id}/issue`, {}, key);
      assert.equal(again.status, 200);
      assert.equal(again.headers.get('Idempotent-Replayed'), 'true');
      assert.equal(again.json.number, issued.number);
      assert.match(issued.number, /^\d+\/BC-BTTTT$/);
      assert.equal(issued.status, 'issued');
      // Without the key, a second issue is refused: the briefing is issued.
      const twice = await admin.post(`/api/briefings/${draft.id}/issue`, {});
      assert.equal(twice.status, 409);
      assert.match(twice.json.error.messages.vi, /đã ban hành/);
      const editIssued = await admin.request(
        'PUT',
        `/api/briefings/${draft.id}/paragraphs/${line}`,
        {
          vi: 'Sửa sau khi ban hành',
        },
      );
      assert.equal(editIssued.status, 409);

      const files = async () => {
        const out: Record<string, Uint8Array> = {};
        for (const f of ['docx', 'xlsx', 'csv', 'pdf']) {
          const r = await admin.download(`/api/briefings/${draft.id}.${f}`);
          assert.equal(r.status, 200, f);
          out[f] = r.bytes;
        }
        return out;
      };
      const before = await files();

      // The data changes after issue.
      await ok(
        admin.post('/api/dataValueSets', {
          dataValues: [
            {
              dataElement: 'SECURITY_PUBLIC_CERTS_ISSUED',
              period: '2022-01',
              orgUnit: 'VN',
              value: '4600000',
            },
          ],
        }),
      );
      const now = await ok(admin.get(`/api/briefings/${draft.id}`));
      const frozen = paragraphs(now.document).find((p) => p.id === line)!;
      assert.equal(frozen.figure.value, 4_581_000);
      assert.equal(
        frozen.vi,
        'Chứng thư số công cộng đã cấp: 4.581.000, tăng 14,1% so với cùng kỳ.',
      );
      assert.deepEqual(
        now.changedSinceIssue.map((d: { lineId: string; issued: number; now: number }) => [
          d.lineId,
          d.issued,
          d.now,
        ]),
        [[line, 4_581_000, 4_600_000]],
      );
      const after = await files();
      for (const f of Object.keys(before))
        assert.ok(Buffer.from(before[f]!).equals(Buffer.from(after[f]!)), `${f} identical`);

      // A revision lists the correction and keeps the series' number.
      const revision = await ok(admin.post(`/api/briefings/${draft.id}/revise`, {}), 201);
      assert.equal(revision.revision, 1);
      assert.equal(revision.status, 'draft');
      assert.deepEqual(
        revision.document.corrections.map(
          (c: { lineId: string; before: number; after: number }) => [c.lineId, c.before, c.after],
        ),
        [[line, 4_581_000, 4_600_000]],
      );
      // The analyst's edit is carried over, and flagged: its figure changed since.
      const carried = paragraphs(revision.document).find((p) => p.id === line)!;
      assert.equal(carried.edited, true);
      assert.equal(carried.needsReview, true);
      const reissued = await ok(admin.post(`/api/briefings/${revision.id}/issue`, {}));
      assert.equal(reissued.number, issued.number);
      assert.equal(reissued.revisions.length, 2);
      const csv = new TextDecoder().decode(
        (await admin.download(`/api/briefings/${revision.id}.csv`)).bytes,
      );
      assert.match(csv, /4600000/);
      // Audited in their transactions.
      const audit = await t.database.db
        .selectFrom('audit_event')
        .select('action')
        .where('entity_type', '=', 'briefing')
        .where('entity_id', 'in', [String(draft.id), String(revision.id)])
        .execute();
      const actions = audit.map((a) => a.action).sort();
      assert.deepEqual(actions, [
        'briefing.create',
        'briefing.edit',
        'briefing.issue',
        'briefing.issue',
        'briefing.revise',
      ]);
    });

    it(
      'exports that LibreOffice and poppler read back with their Vietnamese',
      { skip: SKIP_DOCUMENTS },
      async () => {
        // A draft is written from the data as it is now (an earlier test changed a figure).
        const current = await ok(admin.get(`/api/briefings/${national.id}`));
        const sentence = paragraphs(current.document).find(
          (p) => p.figure.item === 'SECURITY_PUBLIC_CERTS_ISSUED',
        )!.vi;
        const docx = await admin.download(`/api/briefings/${national.id}.docx`);
        assert.match(docx.headers.get('content-type') ?? '', /wordprocessingml/);
        const fromWord = await libreOfficeConvert(docx.bytes, 'b.docx', 'pdf');
        const wordText = flat(await pdfText([...fromWord.values()][0]!));
        assert.ok(
          wordText.includes(flat(sentence)),
          `the DOCX holds "${sentence}": ${wordText.slice(wordText.indexOf('4.581.000') - 200, wordText.indexOf('4.581.000') + 200)}`,
        );
        assert.ok(wordText.includes('CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM'));
        const pdf = await admin.download(`/api/briefings/${national.id}`, {
          accept: 'application/pdf',
        });
        assert.equal(pdf.headers.get('content-type'), 'application/pdf');
        assert.ok(flat(await pdfText(pdf.bytes)).includes(flat(sentence)), 'the PDF holds it');
        const xlsx = await admin.download(`/api/briefings/${national.id}.xlsx`);
        const fromCalc = await libreOfficeConvert(xlsx.bytes, 'b.xlsx', 'pdf');
        const calcText = flat(await pdfText([...fromCalc.values()][0]!));
        assert.ok(calcText.includes('4.600.000'), 'the XLSX shows the number the Vietnamese way');
        assert.ok(calcText.includes('Tổng số chứng thư số công cộng đã cấp'));
      },
    );

    it('exports a template as JSON that imports back unchanged, audited', async () => {
      const t1 = await ok(admin.get('/api/briefingTemplates/MIC_MONTHLY'));
      assert.deepEqual(
        t1.sections.map((x: { code: string }) => x.code),
        ['postal', 'telecom', 'it', 'security', 'ict', 'press', 'covid'],
      );
      const back = await ok(admin.post('/api/briefingTemplates', t1));
      assert.deepEqual(back, t1);
      assert.deepEqual(await ok(admin.get('/api/briefingTemplates/MIC_MONTHLY')), t1);
      const audit = await t.database.db
        .selectFrom('audit_event')
        .select('action')
        .where('entity_type', '=', 'briefing_template')
        .execute();
      assert.ok(audit.some((a) => a.action === 'briefing_template.update'));
    });

    it('announces an issued briefing live to the units of its scope', async () => {
      const d = await ok(
        province.post('/api/briefings', { template: 'MIC_MONTHLY', period: '2022-01' }),
        201,
      );
      await ok(province.post(`/api/briefings/${d.id}/issue`, {}));
      await t.services.alerts.flush();
      const events = await t.database.db
        .selectFrom('live_event')
        .select(['topic', 'path', 'payload'])
        .where('topic', '=', 'briefing')
        .execute();
      const mine = events.find((e) => (e.payload as { briefingId: number }).briefingId === d.id);
      assert.ok(mine, 'a briefing event');
      assert.equal(mine.path, '/VN/01/', 'scoped to Hà Nội');
    });

    it('refuses bad input with a clear error and changes nothing', async () => {
      const templatesBefore = await ok(admin.get('/api/briefingTemplates'));
      const bad = await admin.post('/api/briefingTemplates', {
        code: 'BAD',
        nameVi: 'Sai',
        nameEn: 'Bad',
        bodyVi: 'BỘ',
        place: 'Hà Nội',
        numberSuffix: 'BC',
        sections: [
          {
            code: 's',
            titleVi: 'Mục',
            titleEn: 'Section',
            lines: [
              { id: 'ok', item: 'TELECOM_REVENUE' },
              { id: 'wrong', item: 'NO_SUCH_ELEMENT' },
            ],
          },
        ],
      });
      assert.equal(bad.status, 400);
      assert.match(bad.json.error.messages.vi, /dòng wrong .*NO_SUCH_ELEMENT/);
      assert.match(bad.json.error.messages.en, /line wrong .*NO_SUCH_ELEMENT/);
      assert.deepEqual(await ok(admin.get('/api/briefingTemplates')), templatesBefore);

      const period = await admin.post('/api/briefings', {
        template: 'MIC_MONTHLY',
        period: '2022-13',
      });
      assert.equal(period.status, 400);
      const week = await admin.post('/api/briefings', {
        template: 'MIC_MONTHLY',
        period: '2022-W05',
      });
      assert.equal(week.status, 400);
      assert.match(week.json.error.messages.vi, /Kỳ báo cáo không hợp lệ/);

      // A period without data: every line says so.
      const empty = await ok(
        admin.post('/api/briefings', { template: 'MIC_MONTHLY', period: '2019-03' }),
        201,
      );
      assert.ok(paragraphs(empty.document).every((p) => /chưa có số liệu/.test(p.vi)));

      // Another province's scope: refused; the nation's briefing is not shown to a province.
      const other = await province.post('/api/briefings', {
        template: 'MIC_MONTHLY',
        period: '2022-01',
        unit: '79',
        version: '2022',
      });
      assert.equal(other.status, 403);
      assert.equal(other.json.error.code, 'out_of_scope');
      assert.equal((await province.get(`/api/briefings/${national.id}`)).status, 404);
      assert.equal((await province.download(`/api/briefings/${national.id}.docx`)).status, 404);
      const list = await ok(province.get('/api/briefings'));
      assert.ok(list.items.every((b: { unit: string }) => b.unit === '01'));
      // Its own province: allowed.
      const own = await ok(
        province.post('/api/briefings', { template: 'MIC_MONTHLY', period: '2022-01' }),
        201,
      );
      assert.equal(own.unit, '01');
      assert.equal(own.document.annex.rows.length > 0, true, 'the districts of Hà Nội');

      // No such format.
      const odt = await admin.get(`/api/briefings/${national.id}.odt`);
      assert.equal(odt.status, 400);
      assert.match(odt.json.error.messages.vi, /Không có định dạng xuất "odt"/);
      assert.equal((await admin.get(`/api/briefings/${national.id}?format=rtf`)).status, 400);
      // A revision of a draft: refused.
      assert.equal((await admin.post(`/api/briefings/${national.id}/revise`, {})).status, 409);
    });

    it('gives the nation an annex of the 63 provinces', () => {
      const annex = (national.document as unknown as { annex: { rows: unknown[] } }).annex;
      assert.equal(annex.rows.length, 63);
    });
  });
}
