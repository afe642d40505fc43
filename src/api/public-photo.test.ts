import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import exifr from 'exifr';
import sharp from 'sharp';
import { createApp } from './app.ts';
import { TEST_ADDRESS_HEADER } from './client-address.ts';
import { PUBLIC_LIMITS } from '../domain/public-limits.ts';
import { citizenUploader } from '../services/public-photo.service.ts';
import { openTestDb, testEngines, type TestDb } from '../test/harness.ts';
import { checkResponse } from '../test/contract-check.ts';

/**
 * A citizen's photo (issue 20): only real images are kept, and nothing of the phone's metadata
 * — its GPS position above all — leaves with them. exifr, which reads EXIF, XMP, IPTC and ICC
 * on its own, is the judge of what is left.
 */

// A position in Hà Nội, as a phone writes it into a photo.
const GPS = {
  GPSLatitudeRef: 'N',
  GPSLatitude: '21/1 1/1 30/1',
  GPSLongitudeRef: 'E',
  GPSLongitude: '105/1 51/1 0/1',
};
const XMP =
  '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">' +
  '<rdf:Description xmlns:dc="http://purl.org/dc/elements/1.1/" dc:creator="Nguyễn Văn A"/></rdf:RDF></x:xmpmeta>';

/** A camera's JPEG: `width`×`height` as stored, EXIF with GPS, turned by its orientation tag. */
function phoneJpeg(width: number, height: number, orientation = 1) {
  return sharp({ create: { width, height, channels: 3, background: '#2a6fb0' } })
    .jpeg({ quality: 90 })
    .withExif({ IFD0: { Make: 'PhoneCam', Artist: 'Nguyen Van A' }, IFD3: GPS })
    .withMetadata({ orientation })
    .withXmp(XMP)
    .toBuffer();
}

/** The chunks of a WebP file (RIFF): 'VP8 ' holds the picture, 'EXIF' and 'XMP ' metadata. */
function riffChunks(b: Buffer): string[] {
  assert.equal(b.toString('latin1', 0, 4), 'RIFF');
  assert.equal(b.toString('latin1', 8, 12), 'WEBP');
  const out: string[] = [];
  for (let at = 12; at + 8 <= b.length;) {
    const size = b.readUInt32LE(at + 4);
    out.push(b.toString('latin1', at, at + 4));
    at += 8 + size + (size % 2);
  }
  return out;
}

const everything = {
  tiff: true,
  exif: true,
  gps: true,
  xmp: true,
  iptc: true,
  icc: true,
  jfif: false,
  ihdr: false,
  mergeOutput: true,
};

