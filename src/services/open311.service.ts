import { ReportIntake } from '../contract/citizen-report.ts';
import type { Open311EventRow, Open311RequestRow } from '../db/open311.repo.ts';
import type { Store } from '../db/store.ts';
import {
  REPORT_STATUS_LABELS,
  normalizeTrackingCode,
  type ReportStatus,
} from '../domain/citizen-report.ts';
import type { Clock } from '../domain/dates.ts';
import { AppError, schemaProblems } from '../domain/errors.ts';
import { OPEN311_STATUS, type RequestsQuery } from '../domain/open311.ts';
import { searchWords } from '../domain/text.ts';
import { formatDateTime, type Lang } from '../domain/vn-format.ts';
import type { AuthService } from './auth.service.ts';
import { reportStatusUrl, type CitizenReportService } from './citizen-report.service.ts';
import type { PlaceService } from './place.service.ts';

/**
 * Open311 GeoReport v2's service requests (issue 20) over the citizens' reports: an app posts a
 * report with an API key (any active Opsroom token: filing a report needs no more authority
 * than the public web form, the key names the app in the audit log and can be revoked), reads
 * reports by tracking code or by filters. A report is created at once, so the spec's
 * service_request_id is the tracking code and a "token" is that code too. The records are the
 * spec's, field by field; the citizen's contact and name are never in them.
 */

/** What an app posted, as the form carried it (every field optional; checked here). */
export interface Open311Post {
  apiKey?: string;
  serviceCode?: string;
  lat?: string;
  long?: string;
  addressString?: string;
  addressId?: string;
  description?: string;
  email?: string;
  phone?: string;
  mediaUrl?: string;
}

/** The spec's answer to POST Service Request (one item). */
export interface Open311Receipt {
  service_request_id: string;
  service_notice: string;
  account_id: null;
}

/** The spec's service request (GET Service Requests), with our extension when asked. */
export interface Open311Request {
  service_request_id: string;
  status: 'open' | 'closed';
  status_notes: string | null;
  service_name: string;
  service_code: string;
  description: string;
  agency_responsible: string | null;
  service_notice: string | null;
  requested_datetime: string;
  updated_datetime: string;
  expected_datetime: string;
  address: string | null;
  address_id: string;
  zipcode: null;
  lat: number | null;
  long: number | null;
  media_url: string | null;
  extended_attributes?: Record<string, unknown>;
  notes?: { datetime: string; type: string; summary: string; description: string | null }[];
}

interface Ctx {
  requestId?: string;
  lang: Lang;
  /** The server's origin (https://host), for the photos' absolute URLs. */
  origin: string;
}

const MEDIA_URL_MAX = 2000;

const forbidden = (vi: string, en: string) => new AppError('forbidden', { vi, en });
const invalid = (vi: string, en: string, details?: unknown) =>
  new AppError('validation_failed', { vi, en }, details);

/** W3C datetime in Viet Nam's time, to the second: 2026-11-23T10:00:00+07:00. */
export function w3c(at: Date | string): string {
  const t = new Date(new Date(at).getTime() + 7 * 3_600_000);
  return `${t.toISOString().slice(0, 19)}+07:00`;
}

const UNKNOWN_REQUEST = (id: string) =>
  new AppError(
    'not_found',
    {
      vi: `Không có yêu cầu (phản ánh) nào mang mã "${id.slice(0, 40)}"; mã có dạng PA-7KQ2-M9XD`,
      en: `No service request "${id.slice(0, 40)}"; ids look like PA-7KQ2-M9XD`,
    },
    { service_request_id: id.slice(0, 40) },
  );

export class Open311Service {
  constructor(
    private readonly store: Store,
    private readonly auth: AuthService,
    private readonly places: PlaceService,
    private readonly reports: CitizenReportService,
    private readonly clock: Clock,
  ) {}

