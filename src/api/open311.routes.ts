import { Hono, type Context } from 'hono';
import { XMLBuilder } from 'fast-xml-parser';
import type { CitizenCategory } from '../contract/citizen.ts';
import { AppError } from '../domain/errors.ts';
import { requestsQuery } from '../domain/open311.ts';
import type { Open311Post, Open311Request } from '../services/open311.service.ts';
import type { AppEnv } from './context.ts';
import { toAppError, wantsEnglish } from './errors.ts';

/**
 * Open311 GeoReport v2 (issue 20): discovery, the service list and a service's definition, and
 * the service requests (POST requests, GET requests, requests/{id}, tokens/{token}), public (no
 * account; posting needs an `api_key`, any active Opsroom token), in JSON and XML as the spec
 * shows them (wiki.open311.org/GeoReport_v2, /Service_Discovery, /GeoReport_v2/Extensions).
 * The format is the path's suffix (`services.xml`, `requests/PA-7KQ2-M9XD.json`); without one,
 * JSON. One jurisdiction per server, so `jurisdiction_id` is accepted and ignored, as the spec
 * allows. Vietnamese by default; English with `locale=en` (or `lang=en`) or an English
 * Accept-Language. Errors are the spec's `[{code, description}]` / `<errors><error>…`: 403 for
 * a missing or wrong api_key, 404 for what does not exist, 400 for the rest. Not in the OpenAPI
 * document: its shapes are the spec's, not Opsroom's.
 */

export const OPEN311_BASE = '/open311/v2';
export const GEOREPORT_V2 = 'http://wiki.open311.org/GeoReport_v2';
const FORMATS = { json: 'application/json', xml: 'text/xml' } as const;
type Format = keyof typeof FORMATS;

const xml = new XMLBuilder({ format: true, ignoreAttributes: false, suppressEmptyNode: false });
const DECLARATION = { '?xml': { '@_version': '1.0', '@_encoding': 'utf-8' } };

/** A resource name and its format, from the last segment of the path (`services.xml`). */
function splitFormat(segment: string): { name: string; format: Format | undefined; bad?: string } {
  const dot = segment.lastIndexOf('.');
  if (dot < 0) return { name: segment, format: 'json' };
  const ext = segment.slice(dot + 1).toLowerCase();
  const name = segment.slice(0, dot);
  return ext === 'json' || ext === 'xml'
    ? { name, format: ext }
    : { name, format: undefined, bad: ext };
}

class Open311Error extends Error {
  constructor(
    readonly status: 400 | 403 | 404,
    readonly vi: string,
    readonly en: string,
  ) {
    super(en);
  }
}

const badFormat = (ext: string) =>
  new Open311Error(
    400,
    `Định dạng "${ext}" không được hỗ trợ: dùng .json hoặc .xml`,
    `Format "${ext}" is not supported: use .json or .xml`,
  );

function english(c: Context<AppEnv>): boolean {
  const asked = c.req.query('locale') ?? c.req.query('lang');
  return asked ? asked.toLowerCase().startsWith('en') : wantsEnglish(c);
}

/** The endpoint's own URL: the request's, or what the trusted proxy in front says it is. */
function endpointUrl(c: Context<AppEnv>): string {
  return `${endpointOrigin(c)}${OPEN311_BASE}`;
}

function endpointOrigin(c: Context<AppEnv>): string {
  const url = new URL(c.req.url);
  if (c.get('edge').proxies > 0) {
    const first = (h: string | undefined) => h?.split(',')[0]?.trim();
    const proto = first(c.req.header('x-forwarded-proto'));
    const host = first(c.req.header('x-forwarded-host'));
    if (proto === 'http' || proto === 'https') url.protocol = `${proto}:`;
    if (host) url.host = host;
  }
  return url.origin;
}

/** One answer in the asked format: JSON as is, XML under `root` with the declaration. */
function answer(
  c: Context<AppEnv>,
  format: Format,
  status: 200 | 400 | 403 | 404,
  body: {
    json: unknown;
    xml: Record<string, unknown>;
  },
) {
  // Public: any site's scripts may read it (civic-tech apps in a browser). Posting needs the
  // api_key in the body, never a cookie, so a foreign page gains nothing it could not send.
  c.header('Access-Control-Allow-Origin', '*');
  if (format === 'xml')
    return c.body(xml.build({ ...DECLARATION, ...body.xml }), status, {
      'Content-Type': 'text/xml; charset=utf-8',
    });
  return c.body(JSON.stringify(body.json), status, {
    'Content-Type': 'application/json; charset=utf-8',
  });
}

