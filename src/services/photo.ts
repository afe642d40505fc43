import sharp, { type OutputInfo } from 'sharp';
import { AppError } from '../domain/errors.ts';

/**
 * Photos from the public page (issue 20) and officers' answer photos: only real images are
 * kept, decoded and encoded anew, so nothing of the file survives but its pixels — no EXIF
 * (the phone's GPS position, its owner's name), no XMP or IPTC, no hidden trailing bytes. The
 * camera's orientation is applied to the pixels first, and very large photos are made smaller.
 */

/** The most bytes a photo may have as sent. */
export const PHOTO_MAX_BYTES = 10 * 1024 * 1024;
/** The most pixels a photo may have: a 10 MB file may declare billions (a decompression bomb). */
export const PHOTO_MAX_PIXELS = 50_000_000;
/** The longest side kept; a larger photo is scaled down to it. */
export const PHOTO_MAX_SIDE = 2560;

const QUALITY = 85;
/** Photos decoded at once: each may take a few hundred MB while it is worked on. */
const AT_ONCE = 2;

// Each photo is new: libvips's cache of operations would only hold memory.
sharp.cache(false);

export interface CleanPhoto {
  bytes: Uint8Array;
  contentType: 'image/jpeg' | 'image/png' | 'image/webp';
  /** A neutral name (`photo.jpg`): the name a citizen's file had may carry a name. */
  fileName: string;
  width: number;
  height: number;
}

type Kind = 'jpeg' | 'png' | 'webp' | 'heic';

/** What the first bytes say the file is; the name and the declared type are not believed. */
function sniff(b: Uint8Array): Kind | undefined {
  const ascii = (from: number, to: number) => String.fromCharCode(...b.subarray(from, to));
  if (b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return 'jpeg';
  if (ascii(0, 8) === '\x89PNG\r\n\x1a\n') return 'png';
  if (ascii(0, 4) === 'RIFF' && ascii(8, 12) === 'WEBP') return 'webp';
  // ISO media with an HEIF brand: an iPhone's HEIC (AVIF is left out: not a camera's format).
  if (ascii(4, 8) === 'ftyp' && /^(hei[cmsx]|hev[cmsx]|mif1|msf1)$/.test(ascii(8, 12)))
    return 'heic';
  return undefined;
}

const notImage = () =>
  new AppError(
    'file_invalid',
    {
      vi: 'Tệp gửi lên không phải là ảnh đọc được; chỉ nhận ảnh JPEG, PNG hoặc WebP',
      en: 'The file is not a readable image; only JPEG, PNG or WebP photos are accepted',
    },
    { accepted: ['image/jpeg', 'image/png', 'image/webp'] },
  );

const heicUnsupported = () =>
  new AppError(
    'file_invalid',
    {
      vi: 'Ảnh HEIC (ảnh iPhone) chưa đọc được; hãy gửi ảnh JPEG (trên iPhone: Cài đặt › Camera › Định dạng › Tương thích nhất, hoặc chụp màn hình ảnh rồi gửi)',
      en: 'HEIC photos (from an iPhone) cannot be read yet; please send a JPEG (on an iPhone: Settings › Camera › Formats › Most Compatible, or send a screenshot of the photo)',
    },
    { format: 'heic', accepted: ['image/jpeg', 'image/png', 'image/webp'] },
  );

export const photoTooLarge = (what: 'bytes' | 'pixels') =>
  new AppError(
    'file_too_large',
    what === 'bytes'
      ? {
          vi: `Ảnh quá lớn: tối đa ${PHOTO_MAX_BYTES / 1024 / 1024} MB`,
          en: `The photo is too large: at most ${PHOTO_MAX_BYTES / 1024 / 1024} MB`,
        }
      : {
          vi: `Ảnh quá lớn: tối đa ${PHOTO_MAX_PIXELS / 1_000_000} triệu điểm ảnh`,
          en: `The photo is too large: at most ${PHOTO_MAX_PIXELS / 1_000_000} megapixels`,
        },
    what === 'bytes' ? { maxBytes: PHOTO_MAX_BYTES } : { maxPixels: PHOTO_MAX_PIXELS },
  );

let running = 0;
const waiting: (() => void)[] = [];

async function oneOfFew<T>(fn: () => Promise<T>): Promise<T> {
  if (running >= AT_ONCE) await new Promise<void>((resolve) => waiting.push(resolve));
  running++;
  try {
    return await fn();
  } finally {
    running--;
    waiting.shift()?.();
  }
}

/**
 * The photo as it will be kept: checked (a JPEG, PNG or WebP that decodes whole; `file_invalid`
 * otherwise, and for HEIC a message asking for JPEG; `file_too_large` past PHOTO_MAX_BYTES or
 * PHOTO_MAX_PIXELS), turned upright, scaled to PHOTO_MAX_SIDE at most, and encoded anew in its
 * own format without any metadata. `fileName` only serves to recognise a HEIC photo by name.
 */
export async function cleanPhoto(bytes: Uint8Array, fileName: string): Promise<CleanPhoto> {
  if (bytes.byteLength > PHOTO_MAX_BYTES) throw photoTooLarge('bytes');
  const kind = sniff(bytes);
  if (kind === 'heic' || (!kind && /\.hei[cf]$/i.test(fileName))) throw heicUnsupported();
  if (!kind) throw notImage();
  return oneOfFew(async () => {
    // The header first: the pixel count is known before anything is decoded.
    const meta = await sharp(bytes, { limitInputPixels: false })
      .metadata()
      .catch(() => undefined);
    if (!meta?.width || !meta.height || meta.format !== kind) throw notImage();
    if (meta.width * meta.height > PHOTO_MAX_PIXELS) throw photoTooLarge('pixels');
    // Nothing of the input's metadata is carried over unless asked (withMetadata / keepExif):
    // none is asked. `rotate()` applies the EXIF orientation to the pixels before it goes.
    const image = sharp(bytes, { limitInputPixels: PHOTO_MAX_PIXELS, failOn: 'error' })
      .rotate()
      .resize({
        width: PHOTO_MAX_SIDE,
        height: PHOTO_MAX_SIDE,
        fit: 'inside',
        withoutEnlargement: true,
      });
    const encode = (as: Kind) =>
      (as === 'png'
        ? image.clone().png({ compressionLevel: 9 })
        : as === 'webp'
          ? image.clone().webp({ quality: QUALITY })
          : image.clone().flatten({ background: '#ffffff' }).jpeg({ quality: QUALITY })
      ).toBuffer({ resolveWithObject: true });
    let out = await encode(kind).catch(() => undefined);
    if (!out) throw notImage();
    // A photo sent as PNG can stay larger than the limit after scaling: kept as JPEG then.
    if (out.data.byteLength > PHOTO_MAX_BYTES) {
      out = await encode('jpeg');
      return present(out, 'jpeg');
    }
    return present(out, kind);
  });
}

function present(out: { data: Buffer; info: OutputInfo }, as: 'jpeg' | 'png' | 'webp'): CleanPhoto {
  const ext = as === 'jpeg' ? 'jpg' : as;
  return {
    bytes: new Uint8Array(out.data.buffer, out.data.byteOffset, out.data.byteLength),
    contentType: `image/${as}`,
    fileName: `photo.${ext}`,
    width: out.info.width,
    height: out.info.height,
  };
}