  /**
   * POST Service Request: checks the key (403), the service and the place (400, an unknown
   * service 404 as the spec lists it), then files the report as the public form does, with
   * source `open311`. Nothing is stored when any check fails.
   */
  async post(input: Open311Post, ctx: Ctx): Promise<Open311Receipt> {
    const key = input.apiKey?.trim();
    if (!key)
      throw forbidden(
        'Thiếu api_key: hãy gửi một token Opsroom do quản trị viên cấp',
        'api_key is missing: send an Opsroom token issued by an administrator',
      );
    const client = await this.auth.token(key).catch((e: unknown) => {
      if (e instanceof AppError && e.status === 401)
        throw forbidden(
          'api_key không hợp lệ, đã bị thu hồi hoặc đã hết hạn; không thể tạo phản ánh',
          "Invalid api_key received (unknown, revoked or expired) -- can't proceed with create_request",
        );
      throw e;
    });
    const serviceCode = input.serviceCode?.trim();
    if (!serviceCode)
      throw invalid(
        'Thiếu service_code: hãy chọn một dịch vụ trong danh sách (GET services)',
        'service_code is missing: choose a service from the list (GET services)',
      );
    const { place, addressNote } = await this.place(input);
    const mediaUrl = input.mediaUrl?.trim() || undefined;
    if (mediaUrl && !isHttpUrl(mediaUrl))
      throw invalid(
        `media_url phải là một địa chỉ http(s) không quá ${MEDIA_URL_MAX} ký tự`,
        `media_url must be an http(s) URL of at most ${MEDIA_URL_MAX} characters`,
      );
    const contact = {
      ...(input.phone?.trim() ? { phone: input.phone } : {}),
      ...(input.email?.trim() ? { email: input.email } : {}),
    };
    const parsed = ReportIntake.safeParse({
      category: serviceCode,
      description: input.description ?? '',
      place,
      ...(Object.keys(contact).length ? { contact } : {}),
    });
    if (!parsed.success) {
      const first = schemaProblems(parsed.error)[0];
      // The form's names, not the intake's: description, phone, email.
      const field = first?.path.replace(/^contact\./, '') ?? 'body';
      throw invalid(
        `Dữ liệu gửi lên không hợp lệ: ${field} — ${first?.vi ?? ''}`,
        `Invalid request: ${field} — ${first?.en ?? ''}`,
        { issues: schemaProblems(parsed.error) },
      );
    }
    // What came along that is not the citizen's words: for the officers, unchecked.
    const note = [
      `Gửi qua Open311 (${client.name})`,
      addressNote && `Địa chỉ người gửi ghi: ${addressNote}`,
      mediaUrl && `Ảnh/tệp ứng dụng gửi kèm (chưa kiểm tra, không tải về): ${mediaUrl}`,
    ]
      .filter(Boolean)
      .join('\n');
    const receipt = await this.reports
      .receive(parsed.data, {
        requestId: ctx.requestId,
        source: 'open311',
        client: `${client.kind}:${client.id}`,
        note,
      })
      .catch((e: unknown) => {
        if (e instanceof AppError && e.code === 'unknown_category')
          throw new AppError('not_found', e.messages, e.details);
        throw e;
      });
    const due = formatDateTime(ctx.lang, receipt.answerDue);
    return {
      service_request_id: receipt.code,
      service_notice:
        ctx.lang === 'en'
          ? `Received and sent to ${receipt.handler.name} to handle; answer due by ${due} (Viet Nam time). Follow it with the code ${receipt.code}.`
          : `Đã tiếp nhận và chuyển ${receipt.handler.name} xử lý; hạn trả lời ${due}. Theo dõi bằng mã ${receipt.code}.`,
      account_id: null,
    };
  }

