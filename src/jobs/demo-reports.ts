import sharp from 'sharp';
import { actionsOfRole, type Actor } from '../domain/access.ts';
import { ROOT_CODE } from '../domain/hierarchy.ts';
import { CitizenReportService } from '../services/citizen-report.service.ts';
import type { Services } from '../services/index.ts';
import { attachmentKey } from '../services/task.service.ts';

/**
 * The demo's citizens' reports (issue 20): a few weeks of reports in the central wards of Hà Nội
 * and Hồ Chí Minh City, filed, acknowledged, answered (with a photo where the category asks),
 * closed, rated, refused or still open — each through the report service at its own time, so
 * the inbox, the public answers, the status pages and the response-time figures show what a
 * running office would. Deterministic; installed once, on a database without any report.
 */

/** Reports made; each goes through 2–5 steps (≈ 0.1 s each on the embedded engine). */
export const DEMO_REPORTS = 60;
const DAYS = 45;

/** Wards of the 2025 tree in Hà Nội and Hồ Chí Minh City. */
const WARDS = [
  '00004', // Ba Đình
  '00070', // Hoàn Kiếm
  '00091', // Phú Thượng
  '00103', // Tây Hồ
  '00229', // Kim Liên
  '26740', // Sài Gòn
  '26743', // Bến Thành
  '26758', // Cầu Ông Lãnh
  '27004', // Tân Bình
  '27043', // Đức Nhuận
];

const STREETS = [
  'Lê Lợi',
  'Nguyễn Huệ',
  'Hai Bà Trưng',
  'Trần Hưng Đạo',
  'Phan Đình Phùng',
  'Hàng Bông',
  'Lý Thường Kiệt',
  'Cách Mạng Tháng Tám',
  'Nguyễn Thị Minh Khai',
  'Điện Biên Phủ',
];

/** What citizens write and what the ward answers, by category. */
const STORIES: Record<string, { asks: string[]; answers: string[] }> = {
  HA_TANG_DO_THI: {
    asks: [
      'Ổ gà lớn giữa đường trước số {n} {s}, xe máy đi qua rất nguy hiểm, nhất là buổi tối',
      'Đèn đường trên đoạn {s} gần số {n} bị tắt nhiều ngày, cả dãy phố tối om',
      'Nắp cống trước nhà số {n} {s} bị vỡ, có người đi bộ suýt sụp chân',
      'Vỉa hè đoạn {s} số {n} bị bong gạch, người già đi lại khó khăn',
    ],
    answers: [
      'Phường đã phối hợp đơn vị duy tu vá mặt đường, hoàn thành trong ngày. Ảnh kèm theo.',
      'Đã thay bóng và sửa tủ điện chiếu sáng, đèn hoạt động bình thường từ tối nay.',
      'Đã thay nắp cống mới và rào chắn trong lúc thi công. Cảm ơn ông/bà đã phản ánh.',
    ],
  },
  O_NHIEM_MOI_TRUONG: {
    asks: [
      'Rác thải tồn đọng ở góc {s} gần số {n} nhiều ngày chưa thu gom, bốc mùi',
      'Quán ăn số {n} {s} xả nước thải ra lòng đường, mùi hôi khó chịu',
      'Công trình xây dựng số {n} {s} không che chắn, bụi bay mù mịt',
      'Tiếng ồn từ quán karaoke số {n} {s} kéo dài sau 22 giờ',
    ],
    answers: [
      'Tổ vệ sinh môi trường đã thu gom toàn bộ rác và tăng tần suất thu gom tại điểm này.',
      'Đã kiểm tra, lập biên bản và yêu cầu cơ sở khắc phục; sẽ tái kiểm tra sau 3 ngày.',
      'Chủ công trình đã lắp lưới che và tưới nước giảm bụi theo yêu cầu của phường.',
    ],
  },
  THU_TUC_HANH_CHINH: {
    asks: [
      'Xin hỏi thủ tục đăng ký thường trú cho con mới sinh, hồ sơ gồm những gì (số {n})',
      'Hồ sơ cấp đổi giấy chứng nhận nộp tại bộ phận một cửa đã quá hẹn {n} ngày chưa có kết quả',
      'Xin hướng dẫn đăng ký hộ kinh doanh tại nhà số {n} {s}',
      'Tôi muốn chứng thực bản sao giấy tờ vào thứ Bảy có được không (hồ sơ {n})',
    ],
    answers: [
      'Mời ông/bà mang giấy chứng sinh và CCCD của cha mẹ đến bộ phận một cửa; thời hạn giải quyết 7 ngày làm việc.',
      'Hồ sơ đã có kết quả, mời ông/bà đến nhận tại bộ phận một cửa. Phường xin lỗi vì sự chậm trễ.',
      'Có thể nộp trực tuyến trên Cổng Dịch vụ công quốc gia; phường hỗ trợ tại bộ phận một cửa giờ hành chính.',
    ],
  },
  AN_NINH_TRAT_TU: {
    asks: [
      'Nhóm thanh niên tụ tập đua xe trên đường {s} đoạn gần số {n} khoảng 23 giờ các đêm cuối tuần',
      'Hàng quán lấn chiếm vỉa hè trước số {n} {s}, người đi bộ phải xuống lòng đường',
      'Xe ô tô đỗ chắn lối vào hẻm {n} {s} nhiều ngày',
    ],
    answers: [
      'Công an phường đã tăng cường tuần tra vào ban đêm tại khu vực được phản ánh.',
      'Đội trật tự đô thị đã nhắc nhở, xử lý vi phạm và yêu cầu trả lại vỉa hè.',
    ],
  },
};
const CATEGORIES = Object.keys(STORIES);

