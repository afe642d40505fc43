import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { SaxesParser } from 'saxes';
import { ADMIN_PASSWORD, openTestDb, testEngines, type TestDb } from '../test/harness.ts';
import { ApiClient, signInUsers } from '../test/http.ts';

/**
 * Open311 GeoReport v2's read-only routes (issue 20) against the spec's shapes
 * (wiki.open311.org/GeoReport_v2 and /Service_Discovery): the element and field names of its
 * examples, JSON arrays where it has them, XML with the declaration. The XML is read by saxes,
 * a conforming parser of its own (not the library that writes it), so a malformed or
 * mis-escaped answer fails here.
 */

/** The fields of a service in the spec's "GET Service List" example. */
const SERVICE_FIELDS = [
  'service_code',
  'service_name',
  'description',
  'metadata',
  'type',
  'keywords',
  'group',
];
/** The fields of the spec's Service Discovery example, and of each endpoint. */
const DISCOVERY_FIELDS = ['changeset', 'contact', 'key_service', 'endpoints'];
const ENDPOINT_FIELDS = ['specification', 'url', 'changeset', 'type', 'formats'];

interface El {
  name: string;
  children: El[];
  text: string;
}

/** The XML read by saxes: the declaration and the element tree (attributes are never used). */
function parseXml(xml: string): { decl: { version?: string; encoding?: string }; root: El } {
  const parser = new SaxesParser();
  let decl: { version?: string; encoding?: string } = {};
  const stack: El[] = [];
  let root: El | undefined;
  parser.on('xmldecl', (d) => (decl = { version: d.version, encoding: d.encoding }));
  parser.on('opentag', (t) => {
    const el: El = { name: t.name, children: [], text: '' };
    stack.at(-1)?.children.push(el);
    stack.push(el);
  });
  parser.on('text', (s) => {
    const top = stack.at(-1);
    if (top) top.text += s;
  });
  parser.on('closetag', () => {
    const el = stack.pop()!;
    if (stack.length === 0) root = el;
  });
  parser.on('error', (e) => {
    throw e;
  });
  parser.write(xml).close();
  assert.ok(root, 'an XML document with a root element');
  return { decl, root };
}

const child = (el: El, name: string) => {
  const c = el.children.find((x) => x.name === name);
  assert.ok(c, `<${el.name}> has <${name}>`);
  return c;
};
const names = (el: El) => el.children.map((c) => c.name).sort();
const textOf = (el: El, name: string) => child(el, name).text.trim();