  /**
   * The place: a point (lat and long), else a commune code (address_id), else a commune found
   * by its name (address_string) when the name picks exactly one. With a point, the address
   * string only describes the spot: it is kept as a note.
   */
  private async place(input: Open311Post) {
    const lat = input.lat?.trim();
    const lon = input.long?.trim();
    const addressString = input.addressString?.trim() || undefined;
    if (lat || lon) {
      const p = { lat: Number(lat), lon: Number(lon) };
      if (!lat || !lon || !Number.isFinite(p.lat) || !Number.isFinite(p.lon))
        throw invalid(
          'lat và long phải cùng được gửi, là số thập phân (WGS 84), ví dụ lat=10.7725&long=106.698',
          'lat and long must both be sent as decimal numbers (WGS 84), e.g. lat=10.7725&long=106.698',
          { lat: lat?.slice(0, 30) ?? null, long: lon?.slice(0, 30) ?? null },
        );
      if (Math.abs(p.lat) > 90 || Math.abs(p.lon) > 180)
        throw invalid(
          'Vĩ độ (lat) phải từ -90 đến 90 và kinh độ (long) từ -180 đến 180',
          'lat must be from -90 to 90 and long from -180 to 180',
          p,
        );
      return { place: p, addressNote: addressString };
    }
    const addressId = input.addressId?.trim();
    if (addressId) return { place: { unit: addressId }, addressNote: addressString };
    if (addressString) {
      const found = await this.places.search(addressString, { limit: 5 });
      const wanted = searchWords(addressString).join(' ');
      const exact = found.items.filter((i) =>
        [i.commune.name, i.commune.fullName].some((n) => searchWords(n).join(' ') === wanted),
      );
      const pick = found.items.length === 1 ? found.items : exact.length === 1 ? exact : [];
      if (pick.length === 1)
        return { place: { unit: pick[0]!.commune.code }, addressNote: undefined };
      if (!found.items.length)
        throw invalid(
          `Không tìm thấy xã, phường, đặc khu nào tên "${addressString.slice(0, 80)}"; hãy gửi lat và long, hoặc mã xã (address_id)`,
          `No commune is named "${addressString.slice(0, 80)}"; send lat and long, or the commune's code (address_id)`,
          { address_string: addressString.slice(0, 80) },
        );
      const names = found.items
        .map(
          (i) =>
            `${i.commune.fullName}${i.province ? `, ${i.province.name}` : ''} (${i.commune.code})`,
        )
        .join('; ');
      throw invalid(
        `"${addressString.slice(0, 80)}" ứng với nhiều xã, phường: ${names}${found.total > found.items.length ? '; …' : ''}. Hãy gửi mã xã (address_id) hoặc lat và long`,
        `"${addressString.slice(0, 80)}" matches several communes: ${names}${found.total > found.items.length ? '; …' : ''}. Send the commune's code (address_id), or lat and long`,
        {
          address_string: addressString.slice(0, 80),
          candidates: found.items.map((i) => i.commune.code),
        },
      );
    }
    throw invalid(
      'Thiếu vị trí: hãy gửi lat và long, hoặc address_string (tên xã, phường), hoặc address_id (mã xã)',
      "The location is missing: send lat and long, or address_string (the commune's name), or address_id (the commune's code)",
    );
  }

  /** GET Service Requests: a page, newest first. */
  async requests(q: RequestsQuery, ctx: Ctx & { extensions: boolean }): Promise<Open311Request[]> {
    const codes = q.codes?.map((c) => normalizeTrackingCode(c) ?? c.slice(0, 40));
    const rows = await this.store.repos.open311.requests({
      ...(codes ? { codes } : {}),
      ...(q.services ? { services: q.services } : {}),
      ...(q.statuses ? { statuses: q.statuses } : {}),
      start: q.start,
      end: q.end,
      limit: q.pageSize,
      offset: (q.page - 1) * q.pageSize,
    });
    return this.present(rows, ctx);
  }

  /** GET Service Request: one, by its id (the tracking code); 404 when there is none. */
  async request(id: string, ctx: Ctx & { extensions: boolean }): Promise<Open311Request> {
    const code = normalizeTrackingCode(id);
    const rows = code
      ? await this.store.repos.open311.requests({
          codes: [code],
          start: new Date(0),
          end: this.clock(),
          limit: 1,
          offset: 0,
        })
      : [];
    if (!rows.length) throw UNKNOWN_REQUEST(id);
    return (await this.present(rows, ctx))[0]!;
  }