/** A small deterministic generator (mulberry32), so two installs show the same demo. */
function rng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** An answer's photo: a plain picture saying it is the demo's. */
function demoPhoto(hue: number): Promise<Buffer> {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="800" height="600">
    <defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1">
      <stop offset="0" stop-color="hsl(${hue},45%,55%)"/><stop offset="1" stop-color="hsl(${(hue + 40) % 360},40%,35%)"/>
    </linearGradient></defs>
    <rect width="800" height="600" fill="url(#g)"/>
    <text x="400" y="300" font-family="DejaVu Sans, sans-serif" font-size="40" fill="#fff"
      text-anchor="middle">Ảnh minh họa – dữ liệu mẫu</text></svg>`;
  return sharp(Buffer.from(svg)).jpeg({ quality: 70 }).toBuffer();
}

const HOUR = 3_600_000;

export async function loadDemoReports(
  services: Services,
  opts: { now?: Date; count?: number } = {},
): Promise<{ created: number }> {
  const repos = services.store.repos;
  if (await repos.citizenReports.any()) return { created: 0 };
  const admin = await repos.accounts.userByName('admin');
  const version = await services.hierarchy.resolveVersion();
  if (!admin || !version) return { created: 0 };
  const wards = (
    await repos.orgUnits.byCodes(version, WARDS, new Date().toISOString().slice(0, 10))
  ).values();
  const places = [...wards].map((u) => u.code);
  if (places.length === 0) return { created: 0 };

  // The ward's officer: the demo's admin, named as the office that answers.
  const officer: Actor = {
    kind: 'user',
    id: String(admin.id),
    name: 'admin',
    displayName: 'Bộ phận một cửa (dữ liệu mẫu)',
    role: 'admin',
    permissions: actionsOfRole('admin'),
    scope: { version, code: ROOT_CODE, path: `/${ROOT_CODE}/` },
  };
  let clock = new Date();
  const service = new CitizenReportService(
    services.store,
    services.hierarchy,
    services.places,
    services.tasks,
    services.workingCalendars,
    () => clock,
    services.citizenNotifications,
  );
  const now = opts.now ?? services.clock();
  const random = rng(20_251_201);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(random() * xs.length)]!;
  const photos = await Promise.all([demoPhoto(200), demoPhoto(30), demoPhoto(120)]);
  const count = opts.count ?? DEMO_REPORTS;

  // Received at office-ish hours over the last DAYS days, oldest first.
  const times = Array.from({ length: count }, () => {
    const day = Math.floor(random() * DAYS);
    const hour = 7 + Math.floor(random() * 14);
    return new Date(now.getTime() - day * 24 * HOUR - (now.getTime() % (24 * HOUR)) + hour * HOUR);
  }).sort((a, b) => a.getTime() - b.getTime());

  let created = 0;
  const written = new Set<string>();
  for (const [i, receivedAt] of times.entries()) {
    if (receivedAt > now) continue;
    const category = pick(CATEGORIES);
    const story = STORIES[category]!;
    // Each text once: the same text again is held as a repeat by moderation.
    let description: string;
    do
      description = pick(story.asks)
        .replace('{n}', String(2 + Math.floor(random() * 240)))
        .replace('{s}', pick(STREETS));
    while (written.has(description));
    written.add(description);
    clock = receivedAt;
    const receipt = await service.receive(
      { category, description, place: { unit: pick(places) }, photos: [] },
      { requestId: `demo-report-${i}` },
    );
    created++;
    const id = (await repos.citizenReports.byCode(receipt.code))!.id;
    const answerDue = new Date(receipt.answerDue);
    const fate = random();
    const at = (t: Date) => {
      clock = t > now ? now : t;
      return clock;
    };
    // A few stay as received (the newest, and some forgotten: overdue on the room).
    if (fate < 0.08) continue;
    at(new Date(receivedAt.getTime() + (0.5 + random() * 6) * HOUR));
    if (clock >= now) continue;
    await service.acknowledge(officer, id);
    if (fate < 0.18) continue; // in progress
    if (fate < 0.22) {
      at(new Date(clock.getTime() + 4 * HOUR));
      await service.refuse(
        officer,
        id,
        'Nội dung không thuộc thẩm quyền của phường; đề nghị liên hệ Sở Xây dựng',
      );
      continue;
    }
    // Answered: most before the deadline, some after it.
    const late = fate > 0.85;
    const span = answerDue.getTime() - receivedAt.getTime();
    const answeredAt = new Date(
      receivedAt.getTime() + span * (late ? 1.1 + random() * 0.8 : 0.15 + random() * 0.8),
    );
    if (answeredAt >= now) continue;
    at(answeredAt);
    const attachmentIds: number[] = [];
    if (category === 'HA_TANG_DO_THI' || category === 'O_NHIEM_MOI_TRUONG') {
      const file = await repos.attachments.insert({
        fileName: 'anh-minh-hoa.jpg',
        contentType: 'image/jpeg',
        bytes: pick(photos),
        createdBy: attachmentKey(officer),
        at: clock,
      });
      attachmentIds.push(file.id);
    }
    await service.answer(officer, id, { answer: pick(story.answers), attachmentIds });
    // The citizen rates most answers within a couple of days; then the ward closes.
    const ratedAt = new Date(answeredAt.getTime() + (2 + random() * 40) * HOUR);
    if (random() < 0.6 && ratedAt < now) {
      at(ratedAt);
      const stars = late ? 2 + Math.floor(random() * 3) : 3 + Math.floor(random() * 3);
      await service.rate(receipt.code, stars, undefined);
    }
    const closedAt = new Date(answeredAt.getTime() + 72 * HOUR);
    if (closedAt < now && random() < 0.7) {
      at(closedAt);
      await service.close(officer, id, { note: 'Đã xử lý xong' });
    }
  }
  return { created };
}