/** The spec's HTTP statuses: 403 for the api_key, 404 for what does not exist, else 400. */
const FORBIDDEN = new Set(['forbidden', 'unauthenticated', 'invalid_credentials']);

function errorAnswer(c: Context<AppEnv>, format: Format, e: unknown) {
  let status: 400 | 403 | 404;
  let description: string;
  if (e instanceof Open311Error) {
    status = e.status;
    description = english(c) ? e.en : e.vi;
  } else {
    const err = e instanceof AppError ? e : toAppError(e);
    // A server fault stays one: the spec's shapes are for what the client can fix.
    if (err.status >= 500) throw e;
    status = FORBIDDEN.has(err.code) ? 403 : err.code === 'not_found' ? 404 : 400;
    description = english(c) ? err.messages.en : err.messages.vi;
  }
  const errors = [{ code: status, description }];
  return answer(c, format, status, { json: errors, xml: { errors: { error: errors } } });
}

/** The spec's service list entry, in the asked language. */
function service(s: CitizenCategory, en: boolean) {
  return {
    service_code: s.code,
    service_name: en ? s.nameEn : s.nameVi,
    description: (en ? s.descriptionEn : s.descriptionVi) || s.descriptionVi || s.descriptionEn,
    // No extra attributes yet: a client needs no service definition to post.
    metadata: false,
    type: 'realtime',
    keywords: s.keywords.join(', '),
    group: (en ? s.groupEn : s.groupVi) || s.groupVi || s.groupEn,
  };
}

export function open311Routes() {
  const app = new Hono<AppEnv>();

  /** `discovery`, `services` and `requests` (GET Service Requests), `.json` or `.xml`. */
  app.get(`${OPEN311_BASE}/:resource`, async (c) => {
    const { name, format, bad } = splitFormat(c.req.param('resource'));
    const shown = format ?? 'json';
    try {
      if (name !== 'discovery' && name !== 'services' && name !== 'requests')
        throw notFound(c.req.path);
      if (bad !== undefined) throw badFormat(bad);
      const en = english(c);
      if (name === 'requests') {
        const s = c.get('services');
        const query = requestsQuery((n) => c.req.queries(n) ?? [], s.clock());
        const list = await s.open311.requests(query, readContext(c));
        return requestsAnswer(c, shown, list);
      }
      const categories = c.get('services').citizenCategories;
      if (name === 'services') {
        const list = (await categories.list({ activeOnly: true })).map((s) => service(s, en));
        return answer(c, shown, 200, { json: list, xml: { services: { service: list } } });
      }
      const changeset = ((await categories.changedAt()) ?? new Date(0)).toISOString();
      const discovery = {
        changeset,
        contact: en
          ? 'Ask the Opsroom administrators of this province or ministry for help.'
          : 'Cần hỗ trợ, xin liên hệ quản trị viên Opsroom của tỉnh, thành phố hoặc bộ, ngành.',
        key_service: en
          ? 'An API key is an Opsroom token, issued by an administrator (Administration → Tokens).'
          : 'Khoá API là một token Opsroom do quản trị viên cấp (Quản trị → Token).',
        endpoints: [
          {
            specification: GEOREPORT_V2,
            url: endpointUrl(c),
            changeset,
            type: 'production',
            formats: [FORMATS.xml, FORMATS.json],
          },
        ],
      };
      return answer(c, shown, 200, {
        json: discovery,
        xml: {
          discovery: {
            ...discovery,
            endpoints: {
              endpoint: discovery.endpoints.map((e) => ({ ...e, formats: { format: e.formats } })),
            },
          },
        },
      });
    } catch (e) {
      return errorAnswer(c, shown, e);
    }
  });

  /** `services/{service_code}.(json|xml)`: the service's definition. */
  app.get(`${OPEN311_BASE}/services/:service`, async (c) => {
    const { name: code, format, bad } = splitFormat(c.req.param('service'));
    const shown = format ?? 'json';
    try {
      if (bad !== undefined) throw badFormat(bad);
      const s = await c.get('services').citizenCategories.offered(code);
      if (!s)
        throw new Open311Error(
          404,
          `Không có dịch vụ (lĩnh vực phản ánh) mã "${code}"`,
          `No service with service_code "${code}"`,
        );
      const definition = { service_code: s.code, attributes: [] as unknown[] };
      return answer(c, shown, 200, {
        json: definition,
        xml: { service_definition: { service_code: s.code, attributes: '' } },
      });
    } catch (e) {
      return errorAnswer(c, shown, e);
    }
  });

  /**
   * POST Service Request (`requests.json|xml`): the spec's form encoding, or multipart. The
   * report is made at once: the answer's service_request_id is its tracking code.
   */
  app.post(`${OPEN311_BASE}/:resource`, async (c) => {
    const { name, format, bad } = splitFormat(c.req.param('resource'));
    const shown = format ?? 'json';
    try {
      if (name !== 'requests') throw notFound(c.req.path);
      if (bad !== undefined) throw badFormat(bad);
      const form = await readForm(c);
      const s = c.get('services');
      const receipt = await s.open311.post(form, {
        requestId: c.get('requestId'),
        lang: english(c) ? 'en' : 'vi',
        origin: endpointOrigin(c),
      });
      return answer(c, shown, 200, {
        json: [receipt],
        xml: { service_requests: { request: [receipt] } },
      });
    } catch (e) {
      return errorAnswer(c, shown, e);
    }
  });

  /** GET Service Request: a list of one, as the spec answers it. */
  app.get(`${OPEN311_BASE}/requests/:id`, async (c) => {
    const { name: id, format, bad } = splitFormat(c.req.param('id'));
    const shown = format ?? 'json';
    try {
      if (bad !== undefined) throw badFormat(bad);
      const one = await c.get('services').open311.request(id, readContext(c));
      return requestsAnswer(c, shown, [one]);
    } catch (e) {
      return errorAnswer(c, shown, e);
    }
  });

  /** GET service_request_id from a token: made at once, the token is the tracking code itself. */
  app.get(`${OPEN311_BASE}/tokens/:token`, async (c) => {
    const { name: token, format, bad } = splitFormat(c.req.param('token'));
    const shown = format ?? 'json';
    try {
      if (bad !== undefined) throw badFormat(bad);
      const found = await c.get('services').open311.token(token);
      return answer(c, shown, 200, {
        json: [found],
        xml: { service_requests: { request: [found] } },
      });
    } catch (e) {
      return errorAnswer(c, shown, e);
    }
  });

  // Anything else under Open311 is the spec's 404, not the web app's page.
  app.all('/open311/*', (c) => {
    const last = c.req.path.split('/').pop() ?? '';
    return errorAnswer(c, splitFormat(last).format ?? 'json', notFound(c.req.path));
  });

  return app;
}