for (const engine of testEngines()) {
  describe(`Open311 GeoReport v2 discovery and services on ${engine}`, () => {
    let t: TestDb;
    let anon: ApiClient;
    let admin: ApiClient;

    before(async () => {
      t = await openTestDb(engine);
      anon = ApiClient.for(t.services);
      admin = ApiClient.for(t.services);
      assert.equal((await admin.login('admin', ADMIN_PASSWORD)).status, 200);
      // One category with text that XML must escape, one that is not offered.
      const base = {
        descriptionVi: 'Mất nước, nước đục <khẩn> & kéo dài',
        descriptionEn: 'No water, dirty water <urgent> & lasting',
        groupVi: 'Đô thị',
        groupEn: 'Urban',
        keywords: ['nước', 'nuoc'],
        handledBy: { level: 'commune' },
        acknowledgeWithin: { hours: 8 },
        answerWithin: { days: 5 },
      };
      for (const [code, active] of [
        ['CAP_NUOC', true],
        ['NGUNG_NHAN', false],
      ] as const) {
        const r = await admin.post('/api/citizenCategories', {
          ...base,
          code,
          nameVi: `Cấp nước "sinh hoạt" & <thoát nước>`,
          nameEn: 'Water supply & <drainage>',
          active,
        });
        assert.equal(r.status, 201, r.text);
      }
    });
    after(() => t.close());

    it('answers discovery in JSON and XML without an account, in the spec’s fields', async () => {
      const j = await anon.get('/open311/v2/discovery.json');
      assert.equal(j.status, 200, j.text);
      assert.equal(j.headers.get('content-type'), 'application/json; charset=utf-8');
      assert.deepEqual(Object.keys(j.json).sort(), [...DISCOVERY_FIELDS].sort());
      assert.ok(Array.isArray(j.json.endpoints));
      const [e] = j.json.endpoints;
      assert.deepEqual(Object.keys(e).sort(), [...ENDPOINT_FIELDS].sort());
      assert.equal(e.specification, 'http://wiki.open311.org/GeoReport_v2');
      assert.equal(e.url, 'http://localhost/open311/v2');
      assert.equal(e.type, 'production');
      assert.deepEqual(e.formats, ['text/xml', 'application/json']);
      assert.ok(!Number.isNaN(Date.parse(j.json.changeset)), j.json.changeset);
      assert.match(j.json.contact, /quản trị viên/);

      const x = await anon.get('/open311/v2/discovery.xml?jurisdiction_id=opsroom.gov.vn');
      assert.equal(x.status, 200);
      assert.equal(x.headers.get('content-type'), 'text/xml; charset=utf-8');
      assert.ok(x.text.startsWith('<?xml version="1.0" encoding="utf-8"?>'), x.text.slice(0, 60));
      const { decl, root } = parseXml(x.text);
      assert.deepEqual(decl, { version: '1.0', encoding: 'utf-8' });
      assert.equal(root.name, 'discovery');
      assert.deepEqual(names(root), [...DISCOVERY_FIELDS].sort());
      const endpoints = child(root, 'endpoints');
      assert.deepEqual(names(endpoints), ['endpoint']);
      const endpoint = child(endpoints, 'endpoint');
      assert.deepEqual(names(endpoint), [...ENDPOINT_FIELDS].sort());
      assert.deepEqual(
        child(endpoint, 'formats').children.map((f) => [f.name, f.text]),
        [
          ['format', 'text/xml'],
          ['format', 'application/json'],
        ],
      );
      assert.equal(textOf(root, 'changeset'), j.json.changeset);
      assert.equal(textOf(endpoint, 'url'), 'http://localhost/open311/v2');
    });

    it('lists the active services as the spec’s array, in Vietnamese unless English is asked', async () => {
      const j = await anon.get('/open311/v2/services.json');
      assert.equal(j.status, 200, j.text);
      assert.ok(Array.isArray(j.json));
      for (const s of j.json) assert.deepEqual(Object.keys(s).sort(), [...SERVICE_FIELDS].sort());
      const codes = j.json.map((s: { service_code: string }) => s.service_code);
      assert.ok(codes.includes('TIN_NHAN_RAC_5656'));
      assert.ok(codes.includes('CAP_NUOC'));
      assert.ok(!codes.includes('NGUNG_NHAN'), 'an inactive category is not offered');
      const spam = j.json.find(
        (s: { service_code: string }) => s.service_code === 'TIN_NHAN_RAC_5656',
      );
      assert.equal(spam.service_name, 'Tin nhắn rác, cuộc gọi rác (5656)');
      assert.equal(spam.metadata, false);
      assert.equal(spam.type, 'realtime');
      assert.equal(typeof spam.keywords, 'string');
      assert.match(spam.keywords, /^5656, tin nhắn rác, /);
      assert.equal(spam.group, 'An toàn thông tin');

      for (const ask of [
        { path: '/open311/v2/services.json?locale=en', headers: {} as Record<string, string> },
        { path: '/open311/v2/services.json', headers: { 'accept-language': 'en-US,en;q=0.9' } },
      ]) {
        const en = await anon.get(ask.path, ask.headers);
        const s = en.json.find(
          (x: { service_code: string }) => x.service_code === 'TIN_NHAN_RAC_5656',
        );
        assert.equal(s.service_name, 'Spam messages and calls (5656)', ask.path);
        assert.equal(s.group, 'Information security');
      }
      // locale=vi wins over an English browser.
      const vi = await anon.get('/open311/v2/services.json?locale=vi', { 'accept-language': 'en' });
      assert.equal(vi.json[0].service_name, j.json[0].service_name);

      const x = await anon.get('/open311/v2/services.xml?jurisdiction_id=opsroom.gov.vn');
      assert.equal(x.status, 200);
      assert.equal(x.headers.get('content-type'), 'text/xml; charset=utf-8');
      const { decl, root } = parseXml(x.text);
      assert.equal(decl.encoding, 'utf-8');
      assert.equal(root.name, 'services');
      assert.ok(root.children.every((c) => c.name === 'service'));
      assert.equal(root.children.length, j.json.length);
      root.children.forEach((el, i) => {
        assert.deepEqual(names(el), [...SERVICE_FIELDS].sort());
        const s = j.json[i];
        for (const f of SERVICE_FIELDS) assert.equal(textOf(el, f), String(s[f]).trim(), f);
      });
      // Escaped on the way out, read back whole.
      const water = root.children.find((el) => textOf(el, 'service_code') === 'CAP_NUOC')!;
      assert.equal(textOf(water, 'service_name'), 'Cấp nước "sinh hoạt" & <thoát nước>');
      assert.equal(textOf(water, 'description'), 'Mất nước, nước đục <khẩn> & kéo dài');
    });

    it('gives a service’s definition, and 404 in the spec’s error shape for an unknown one', async () => {
      const j = await anon.get('/open311/v2/services/HA_TANG_DO_THI.json');
      assert.equal(j.status, 200, j.text);
      assert.deepEqual(j.json, { service_code: 'HA_TANG_DO_THI', attributes: [] });
      const x = await anon.get('/open311/v2/services/HA_TANG_DO_THI.xml');
      assert.equal(x.status, 200);
      const { root } = parseXml(x.text);
      assert.equal(root.name, 'service_definition');
      assert.deepEqual(names(root), ['attributes', 'service_code']);
      assert.equal(textOf(root, 'service_code'), 'HA_TANG_DO_THI');
      assert.deepEqual(child(root, 'attributes').children, []);

      for (const code of ['KHONG_CO', 'NGUNG_NHAN']) {
        const nj = await anon.get(`/open311/v2/services/${code}.json?locale=en`);
        assert.equal(nj.status, 404);
        assert.deepEqual(nj.json, [
          { code: 404, description: `No service with service_code "${code}"` },
        ]);
        const nx = await anon.get(`/open311/v2/services/${code}.xml`);
        assert.equal(nx.status, 404);
        assert.equal(nx.headers.get('content-type'), 'text/xml; charset=utf-8');
        const e = parseXml(nx.text).root;
        assert.equal(e.name, 'errors');
        assert.deepEqual(names(e), ['error']);
        assert.deepEqual(names(child(e, 'error')), ['code', 'description']);
        assert.equal(textOf(child(e, 'error'), 'code'), '404');
        assert.match(
          textOf(child(e, 'error'), 'description'),
          new RegExp(`Không có dịch vụ .*"${code}"`),
        );
      }
    });

    it('refuses a format it does not speak with 400, and answers other paths with 404, both in its shape', async () => {
      for (const path of [
        '/open311/v2/services.csv',
        '/open311/v2/discovery.yaml',
        '/open311/v2/services/HA_TANG_DO_THI.html',
      ]) {
        const r = await anon.get(`${path}?locale=en`);
        assert.equal(r.status, 400, path);
        assert.equal(r.json[0].code, 400);
        assert.match(r.json[0].description, /is not supported: use \.json or \.xml/);
      }
      const gone = await anon.get('/open311/v2/reports.xml');
      assert.equal(gone.status, 404);
      assert.equal(parseXml(gone.text).root.name, 'errors');
      const other = await anon.get('/open311/v3/discovery.json');
      assert.equal(other.status, 404);
      assert.equal(other.json[0].code, 404);
    });

    it('moves the discovery changeset when a category changes', async () => {
      const before = (await anon.get('/open311/v2/discovery.json')).json.changeset;
      const r = await admin.request('DELETE', '/api/citizenCategories/NGUNG_NHAN');
      assert.equal(r.status, 204);
      const after = (await anon.get('/open311/v2/discovery.json')).json.changeset;
      assert.ok(Date.parse(after) >= Date.parse(before), `${after} ≥ ${before}`);
      assert.notEqual(after, before);
    });
  });
}

