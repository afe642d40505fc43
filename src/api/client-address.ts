import { isIP } from 'node:net';
import type { IncomingMessage } from 'node:http';
import type { Context } from 'hono';
import { getConnInfo } from '@hono/node-server/conninfo';

/**
 * The client address that sign-in throttling counts failures by. It comes from the socket;
 * `X-Forwarded-For` is believed only when OPSROOM_TRUST_PROXY says reverse proxies are in front
 * (anyone can send the header, so otherwise it would let one client pose as many).
 */

/** Names the caller only when a request has no socket: tests calling the app in process. */
export const TEST_ADDRESS_HEADER = 'x-opsroom-test-address';

type NodeBindings = { incoming?: IncomingMessage; server?: { incoming?: IncomingMessage } };

/** `proxies`: OPSROOM_TRUST_PROXY, how many reverse proxies in front append to X-Forwarded-For. */
export function clientAddress(c: Context, proxies: number): string {
  const env = c.env as NodeBindings | undefined;
  if (!env?.incoming && !env?.server?.incoming) {
    // No socket: the app is called in process (tests). A real server always has one, so the
    // header cannot be used to pose as another address there.
    return normaliseAddress(c.req.header(TEST_ADDRESS_HEADER) ?? 'unknown');
  }
  const socket = getConnInfo(c).remote.address ?? 'unknown';
  if (proxies > 0) {
    // Each proxy appends the address it received from; the one our first proxy saw is the
    // `proxies`-th from the right — entries further left were written by the client.
    const hops = (c.req.header('x-forwarded-for') ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    const forwarded = hops[Math.max(0, hops.length - proxies)];
    if (forwarded && isIP(stripZone(forwarded))) return normaliseAddress(forwarded);
  }
  return normaliseAddress(socket);
}

const stripZone = (a: string) => a.replace(/%.*$/, '');

/**
 * One key per client: IPv4 as it is (an IPv4-mapped IPv6 address as IPv4), IPv6 by its /64
 * network — a single host is usually given a whole /64, so counting single addresses there
 * would let it take a fresh address for every guess.
 */
export function normaliseAddress(raw: string): string {
  const a = stripZone(raw.trim().toLowerCase());
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(a);
  if (mapped) return mapped[1]!;
  if (isIP(a) === 4) return a;
  // Not an address (only in process: 'unknown' or a test's name): kept tame for the database.
  if (isIP(a) !== 6) return a.replace(/[^\w.:-]/g, '').slice(0, 100) || 'unknown';
  const [head = '', tail] = a.split('::');
  const left = head ? head.split(':') : [];
  const right = tail === undefined ? [] : tail ? tail.split(':') : [];
  // A trailing dotted IPv4 part stands for two groups.
  const width = (parts: string[]) => parts.reduce((n, p) => n + (p.includes('.') ? 2 : 1), 0);
  const groups = [...left, ...Array<string>(8 - width(left) - width(right)).fill('0'), ...right];
  return `${groups
    .slice(0, 4)
    .map((g) => parseInt(g, 16).toString(16))
    .join(':')}::/64`;
}
