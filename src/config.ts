import { resolve } from 'node:path';
import { z } from 'zod';
import { MIN_PASSWORD } from './domain/accounts.ts';
import { AppError, type Message } from './domain/errors.ts';
import type { NotifySettings } from './services/citizen-notification.service.ts';

/** Settings from the environment; the names are part of the interface scripts rely on. */
export interface Config {
  port: number;
  host: string;
  databaseUrl?: string;
  dataDir: string;
  adminPassword?: string;
  /** Load the demo data on a new database (OPSROOM_DEMO=false to start empty). */
  demo: boolean;
  /** With the demo, its citizens' reports too (OPSROOM_DEMO_REPORTS=false: the browser tests' own). */
  demoReports: boolean;
  /** Mark cookies Secure even when no proxy says the page came over HTTPS. */
  secureCookies: boolean;
  /**
   * Reverse proxies in front that append to X-Forwarded-For (0: none; believed for sign-in
   * throttling per address — only behind proxies you run).
   */
  trustProxy: number;
  /** Requests that may be waiting or running at once before new ones are told 503 `busy`. */
  queueLimit: number;
  /**
   * Telling citizens of an answer (issue 20): email over SMTP, SMS through an HTTP gateway, and
   * the public address for the links; a channel left unset keeps its messages waiting.
   */
  notify: NotifySettings;
}

const TRUE = ['true', '1', 'yes', 'on'];
const FALSE = ['false', '0', 'no', 'off'];

/** What each setting accepts, said to the operator when the value is wrong. */
const EXPECTED: Record<string, Message> = {
  PORT: { vi: 'một số cổng nguyên từ 0 đến 65535', en: 'a whole port number from 0 to 65535' },
  HOST: { vi: 'một địa chỉ hoặc tên máy, không rỗng', en: 'an address or host name' },
  DATABASE_URL: {
    vi: 'một địa chỉ postgres://người-dùng@máy:cổng/cơ-sở-dữ-liệu',
    en: 'a postgres://user@host:port/database URL',
  },
  OPSROOM_DATA_DIR: { vi: 'một đường dẫn thư mục', en: 'a directory path' },
  OPSROOM_ADMIN_PASSWORD: {
    vi: `một mật khẩu ít nhất ${MIN_PASSWORD} ký tự`,
    en: `a password of at least ${MIN_PASSWORD} characters`,
  },
  OPSROOM_DEMO: {
    vi: `true/false (hoặc ${[...TRUE, ...FALSE].join('/')})`,
    en: `true/false (or ${[...TRUE, ...FALSE].join('/')})`,
  },
  OPSROOM_QUEUE_LIMIT: {
    vi: 'một số nguyên từ 1 đến 100000',
    en: 'a whole number from 1 to 100000',
  },
};
EXPECTED.OPSROOM_SECURE_COOKIES = EXPECTED.OPSROOM_DEMO!;
EXPECTED.OPSROOM_DEMO_REPORTS = EXPECTED.OPSROOM_DEMO!;
EXPECTED.OPSROOM_PUBLIC_URL = {
  vi: 'địa chỉ công khai dạng https://máy[:cổng][/đường-dẫn]',
  en: 'the public address, like https://host[:port][/path]',
};
EXPECTED.OPSROOM_SMTP_URL = {
  vi: 'địa chỉ máy chủ thư dạng smtp://người-dùng:mật-khẩu@máy:587 hoặc smtps://…:465',
  en: 'a mail server URL like smtp://user:password@host:587 or smtps://…:465',
};
EXPECTED.OPSROOM_MAIL_FROM = {
  vi: 'địa chỉ người gửi (ten@mien.vn hoặc "Tên <ten@mien.vn>"), bắt buộc khi có OPSROOM_SMTP_URL',
  en: 'the sender (name@domain.vn or "Name <name@domain.vn>"), required with OPSROOM_SMTP_URL',
};
EXPECTED.OPSROOM_SMS_URL = {
  vi: 'địa chỉ cổng SMS dạng http(s)://máy/đường-dẫn',
  en: 'an SMS gateway URL like http(s)://host/path',
};
EXPECTED.OPSROOM_SMS_TOKEN = { vi: 'một chuỗi không rỗng', en: 'a non-empty string' };
/** Settings whose value is a secret: never repeated in an error. */
const SECRET = new Set(['OPSROOM_ADMIN_PASSWORD', 'OPSROOM_SMTP_URL', 'OPSROOM_SMS_TOKEN']);
EXPECTED.OPSROOM_TRUST_PROXY = {
  vi: 'số proxy phía trước (0–10), hoặc true/false',
  en: 'the number of proxies in front (0–10), or true/false',
};

/** The usual spellings of yes and no, in any case. */
const boolean = (fallback: boolean) =>
  z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined) return fallback;
      const s = v.trim().toLowerCase();
      if (TRUE.includes(s)) return true;
      if (FALSE.includes(s)) return false;
      ctx.addIssue({ code: 'custom', message: 'not a yes/no value' });
      return z.NEVER;
    });

const integer = (min: number, max: number, fallback: number) =>
  z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined) return fallback;
      const n = /^\s*\d+\s*$/.test(v) ? Number(v) : Number.NaN;
      if (Number.isInteger(n) && n >= min && n <= max) return n;
      ctx.addIssue({ code: 'custom', message: 'out of range' });
      return z.NEVER;
    });