  /** GET service_request_id from a token: our requests are made at once, the token is the id. */
  async token(token: string): Promise<{ service_request_id: string; token: string }> {
    const code = normalizeTrackingCode(token);
    const r = code ? await this.store.repos.citizenReports.byCode(code) : undefined;
    if (!r) throw UNKNOWN_REQUEST(token);
    return { service_request_id: r.code, token: r.code };
  }

  private async present(
    rows: Open311RequestRow[],
    ctx: Ctx & { extensions: boolean },
  ): Promise<Open311Request[]> {
    const en = ctx.lang === 'en';
    const ids = rows.map((r) => r.id);
    const [events, photos] = ctx.extensions
      ? await Promise.all([
          this.store.repos.open311.events(ids),
          this.store.repos.open311.photos(ids),
        ])
      : [[] as Open311EventRow[], [] as { report_id: number; id: number }[]];
    const photoUrl = (code: string, id: number) =>
      `${ctx.origin}${reportStatusUrl(code)}/photos/${id}`;
    return rows.map((r) => {
      const status = r.status;
      const province = r.province_code !== r.place_code ? r.province_name : null;
      const base: Open311Request = {
        service_request_id: r.code,
        status: OPEN311_STATUS[status],
        status_notes:
          status === 'refused'
            ? r.refused_reason
            : status === 'answered' || status === 'closed'
              ? r.answer
              : r.last_note,
        service_name: en ? r.category_name_en : r.category_name_vi,
        service_code: r.category_code,
        description: r.description,
        agency_responsible: r.handler_name ?? r.handler_code,
        service_notice:
          OPEN311_STATUS[status] === 'open'
            ? en
              ? `Answer due by ${formatDateTime('en', r.answer_due)} (Viet Nam time)`
              : `Hạn trả lời: ${formatDateTime('vi', r.answer_due)}`
            : null,
        requested_datetime: w3c(r.created_at),
        updated_datetime: w3c(r.updated_at),
        expected_datetime: w3c(r.answer_due),
        address: [r.place_name ?? r.place_code, province].filter(Boolean).join(', '),
        address_id: r.place_code,
        zipcode: null,
        lat: r.lat,
        long: r.lon,
        media_url: r.first_photo === null ? null : photoUrl(r.code, r.first_photo),
      };
      if (!ctx.extensions) return base;
      const label = REPORT_STATUS_LABELS[status];
      return {
        ...base,
        extended_attributes: {
          opsroom_status: status,
          opsroom_status_label: en ? label.en : label.vi,
          agency_code: r.handler_code,
          province_code: r.province_code !== r.place_code ? r.province_code : null,
          province: province,
          acknowledge_due: w3c(r.acknowledge_due),
          acknowledged_datetime: r.acknowledged_at && w3c(r.acknowledged_at),
          answered_datetime: r.answered_at && w3c(r.answered_at),
          closed_datetime: r.closed_at && w3c(r.closed_at),
          reopen_until: r.reopen_until && w3c(r.reopen_until),
          rating: r.rating,
          status_url: `${ctx.origin}${reportStatusUrl(r.code)}`,
          photos: photos
            .filter((p) => p.report_id === r.id)
            .map((p) => ({ media_url: photoUrl(r.code, p.id) })),
        },
        notes: events
          .filter((e) => e.report_id === r.id)
          .map((e) => {
            const l = REPORT_STATUS_LABELS[e.status as ReportStatus];
            return {
              datetime: w3c(e.at),
              type: e.kind,
              summary: l ? (en ? l.en : l.vi) : e.status,
              description: e.public_note,
            };
          }),
      };
    });
  }
}

function isHttpUrl(s: string): boolean {
  if (s.length > MEDIA_URL_MAX) return false;
  try {
    const u = new URL(s);
    return u.protocol === 'http:' || u.protocol === 'https:';
  } catch {
    return false;
  }
}