// — Service requests: POST requests, GET requests, requests/{id}, tokens/{token}

/*
 * The spec's example documents (wiki.open311.org/GeoReport_v2, source
 * github.com/open311/open311.github.io GeoReport_v2/index.md: "POST Service Request",
 * "GET service_request_id from a token", "GET Service Requests", "Errors"), copied as they are
 * but for one request of the two in "GET Service Requests", and the JSON's bare `006` and
 * `545483`/`94122`, which are not valid JSON (a leading zero) and are quoted here.
 */
const SPEC_POST_XML = `<?xml version="1.0" encoding="utf-8"?>
<service_requests>
    <request>
        <service_request_id>293944</service_request_id>
        <service_notice>
            The City will inspect and require the responsible party to correct within 24 hours and/or issue a Correction Notice or Notice of Violation of the Public Works Code
        </service_notice>
        <account_id/>
    </request>
</service_requests>`;
const SPEC_POST_JSON = `[
  {
    "service_request_id":293944,
    "service_notice":"The City will inspect and require the responsible party to correct within 24 hours and/or issue a Correction Notice or Notice of Violation of the Public Works Code",
    "account_id":null
  }
]`;
const SPEC_TOKEN_XML = `<?xml version="1.0" encoding="utf-8"?>
<service_requests>
    <request>
        <service_request_id>638344</service_request_id>
        <token>12345</token>
    </request>
</service_requests>`;
const SPEC_TOKEN_JSON = `[
  {
    "service_request_id":638344,
    "token":12345
  }
]`;
const SPEC_REQUESTS_XML = `<?xml version="1.0" encoding="utf-8"?>
<service_requests>
    <request>
        <service_request_id>638344</service_request_id>
        <status>closed</status>
        <status_notes>Duplicate request.</status_notes>
        <service_name>Sidewalk and Curb Issues</service_name>
        <service_code>006</service_code>
        <description></description>
        <agency_responsible></agency_responsible>
        <service_notice></service_notice>
        <requested_datetime>2010-04-14T06:37:38-08:00</requested_datetime>
        <updated_datetime>2010-04-14T06:37:38-08:00</updated_datetime>
        <expected_datetime>2010-04-15T06:37:38-08:00</expected_datetime>
        <address>8TH AVE and JUDAH ST</address>
        <address_id>545483</address_id>
        <zipcode>94122</zipcode>
        <lat>37.762221815</lat>
        <long>-122.4651145</long>
        <media_url>http://city.gov.s3.amazonaws.com/requests/media/638344.jpg </media_url>
    </request>
</service_requests>`;
const SPEC_REQUESTS_JSON = `[
  {
    "service_request_id":638344,
    "status":"closed",
    "status_notes":"Duplicate request.",
    "service_name":"Sidewalk and Curb Issues",
    "service_code":"006",
    "description":null,
    "agency_responsible":null,
    "service_notice":null,
    "requested_datetime":"2010-04-14T06:37:38-08:00",
    "updated_datetime":"2010-04-14T06:37:38-08:00",
    "expected_datetime":"2010-04-15T06:37:38-08:00",
    "address":"8TH AVE and JUDAH ST",
    "address_id":"545483",
    "zipcode":"94122",
    "lat":37.762221815,
    "long":-122.4651145,
    "media_url":"http://city.gov.s3.amazonaws.com/requests/media/638344.jpg "
  }
]`;
const SPEC_ERROR_XML = `<?xml version="1.0" encoding="utf-8"?>
<errors>
    <error>
        <code>403</code>
        <description>Invalid api_key received -- can't proceed with create_request.</description>
    </error>
</errors>`;
const SPEC_ERROR_JSON = `[
  {
    "code":403,
    "description":"Invalid api_key received -- can't proceed with create_request."
  }
]`;

/** The element names under the spec's root and its first item, and the JSON item's keys. */
function specShape(xmlDoc: string, jsonDoc: string) {
  const { root } = parseXml(xmlDoc);
  const item = root.children[0]!;
  return {
    root: root.name,
    item: item.name,
    fields: names(item),
    keys: Object.keys((JSON.parse(jsonDoc) as Record<string, unknown>[])[0]!).sort(),
  };
}

