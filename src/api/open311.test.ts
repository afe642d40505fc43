import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { SaxesParser } from 'saxes';
import { ADMIN_PASSWORD, openTestDb, testEngines, type TestDb } from '../test/harness.ts';
import { ApiClient } from '../test/http.ts';

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
      const gone = await anon.get('/open311/v2/requests.xml');
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