/** An absolute URL of one of `protocols`, with a host. */
const url = (protocols: string[]) =>
  z
    .string()
    .trim()
    .optional()
    .refine((v) => {
      if (v === undefined) return true;
      try {
        const u = new URL(v);
        return protocols.includes(u.protocol) && u.hostname !== '';
      } catch {
        return false;
      }
    });

const MAIL_FROM = /^(?:[^<>]*<[^<>\s@]+@[^<>\s@]+\.[^<>\s@]+>|[^<>\s@]+@[^<>\s@]+\.[^<>\s@]+)$/;

/** One schema for every setting: parsed and checked once, before anything starts. */
const schema = z
  .object({
    PORT: integer(0, 65535, 3000),
    HOST: z.string().trim().min(1).default('0.0.0.0'),
    DATABASE_URL: z
      .string()
      .optional()
      .refine((v) => {
        if (v === undefined) return true;
        try {
          const u = new URL(v);
          return (u.protocol === 'postgres:' || u.protocol === 'postgresql:') && u.hostname !== '';
        } catch {
          return false;
        }
      }),
    OPSROOM_DATA_DIR: z.string().min(1).default('.opsroom-data'),
    OPSROOM_ADMIN_PASSWORD: z.string().min(MIN_PASSWORD).optional(),
    OPSROOM_DEMO: boolean(true),
    OPSROOM_DEMO_REPORTS: boolean(true),
    OPSROOM_SECURE_COOKIES: boolean(false),
    // How many reverse proxies append to X-Forwarded-For (api/client-address.ts); true = 1.
    OPSROOM_TRUST_PROXY: z
      .string()
      .optional()
      .transform((v, ctx) => {
        if (v === undefined) return 0;
        const s = v.trim().toLowerCase();
        if (TRUE.includes(s)) return 1;
        if (FALSE.includes(s)) return 0;
        const n = /^\d+$/.test(s) ? Number(s) : Number.NaN;
        if (Number.isInteger(n) && n <= 10) return n;
        ctx.addIssue({ code: 'custom', message: 'not a proxy count' });
        return z.NEVER;
      }),
    OPSROOM_QUEUE_LIMIT: integer(1, 100_000, 256),
    // Telling citizens of an answer (services/notification-transports.ts).
    OPSROOM_PUBLIC_URL: url(['http:', 'https:']),
    OPSROOM_SMTP_URL: url(['smtp:', 'smtps:']),
    OPSROOM_MAIL_FROM: z
      .string()
      .trim()
      .optional()
      .refine((v) => v === undefined || MAIL_FROM.test(v)),
    OPSROOM_SMS_URL: url(['http:', 'https:']),
    OPSROOM_SMS_TOKEN: z.string().trim().min(1).optional(),
  })
  .superRefine((s, ctx) => {
    if (s.OPSROOM_SMTP_URL && !s.OPSROOM_MAIL_FROM)
      ctx.addIssue({ code: 'custom', path: ['OPSROOM_MAIL_FROM'], message: 'missing' });
  });

/** Names of the settings, for help texts. */
export const SETTINGS = Object.keys(schema.shape);

/**
 * The settings, checked. A bad value is an AppError naming every bad setting and what it
 * takes (the value itself is repeated, except a password's). An empty value counts as unset,
 * as a shell's `PORT=` means.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const given: Record<string, string | undefined> = {};
  for (const name of SETTINGS) given[name] = env[name] === '' ? undefined : env[name];
  const parsed = schema.safeParse(given);
  if (!parsed.success) {
    const names = [...new Set(parsed.error.issues.map((i) => String(i.path[0])))];
    const problems = names.map((name) => {
      const expected = EXPECTED[name]!;
      if (given[name] === undefined)
        return {
          path: name,
          vi: `cần ${expected.vi}, chưa đặt`,
          en: `expected ${expected.en}, unset`,
        };
      const shown = SECRET.has(name) ? '' : ` "${given[name]}"`;
      return {
        path: name,
        vi: `cần ${expected.vi}, nhận${shown || ' một giá trị khác'}`,
        en: `expected ${expected.en}, got${shown || ' something else'}`,
      };
    });
    throw new AppError(
      'validation_failed',
      {
        vi: `Cấu hình không hợp lệ: ${names.join(', ')}`,
        en: `Invalid setting${names.length > 1 ? 's' : ''}: ${names.join(', ')}`,
      },
      { problems },
    );
  }
  const s = parsed.data;
  return {
    port: s.PORT,
    host: s.HOST,
    databaseUrl: s.DATABASE_URL,
    dataDir: resolve(s.OPSROOM_DATA_DIR),
    adminPassword: s.OPSROOM_ADMIN_PASSWORD,
    demo: s.OPSROOM_DEMO,
    demoReports: s.OPSROOM_DEMO_REPORTS,
    secureCookies: s.OPSROOM_SECURE_COOKIES,
    trustProxy: s.OPSROOM_TRUST_PROXY,
    queueLimit: s.OPSROOM_QUEUE_LIMIT,
    notify: {
      publicUrl: s.OPSROOM_PUBLIC_URL,
      smtpUrl: s.OPSROOM_SMTP_URL,
      mailFrom: s.OPSROOM_MAIL_FROM,
      smsUrl: s.OPSROOM_SMS_URL,
      smsToken: s.OPSROOM_SMS_TOKEN,
    },
  };
}
