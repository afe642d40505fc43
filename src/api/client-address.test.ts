import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Hono } from 'hono';
import { TEST_ADDRESS_HEADER, clientAddress, normaliseAddress } from './client-address.ts';

/** What the sign-in throttle counts by: the socket, X-Forwarded-For only behind a trusted proxy. */

async function addressOf(
  proxies: number,
  headers: Record<string, string>,
  socket: string | undefined,
): Promise<string> {
  const app = new Hono();
  app.get('/', (c) => c.text(clientAddress(c, proxies)));
  // @hono/node-server hands the Node request over as `env.incoming`; in process there is none.
  const env = socket ? { incoming: { socket: { remoteAddress: socket } } } : undefined;
  const res = await app.request('/', { headers }, env);
  return res.text();
}

describe('client address', () => {
  it('is the socket peer; headers are ignored when no proxy is trusted', async () => {
    const spoof = { 'x-forwarded-for': '1.2.3.4', [TEST_ADDRESS_HEADER]: '5.6.7.8' };
    assert.equal(await addressOf(0, spoof, '203.0.113.9'), '203.0.113.9');
    assert.equal(await addressOf(0, {}, '::ffff:203.0.113.9'), '203.0.113.9');
  });

  it("behind trusted proxies is the entry the first proxy wrote, not the client's own", async () => {
    const xff = { 'x-forwarded-for': '6.6.6.6, 198.51.100.4' };
    assert.equal(await addressOf(1, xff, '10.0.0.2'), '198.51.100.4');
    assert.equal(await addressOf(2, xff, '10.0.0.2'), '6.6.6.6');
    assert.equal(await addressOf(1, { 'x-forwarded-for': 'junk' }, '10.0.0.2'), '10.0.0.2');
    assert.equal(await addressOf(1, {}, '10.0.0.2'), '10.0.0.2');
  });

  it('in process (no socket) is the test header, else "unknown"', async () => {
    assert.equal(
      await addressOf(0, { [TEST_ADDRESS_HEADER]: '192.0.2.1' }, undefined),
      '192.0.2.1',
    );
    assert.equal(await addressOf(0, {}, undefined), 'unknown');
    assert.equal(
      await addressOf(0, { [TEST_ADDRESS_HEADER]: "x'; drop\u0001" }, undefined),
      'xdrop',
    );
  });

  it('counts IPv6 by its /64, so one host cannot take a fresh address per guess', () => {
    assert.equal(normaliseAddress('2001:db8:1:2:aaaa::1'), '2001:db8:1:2::/64');
    assert.equal(normaliseAddress('2001:DB8:1:2:ffff:ffff:ffff:ffff'), '2001:db8:1:2::/64');
    assert.equal(normaliseAddress('2001:db8::1'), '2001:db8:0:0::/64');
    assert.equal(normaliseAddress('::1'), '0:0:0:0::/64');
    assert.equal(normaliseAddress('fe80::1%eth0'), 'fe80:0:0:0::/64');
    assert.equal(normaliseAddress('64:ff9b::192.0.2.1'), '64:ff9b:0:0::/64');
  });
});