for (const engine of testEngines()) {
  describe(`a citizen's photo on ${engine}`, () => {
    let t: TestDb;
    let now = new Date('2026-12-07T08:00:00Z');
    let app: ReturnType<typeof createApp>;

    /** Uploads as the public page does: no account, multipart field `file`. */
    async function upload(bytes: Buffer, name: string, address = '203.0.113.7') {
      const form = new FormData();
      form.append('file', new File([new Uint8Array(bytes)], name, { type: 'image/jpeg' }));
      const res = await app.request('/api/public/photos', {
        method: 'POST',
        body: form,
        headers: { [TEST_ADDRESS_HEADER]: address, 'accept-language': 'vi' },
      });
      const json = await res.json();
      checkResponse(app, 'POST', '/api/public/photos', res.status, json);
      return { status: res.status, json, headers: res.headers };
    }
    const stored = (id: number) => t.services.store.repos.attachments.byId(id);
    const counts = async () => ({
      attachments: Number(
        (
          await t.database.db
            .selectFrom('attachment')
            .select((eb) => eb.fn.countAll().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      ),
      audit: Number(
        (
          await t.database.db
            .selectFrom('audit_event')
            .select((eb) => eb.fn.countAll().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      ),
    });

    before(async () => {
      t = await openTestDb(engine, { clock: () => now });
      app = createApp(t.services);
    });
    after(() => t?.close());

    it('keeps a phone JPEG upright, without its EXIF, GPS or XMP, pending for its key', async () => {
      const sent = await phoneJpeg(640, 480, 6); // stored on its side, as phones do
      const before = await exifr.parse(sent, everything);
      assert.equal(before?.latitude, 21.025, 'the test photo carries a position');
      assert.equal(before?.creator, 'Nguyễn Văn A', 'and XMP');

      const r = await upload(sent, 'IMG_0001.JPG');
      assert.equal(r.status, 201, JSON.stringify(r.json));
      assert.equal(r.json.contentType, 'image/jpeg');
      // Orientation 6 turns it a quarter: the pixels now stand upright, 480 wide.
      assert.deepEqual([r.json.width, r.json.height], [480, 640]);

      const row = (await stored(r.json.id))!;
      const kept = Buffer.from(row.bytes);
      assert.equal(row.owner_kind, 'pending');
      assert.equal(row.size, kept.byteLength);
      assert.equal(r.json.size, kept.byteLength);
      assert.equal(row.content_type, 'image/jpeg');
      assert.equal(row.file_name, 'photo.jpg', "the citizen's file name is not kept");
      assert.equal(await exifr.parse(kept, everything), undefined, 'no metadata at all');
      assert.equal(await exifr.gps(kept), undefined);
      for (const mark of ['Exif', 'GPS', 'xmpmeta', 'PhoneCam', 'Nguyen'])
        assert.equal(kept.includes(mark), false, `"${mark}" left in the bytes`);
      const meta = await sharp(kept).metadata();
      assert.deepEqual([meta.width, meta.height, meta.orientation], [480, 640, undefined]);

      // The key is the only proof: the report claims the photo with it, and only with it.
      assert.equal(row.created_by, citizenUploader(r.json.key));
      assert.doesNotMatch(row.created_by, new RegExp(r.json.key));
      const repo = t.services.store.repos.attachments;
      assert.deepEqual(
        (await repo.pending([r.json.id], citizenUploader(r.json.key))).map((p) => p.id),
        [r.json.id],
      );
      assert.deepEqual(await repo.pending([r.json.id], citizenUploader('guess')), []);
    });

    it('scales a very large photo down to 2,560 px on its longest side', async () => {
      const r = await upload(await phoneJpeg(4000, 3000), 'big.jpg');
      assert.equal(r.status, 201, JSON.stringify(r.json));
      assert.deepEqual([r.json.width, r.json.height], [2560, 1920]);
    });

    it('takes a PNG (a screenshot) and a WebP as they are, cleaned', async () => {
      const png = await sharp({
        create: { width: 300, height: 200, channels: 4, background: '#0c0a' },
      })
        .png()
        .withExif({ IFD3: GPS })
        .toBuffer();
      const r = await upload(png, 'screenshot.png');
      assert.equal(r.status, 201, JSON.stringify(r.json));
      assert.deepEqual([r.json.contentType, r.json.width, r.json.height], ['image/png', 300, 200]);
      const kept = Buffer.from((await stored(r.json.id))!.bytes);
      assert.equal((await sharp(kept).metadata()).format, 'png');
      assert.equal((await exifr.parse(png, everything))?.latitude, 21.025, 'sent with a position');
      assert.equal(await exifr.parse(kept, everything), undefined);

      const webp = await sharp({
        create: { width: 120, height: 90, channels: 3, background: '#888' },
      })
        .webp()
        .withExif({ IFD3: GPS })
        .toBuffer();
      const w = await upload(webp, 'x.webp');
      assert.equal(w.status, 201, JSON.stringify(w.json));
      assert.equal(w.json.contentType, 'image/webp');
      // exifr does not read WebP: its RIFF chunks are listed here instead.
      assert.ok(riffChunks(webp).includes('EXIF'), 'sent with EXIF');
      assert.deepEqual(
        riffChunks(Buffer.from((await stored(w.json.id))!.bytes)).filter((c) => c !== 'VP8 '),
        [],
        'nothing but the picture',
      );
    });

    it('refuses what is not an image, a cut-off photo and HEIC, storing nothing', async () => {
      const before = await counts();
      const text = await upload(Buffer.from('Xin chào, đây không phải là ảnh\n'), 'anh.jpg');
      assert.equal(text.status, 400);
      assert.equal(text.json.error.code, 'file_invalid');
      assert.match(text.json.error.messages.vi, /không phải là ảnh/);
      assert.match(text.json.error.messages.en, /not a readable image/);

      const jpeg = await phoneJpeg(400, 300);
      const cut = await upload(jpeg.subarray(0, Math.floor(jpeg.length / 2)), 'cut.jpg');
      assert.equal(cut.status, 400);
      assert.equal(cut.json.error.code, 'file_invalid');

      // An iPhone's HEIC (its ISO media header): asked for again as JPEG.
      const heic = Buffer.concat([
        Buffer.from([0, 0, 0, 0x18]),
        Buffer.from('ftypheic\0\0\0\0mif1heic'),
        Buffer.alloc(200),
      ]);
      const h = await upload(heic, 'IMG_0002.HEIC');
      assert.equal(h.status, 400);
      assert.equal(h.json.error.code, 'file_invalid');
      assert.equal(h.json.error.details.format, 'heic');
      assert.match(h.json.error.messages.vi, /JPEG/);
      assert.match(h.json.error.messages.en, /send a JPEG/);

      const none = await app.request('/api/public/photos', {
        method: 'POST',
        body: new FormData(),
        headers: { [TEST_ADDRESS_HEADER]: '203.0.113.7' },
      });
      assert.equal(none.status, 400);
      assert.deepEqual(await counts(), before);
    });

    it('refuses a file over 10 MB and a decompression bomb with file_too_large', async () => {
      const before = await counts();
      const big = Buffer.alloc(10 * 1024 * 1024 + 1, 0x41);
      big.set([0xff, 0xd8, 0xff, 0xe0]);
      const r = await upload(big, 'big.jpg');
      assert.equal(r.status, 413);
      assert.equal(r.json.error.code, 'file_too_large');
      assert.match(r.json.error.messages.vi, /10 MB/);
      // Far larger: refused by the body limit as it arrives, in the same words.
      const huge = await upload(Buffer.alloc(12 * 1024 * 1024), 'huge.jpg');
      assert.equal(huge.status, 413);
      assert.equal(huge.json.error.code, 'file_too_large');

      // 8,000 × 8,000 black pixels: 64 megapixels in a file of a few hundred kB.
      const bomb = await sharp({
        create: { width: 8000, height: 8000, channels: 3, background: '#000' },
      })
        .png({ compressionLevel: 9 })
        .toBuffer();
      assert.ok(bomb.byteLength < 1024 * 1024);
      const b = await upload(bomb, 'bomb.png');
      assert.equal(b.status, 413);
      assert.equal(b.json.error.code, 'file_too_large');
      assert.match(b.json.error.messages.en, /megapixels/);
      assert.deepEqual(await counts(), before);
    });

    it('takes 30 photos an hour from one address, then 429 with Retry-After; others go on', async () => {
      now = new Date('2026-12-07T09:10:00Z'); // a fresh hour, 50 minutes before it ends
      const png = await sharp({ create: { width: 4, height: 4, channels: 3, background: '#f00' } })
        .png()
        .toBuffer();
      const { limit } = PUBLIC_LIMITS.photoPerAddress;
      for (let i = 0; i < limit; i++)
        assert.equal((await upload(png, 'a.png', '198.51.100.20')).status, 201, `photo ${i + 1}`);
      const refused = await upload(png, 'a.png', '198.51.100.20');
      assert.equal(refused.status, 429);
      assert.equal(refused.json.error.code, 'rate_limited');
      assert.equal(refused.headers.get('retry-after'), String(50 * 60));
      assert.match(refused.json.error.messages.vi, /thử lại sau 50 phút/);
      assert.match(refused.json.error.messages.en, /try again in 50 minutes/);
      assert.equal((await upload(png, 'a.png', '198.51.100.21')).status, 201, 'another address');
      // The next hour, the address may send again.
      now = new Date('2026-12-07T10:00:01Z');
      assert.equal((await upload(png, 'a.png', '198.51.100.20')).status, 201);
    });

    it('deletes uploads never claimed after a day, with one audit row, and keeps the rest', async () => {
      const png = await sharp({ create: { width: 4, height: 4, channels: 3, background: '#0f0' } })
        .png()
        .toBuffer();
      now = new Date('2026-12-08T12:00:00Z');
      const fresh = await upload(png, 'b.png', '198.51.100.30');
      assert.equal(fresh.status, 201);
      const before = await counts();
      // Everything uploaded on the 7th is more than a day old by the 9th, 06:00.
      now = new Date('2026-12-09T06:00:00Z');
      const n = await t.services.publicPhotos.pruneUnclaimed();
      assert.ok(n >= 30, `${n} old uploads deleted`);
      const left = await counts();
      assert.equal(left.attachments, before.attachments - n);
      assert.equal(left.audit, before.audit + 1, 'one audit row for the prune');
      assert.ok(await stored(fresh.json.id), 'the upload of the last day is kept');
      assert.equal(await t.services.publicPhotos.pruneUnclaimed(), 0, 'nothing twice');
    });
  });
}