/** The language, the server's origin and whether the extensions are asked (`extensions=true`). */
function readContext(c: Context<AppEnv>) {
  return {
    lang: english(c) ? ('en' as const) : ('vi' as const),
    origin: endpointOrigin(c),
    extensions: c.req.query('extensions')?.toLowerCase() === 'true',
  };
}

/** `service_requests` as the spec's list: JSON as is; XML with `notes` and photos as elements. */
function requestsAnswer(c: Context<AppEnv>, format: Format, list: Open311Request[]) {
  const xmlItem = ({ extended_attributes: ext, notes, ...r }: Open311Request) => ({
    ...r,
    ...(ext
      ? {
          extended_attributes: {
            ...ext,
            photos: { photo: ext.photos },
          },
        }
      : {}),
    ...(notes ? { notes: { note: notes } } : {}),
  });
  return answer(c, format, 200, {
    json: list,
    xml: { service_requests: list.length ? { request: list.map(xmlItem) } : '' },
  });
}

/** The form's fields (text only: Open311 sends media as a URL, never a file). */
async function readForm(c: Context<AppEnv>): Promise<Open311Post> {
  const type = (c.req.header('content-type') ?? '').toLowerCase();
  if (
    !type.startsWith('application/x-www-form-urlencoded') &&
    !type.startsWith('multipart/form-data')
  )
    throw new Open311Error(
      400,
      'Hãy gửi biểu mẫu application/x-www-form-urlencoded (như đặc tả Open311) hoặc multipart/form-data',
      'Send the form as application/x-www-form-urlencoded (as the Open311 spec does) or multipart/form-data',
    );
  const body = await c.req.parseBody({ all: true });
  const field = (name: string): string | undefined => {
    const v = body[name];
    const first = Array.isArray(v) ? v[0] : v;
    return typeof first === 'string' ? first : undefined;
  };
  // attribute[…] (a service definition's answers) is ignored: our services define none.
  return {
    apiKey: field('api_key'),
    serviceCode: field('service_code'),
    lat: field('lat'),
    long: field('long'),
    addressString: field('address_string'),
    addressId: field('address_id'),
    description: field('description'),
    email: field('email'),
    phone: field('phone'),
    mediaUrl: field('media_url'),
  };
}

const notFound = (path: string) =>
  new Open311Error(404, `Không có tài nguyên Open311 ${path}`, `No Open311 resource ${path}`);