/** Viet Nam's wall clock (UTC+7) as an instant. */
const vnTime = (s: string) => new Date(`${s}+07:00`);
const BEN_THANH = { lat: '10.7725', long: '106.698' };
const EMAIL = 'nguoi.dan.311@example.vn';
const PHONE = '0912345311';
const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3]);
const PW = 'Open311-pw-12345';

for (const engine of testEngines()) {
  describe(`Open311 GeoReport v2 service requests on ${engine}`, () => {
    let t: TestDb;
    let now = vnTime('2026-11-23T10:00:00'); // a Monday
    let apiKey: string;
    let anon: ApiClient;
    const as = new Map<string, ApiClient>();
    const posted: string[] = [];

    const count = async (table: string) => {
      const r = await sql<{
        n: number;
      }>`select count(*)::int as n from ${sql.table(table)}`.execute(t.database.db);
      return r.rows[0]!.n;
    };
    const counts = async () => ({
      reports: await count('citizen_report'),
      events: await count('citizen_report_event'),
      tasks: await count('task'),
      audit: await count('audit_event'),
    });

    /** A form post as Open311 clients send it: urlencoded (or multipart with `multipart`). */
    const post = async (
      path: string,
      fields: Record<string, string>,
      opts: { multipart?: boolean; headers?: Record<string, string> } = {},
    ) => {
      let body: BodyInit;
      const headers: Record<string, string> = { ...opts.headers };
      if (opts.multipart) {
        const form = new FormData();
        for (const [k, v] of Object.entries(fields)) form.append(k, v);
        body = form;
      } else {
        body = new URLSearchParams(fields).toString();
        headers['content-type'] = 'application/x-www-form-urlencoded; charset=utf-8';
      }
      const res = await anon.app.request(path, { method: 'POST', headers, body });
      const text = await res.text();
      let json: any; // eslint-disable-line @typescript-eslint/no-explicit-any
      try {
        json = JSON.parse(text);
      } catch {
        json = undefined;
      }
      return { status: res.status, text, json, headers: res.headers };
    };
    const report = (description: string, extra: Record<string, string> = {}) => ({
      api_key: apiKey,
      jurisdiction_id: 'opsroom.gov.vn',
      service_code: 'THU_TUC_HANH_CHINH',
      ...BEN_THANH,
      description,
      ...extra,
    });
    const file = async (description: string, extra: Record<string, string> = {}) => {
      const r = await post('/open311/v2/requests.json', report(description, extra));
      assert.equal(r.status, 200, r.text);
      posted.push(r.json[0].service_request_id);
      return r.json[0].service_request_id as string;
    };
    const idOf = async (code: string) =>
      (await t.services.store.repos.citizenReports.byCode(code))!.id;
    const assertNoContact = (text: string) => {
      for (const secret of [EMAIL, PHONE, 'Nguyễn', 'Văn An', '0912 345 311'])
        assert.ok(!text.includes(secret), `the answer shows ${secret}: ${text.slice(0, 200)}`);
    };

    before(async () => {
      t = await openTestDb(engine, { clock: () => now });
      anon = ApiClient.for(t.services);
      const admin = ApiClient.for(t.services);
      assert.equal((await admin.login('admin', ADMIN_PASSWORD)).status, 200);
      as.set('admin', admin);
      await signInUsers(
        t.services,
        [
          { username: 'cb26743', role: 'officer', code: '26743' },
          { username: 'cb26740', role: 'officer', code: '26740' },
        ],
        PW,
        '2025',
        as,
      );
      // The app's key: any active token, whatever its permissions (see open311.service.ts).
      apiKey = (
        await t.services.auth.createToken('system', {
          name: 'ung-dung-311',
          scope: { version: '2025', code: '79' },
          permissions: ['data.read'],
        })
      ).token;
    });
    after(() => t.close());

    it('files a report posted form-encoded as the spec’s example, answering the spec’s shape in JSON', async () => {
      const before = await counts();
      // The spec's example request, with our service, place and a Vietnamese citizen.
      const r = await post(
        '/open311/v2/requests.json',
        report('Hồ sơ cấp phép xây dựng trễ hẹn 3 tuần', {
          address_string: '135 Nam Kỳ Khởi Nghĩa',
          email: EMAIL,
          device_id: 'tt222111',
          account_id: '123456',
          first_name: 'Văn An',
          last_name: 'Nguyễn',
          phone: '0912 345 311',
          media_url: 'http://anh.example.vn/o-ga.jpg',
          'attribute[WHISPAWN]': '123456',
          'attribute[WHISDORN]': 'COISL001',
        }),
      );
      assert.equal(r.status, 200, r.text);
      assert.equal(r.headers.get('content-type'), 'application/json; charset=utf-8');
      assert.equal(r.headers.get('access-control-allow-origin'), '*');
      const spec = specShape(SPEC_POST_XML, SPEC_POST_JSON);
      assert.ok(Array.isArray(r.json));
      assert.equal(r.json.length, 1);
      assert.deepEqual(Object.keys(r.json[0]).sort(), spec.keys);
      const code = r.json[0].service_request_id;
      posted.push(code);
      assert.match(code, /^PA-[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}$/);
      assert.equal(r.json[0].account_id, null);
      assert.match(
        r.json[0].service_notice,
        /^Đã tiếp nhận và chuyển Bến Thành xử lý; hạn trả lời /,
      );
      assert.ok(r.json[0].service_notice.includes(code));
      assertNoContact(r.text);

      // One report, its task and its history; stored as the public form stores one.
      const after = await counts();
      assert.deepEqual(after, {
        reports: before.reports + 1,
        events: before.events + 1,
        tasks: before.tasks + 1,
        audit: before.audit + 1,
      });
      const row = (await t.services.store.repos.citizenReports.byCode(code))!;
      assert.equal(row.source, 'open311');
      assert.equal(row.handler_code, '26743');
      assert.equal(row.contact_email, EMAIL);
      assert.equal(row.contact_phone, '0912345311');
      // The media URL and the typed address are a note for the officers; nothing fetched.
      const officer = await as.get('cb26743')!.get(`/api/reports/${row.id}`);
      assert.equal(officer.status, 200, officer.text);
      const note = officer.json.history[0].internalNote as string;
      assert.match(note, /Gửi qua Open311 \(token:ung-dung-311\)/);
      assert.match(note, /135 Nam Kỳ Khởi Nghĩa/);
      assert.match(note, /http:\/\/anh\.example\.vn\/o-ga\.jpg/);
      assert.ok(!note.includes('Nguyễn') && !note.includes('Văn An'), 'the name is not kept');
      // The public page does not show the note.
      const pub = await anon.get(`/api/public/reports/${code}`);
      assert.ok(!pub.text.includes('anh.example.vn'));
      const audit = await t.database.db
        .selectFrom('audit_event')
        .selectAll()
        .where('action', '=', 'citizen_report.receive')
        .where('entity_id', '=', String(row.id))
        .executeTakeFirstOrThrow();
      assert.ok(JSON.stringify(audit).includes('"source":"open311"'));
      assert.ok(!JSON.stringify(audit).includes(EMAIL));

      // The ward's officer finds it in the inbox, as any report.
      const inbox = await as.get('cb26743')!.get('/api/inbox');
      assert.equal(inbox.status, 200, inbox.text);
      const task = inbox.json.items.find((x: { title: string }) => x.title.includes(code));
      assert.ok(task, 'the task is in the ward inbox');
      assert.equal(task.reportId, row.id);
      const other = await as.get('cb26740')!.get('/api/inbox');
      assert.ok(!other.text.includes(code), 'not in another ward’s inbox');
    });

    it('answers the post in the spec’s XML, from a multipart form, in English when asked', async () => {
      const r = await post(
        '/open311/v2/requests.xml',
        report('Thiếu biển báo tại ngã tư', { email: EMAIL, phone: PHONE }),
        { multipart: true, headers: { 'accept-language': 'en-US,en;q=0.8' } },
      );
      assert.equal(r.status, 200, r.text);
      assert.equal(r.headers.get('content-type'), 'text/xml; charset=utf-8');
      const { decl, root } = parseXml(r.text);
      assert.deepEqual(decl, { version: '1.0', encoding: 'utf-8' });
      const spec = specShape(SPEC_POST_XML, SPEC_POST_JSON);
      assert.equal(root.name, spec.root);
      assert.deepEqual(names(root), [spec.item]);
      const item = child(root, 'request');
      assert.deepEqual(names(item), spec.fields);
      const code = textOf(item, 'service_request_id');
      posted.push(code);
      assert.equal(textOf(item, 'account_id'), '');
      assert.match(textOf(item, 'service_notice'), /^Received and sent to Bến Thành to handle/);
      assertNoContact(r.text);
      assert.equal(
        (await t.services.store.repos.citizenReports.byCode(code))!.handler_code,
        '26743',
      );
    });

    it('places a report by commune code (address_id) or by a name that picks one commune (address_string)', async () => {
      const { lat: _lat, long: _long, ...noPoint } = report('Đèn đường hỏng');
      const byId = await post('/open311/v2/requests.json', { ...noPoint, address_id: '26740' });
      assert.equal(byId.status, 200, byId.text);
      const a = await t.services.store.repos.citizenReports.byCode(byId.json[0].service_request_id);
      assert.equal(a!.place_code, '26740');
      posted.push(a!.code);
      const byName = await post('/open311/v2/requests.json', {
        ...noPoint,
        address_string: 'Phuong Ben Thanh',
      });
      assert.equal(byName.status, 200, byName.text);
      const b = await t.services.store.repos.citizenReports.byCode(
        byName.json[0].service_request_id,
      );
      assert.equal(b!.place_code, '26743');
      posted.push(b!.code);
    });

    it('refuses bad posts in the spec’s error shape, storing nothing', async () => {
      // A revoked key is a wrong key (revoked before counting: that writes audit rows).
      const revoked = await t.services.auth.createToken('system', {
        name: 'thu-hoi',
        scope: { version: '2025', code: '79' },
        permissions: ['data.read'],
      });
      const del = await as.get('admin')!.request('DELETE', `/api/tokens/${revoked.id}`);
      assert.equal(del.status, 204, del.text);
      const spec = specShape(SPEC_ERROR_XML, SPEC_ERROR_JSON);
      const before = await counts();
      const { lat: _lat, long: _long, ...noPoint } = report('Phản ánh lỗi');
      const cases: [string, Record<string, string>, number, RegExp][] = [
        ['no key', { ...report('x'), api_key: '' }, 403, /api_key is missing/],
        ['wrong key', { ...report('x'), api_key: 'opsroom_sai_khoa' }, 403, /Invalid api_key/],
        ['no service_code', { ...report('x'), service_code: '' }, 400, /service_code is missing/],
        ['unknown service_code', { ...report('x'), service_code: 'KHONG_CO' }, 404, /KHONG_CO/],
        ['bad lat', { ...report('x'), lat: 'abc' }, 400, /lat and long must both be sent/],
        ['lat alone', { ...report('x'), long: '' }, 400, /lat and long must both be sent/],
        ['lat out of range', { ...report('x'), lat: '123' }, 400, /lat must be from -90 to 90/],
        ['outside Viet Nam', { ...report('x'), lat: '48.85', long: '2.35' }, 400, /./],
        ['no place', noPoint, 400, /location is missing/],
        ['unknown commune', { ...noPoint, address_id: '99999' }, 400, /99999/],
        ['no commune named', { ...noPoint, address_string: 'Zzyzx' }, 400, /No commune is named/],
        ['several communes', { ...noPoint, address_string: 'Tan' }, 400, /matches several/],
        ['empty description', { ...report(''), description: ' ' }, 400, /description/],
        ['long description', report('x'.repeat(4001)), 400, /description/],
        ['bad phone', { ...report('x'), phone: '111111111' }, 400, /phone/],
        ['bad media_url', { ...report('x'), media_url: 'javascript:alert(1)' }, 400, /media_url/],
      ];
      for (const [label, fields, status, message] of cases) {
        const j = await post('/open311/v2/requests.json?locale=en', fields);
        assert.equal(j.status, status, `${label}: ${j.text}`);
        assert.ok(Array.isArray(j.json), label);
        assert.deepEqual(Object.keys(j.json[0]).sort(), spec.keys, label);
        assert.equal(j.json[0].code, status, label);
        assert.match(j.json[0].description, message, label);
        const x = await post('/open311/v2/requests.xml', fields);
        assert.equal(x.status, status, label);
        const { root } = parseXml(x.text);
        assert.equal(root.name, spec.root);
        assert.deepEqual(names(root), [spec.item]);
        assert.deepEqual(names(child(root, 'error')), spec.fields);
        assert.equal(textOf(child(root, 'error'), 'code'), String(status));
      }
      // Vietnamese unless English is asked.
      const vi = await post('/open311/v2/requests.json', { ...report('x'), service_code: '' });
      assert.match(vi.json[0].description, /^Thiếu service_code/);
      // JSON is not the spec's encoding.
      const asJson = await anon.post('/open311/v2/requests.json', report('x'));
      assert.equal(asJson.status, 400);
      assert.match(asJson.json[0].description, /x-www-form-urlencoded/);
      const r = await post('/open311/v2/requests.json', { ...report('x'), api_key: revoked.token });
      assert.equal(r.status, 403, r.text);
      assert.deepEqual(await counts(), before, 'nothing stored');
    });

    it('applies a post once for one Idempotency-Key, answering the first answer again', async () => {
      const before = await counts();
      const headers = { 'idempotency-key': 'o311-key-1' };
      const first = await post('/open311/v2/requests.xml', report('Cây đổ chắn đường'), {
        headers,
      });
      assert.equal(first.status, 200, first.text);
      const again = await post('/open311/v2/requests.xml', report('Cây đổ chắn đường'), {
        headers,
      });
      assert.equal(again.status, 200);
      assert.equal(again.headers.get('idempotent-replayed'), 'true');
      assert.equal(again.text, first.text);
      assert.equal((await counts()).reports, before.reports + 1);
      posted.push(textOf(child(parseXml(first.text).root, 'request'), 'service_request_id'));
    });

    it('lists requests in the spec’s shape, JSON and XML, with nothing of the contact', async () => {
      const code = posted[0]!;
      const spec = specShape(SPEC_REQUESTS_XML, SPEC_REQUESTS_JSON);
      const j = await anon.get('/open311/v2/requests.json?jurisdiction_id=opsroom.gov.vn');
      assert.equal(j.status, 200, j.text);
      assert.ok(Array.isArray(j.json));
      assert.equal(j.json.length, posted.length);
      for (const item of j.json) assert.deepEqual(Object.keys(item).sort(), spec.keys);
      const item = j.json.find(
        (x: { service_request_id: string }) => x.service_request_id === code,
      );
      const expected: Record<string, unknown> = {
        service_request_id: code,
        status: 'open',
        status_notes: null,
        service_name: 'Thủ tục hành chính',
        service_code: 'THU_TUC_HANH_CHINH',
        description: 'Hồ sơ cấp phép xây dựng trễ hẹn 3 tuần',
        agency_responsible: 'Phường Bến Thành',
        service_notice: 'Hạn trả lời: 17:00 30/11/2026',
        requested_datetime: '2026-11-23T10:00:00+07:00',
        updated_datetime: '2026-11-23T10:00:00+07:00',
        expected_datetime: '2026-11-30T17:00:00+07:00',
        address: 'Phường Bến Thành, Thành phố Hồ Chí Minh',
        address_id: '26743',
        zipcode: null,
        lat: 10.7725,
        long: 106.698,
        media_url: null,
      };
      assert.deepEqual(item, expected);
      assertNoContact(j.text);

      const x = await anon.get('/open311/v2/requests.xml');
      assert.equal(x.status, 200);
      assert.equal(x.headers.get('content-type'), 'text/xml; charset=utf-8');
      const { decl, root } = parseXml(x.text);
      assert.equal(decl.encoding, 'utf-8');
      assert.equal(root.name, spec.root);
      assert.equal(root.children.length, j.json.length);
      for (const el of root.children) {
        assert.equal(el.name, spec.item);
        assert.deepEqual(names(el), spec.fields);
      }
      const el = root.children.find((e) => textOf(e, 'service_request_id') === code)!;
      for (const f of spec.fields)
        assert.equal(textOf(el, f), expected[f] === null ? '' : String(expected[f] as string), f);
      assertNoContact(x.text);
    });

    it('gives one request as a list of one, its token, and 404 in the spec’s shape for an unknown one', async () => {
      const code = posted[0]!;
      const spec = specShape(SPEC_REQUESTS_XML, SPEC_REQUESTS_JSON);
      const j = await anon.get(`/open311/v2/requests/${code}.json`);
      assert.equal(j.status, 200, j.text);
      assert.equal(j.json.length, 1);
      assert.deepEqual(Object.keys(j.json[0]).sort(), spec.keys);
      assert.equal(j.json[0].service_request_id, code);
      // As a citizen may type it.
      const typed = await anon.get(
        `/open311/v2/requests/${code.toLowerCase().replace(/-/g, '')}.xml`,
      );
      assert.equal(typed.status, 200, typed.text);
      const { root } = parseXml(typed.text);
      assert.equal(root.name, spec.root);
      assert.deepEqual(names(root), [spec.item]);
      assert.deepEqual(names(child(root, 'request')), spec.fields);

      const token = specShape(SPEC_TOKEN_XML, SPEC_TOKEN_JSON);
      const tj = await anon.get(`/open311/v2/tokens/${code}.json`);
      assert.equal(tj.status, 200, tj.text);
      assert.deepEqual(Object.keys(tj.json[0]).sort(), token.keys);
      assert.deepEqual(tj.json, [{ service_request_id: code, token: code }]);
      const tx = parseXml((await anon.get(`/open311/v2/tokens/${code}.xml`)).text).root;
      assert.equal(tx.name, token.root);
      assert.deepEqual(names(child(tx, 'request')), token.fields);

      const errSpec = specShape(SPEC_ERROR_XML, SPEC_ERROR_JSON);
      for (const path of [
        '/open311/v2/requests/PA-2222-2222.json?locale=en',
        '/open311/v2/requests/khong-co.json?locale=en',
        '/open311/v2/tokens/PA-2222-2222.json?locale=en',
      ]) {
        const r = await anon.get(path);
        assert.equal(r.status, 404, path);
        assert.deepEqual(Object.keys(r.json[0]).sort(), errSpec.keys);
        assert.equal(r.json[0].code, 404);
        assert.match(r.json[0].description, /^No service request/);
      }
      const nx = await anon.get('/open311/v2/requests/PA-2222-2222.xml');
      assert.equal(nx.status, 404);
      assert.deepEqual(names(child(parseXml(nx.text).root, 'error')), errSpec.fields);
    });

    it('filters by status, service, dates and ids, pages, and maps every status to open or closed', async () => {
      // A day later: one refused, one answered (with a photo), one acknowledged.
      now = vnTime('2026-11-24T09:00:00');
      const refused = await file('Phản ánh trùng lặp');
      const answered = await file('Hỏi về thủ tục đăng ký hộ kinh doanh');
      const working = await file('Hồ sơ chưa được trả');
      const photo = await t.services.store.repos.attachments.insert({
        fileName: 'ho-so.png',
        contentType: 'image/png',
        bytes: PNG,
        createdBy: 'citizen:x',
        at: now,
      });
      await t.database.db
        .updateTable('attachment')
        .set({ owner_kind: 'citizen_report', owner_id: await idOf(answered) })
        .where('id', '=', photo.id)
        .execute();
      now = vnTime('2026-11-24T11:00:00');
      // A day on, the officer signs in again (sessions end when idle).
      const officer = ApiClient.for(t.services);
      assert.equal((await officer.login('cb26743', PW)).status, 200);
      const ok = async (p: Promise<{ status: number; text: string }>) => {
        const r = await p;
        assert.equal(r.status, 200, r.text);
      };
      await ok(
        officer.post(`/api/reports/${await idOf(refused)}/refuse`, {
          reason: 'Trùng phản ánh trước',
        }),
      );
      await ok(officer.post(`/api/reports/${await idOf(answered)}/acknowledge`, {}));
      await ok(
        officer.post(`/api/reports/${await idOf(answered)}/answer`, {
          answer: 'Mời ông bà đến bộ phận một cửa',
        }),
      );
      await ok(officer.post(`/api/reports/${await idOf(working)}/acknowledge`, {}));
      await ok(
        officer.post(`/api/reports/${await idOf(working)}/transfer`, {
          unit: '26740',
          reason: 'Thuộc địa bàn phường Sài Gòn',
        }),
      );

      const list = async (query: string) => {
        const r = await anon.get(`/open311/v2/requests.json?${query}`);
        assert.equal(r.status, 200, `${query}: ${r.text}`);
        return r.json as Record<string, any>[]; // eslint-disable-line @typescript-eslint/no-explicit-any
      };
      const ids = (items: { service_request_id?: unknown }[]) =>
        items.map((i) => String(i.service_request_id)).sort();
      const closed = await list('status=closed');
      assert.deepEqual(ids(closed), [refused, answered].sort());
      const byId = Object.fromEntries(closed.map((i) => [i.service_request_id, i]));
      assert.equal(byId[refused]!.status_notes, 'Trùng phản ánh trước');
      assert.equal(byId[refused]!.service_notice, null);
      assert.equal(byId[answered]!.status_notes, 'Mời ông bà đến bộ phận một cửa');
      assert.equal(byId[answered]!.updated_datetime, '2026-11-24T11:00:00+07:00');
      assert.equal(
        byId[answered]!.media_url,
        `http://localhost/api/public/reports/${answered}/photos/${photo.id}`,
      );
      const open = await list('status=open');
      assert.ok(!ids(open).includes(refused) && ids(open).includes(working));
      const moved = open.find((i) => i.service_request_id === working)!;
      assert.equal(moved.status_notes, 'Thuộc địa bàn phường Sài Gòn');
      assert.equal(moved.agency_responsible, 'Phường Sài Gòn');
      assert.equal((await list('status=open,closed')).length, posted.length);
      // The photo's URL is the public one: it answers.
      const img = await anon.download(new URL(byId[answered]!.media_url).pathname);
      assert.equal(img.status, 200);

      // Dates: the requests of the 24th only; a date alone is a day in Viet Nam.
      const day = await list(
        'start_date=2026-11-24T00:00:00%2B07:00&end_date=2026-11-24T23:59:59%2B07:00',
      );
      assert.deepEqual(ids(day), [refused, answered, working].sort());
      assert.deepEqual(ids(await list('start_date=2026-11-24')), ids(day));
      assert.deepEqual(await list('end_date=2026-11-22T00:00:00Z'), []);
      assert.equal((await list('start_date=2026-11-23T00:00:00Z')).length, posted.length);
      // The last 90 days by default: in March, none of November's.
      const later = now;
      now = vnTime('2027-03-01T09:00:00');
      assert.deepEqual(await list(''), []);
      now = later;
      // Service codes and ids (ids override the other filters).
      assert.deepEqual(await list('service_code=AN_NINH_TRAT_TU'), []);
      assert.equal(
        (await list('service_code=AN_NINH_TRAT_TU,THU_TUC_HANH_CHINH')).length,
        posted.length,
      );
      assert.deepEqual(
        ids(await list(`service_request_id=${refused},${working}&status=open&service_code=X`)),
        [refused, working].sort(),
      );
      // Pages, newest first.
      const all = await list('');
      const p1 = await list('page_size=2');
      const p2 = await list('page_size=2&page=2');
      assert.deepEqual(
        [...p1, ...p2].map((i) => i.service_request_id),
        all.slice(0, 4).map((i) => i.service_request_id),
      );
      assert.ok(all[0]!.requested_datetime >= all.at(-1)!.requested_datetime);

      for (const [query, message] of [
        ['status=pending', /status "pending" is not valid/],
        ['start_date=2026-11-40', /start_date .* is not a W3C datetime/],
        ['start_date=yesterday', /is not a W3C datetime/],
        ['start_date=2026-01-01T00:00:00Z&end_date=2026-11-01T00:00:00Z', /more than 90 days/],
        ['start_date=2026-11-02T00:00:00Z&end_date=2026-11-01T00:00:00Z', /must come after/],
        ['page_size=1001', /page_size must be a whole number from 1 to 1000/],
        ['page=0', /page must be/],
      ] as const) {
        const r = await anon.get(`/open311/v2/requests.json?locale=en&${query}`);
        assert.equal(r.status, 400, query);
        assert.equal(r.json[0].code, 400);
        assert.match(r.json[0].description, message, query);
        const x = await anon.get(`/open311/v2/requests.xml?${query}`);
        assert.equal(x.status, 400);
        assert.equal(parseXml(x.text).root.name, 'errors');
      }
    });

    it('gives our full status and the public history with extensions=true, still without the contact', async () => {
      const code = posted[0]!;
      const plain = await anon.get(`/open311/v2/requests/${code}.json`);
      assert.ok(!('extended_attributes' in plain.json[0]), 'not without asking');
      const j = await anon.get(`/open311/v2/requests.json?extensions=true`);
      assert.equal(j.status, 200, j.text);
      const refusedItem = j.json.find(
        (i: { extended_attributes: { opsroom_status: string } }) =>
          i.extended_attributes.opsroom_status === 'refused',
      );
      assert.ok(refusedItem);
      assert.equal(refusedItem.status, 'closed');
      assert.equal(refusedItem.extended_attributes.opsroom_status_label, 'Từ chối xử lý');
      assert.deepEqual(
        refusedItem.notes.map((n: { type: string }) => n.type),
        ['received', 'refused'],
      );
      assert.equal(refusedItem.notes[1].description, 'Trùng phản ánh trước');
      const mine = j.json.find(
        (i: { service_request_id: string }) => i.service_request_id === code,
      );
      assert.equal(mine.extended_attributes.opsroom_status, 'received');
      assert.equal(mine.extended_attributes.agency_code, '26743');
      assert.equal(
        mine.extended_attributes.status_url,
        `http://localhost/api/public/reports/${code}`,
      );
      // The received event's internal note (the media URL) stays with the officers.
      assert.ok(!j.text.includes('anh.example.vn'));
      assertNoContact(j.text);
      const x = await anon.get('/open311/v2/requests.xml?extensions=true&status=closed');
      assert.equal(x.status, 200);
      const { root } = parseXml(x.text);
      for (const el of root.children) {
        assert.ok(names(el).includes('extended_attributes'));
        assert.ok(child(el, 'notes').children.every((n) => n.name === 'note'));
      }
      assertNoContact(x.text);
    });
  });
}
