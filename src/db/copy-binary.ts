/**
 * Rows in PostgreSQL's binary COPY format, written into large buffers: a row is its field
 * count, then each field as its length and its bytes (-1 for null). The database reads it
 * without parsing text, and making it costs a few byte writes per field.
 * https://www.postgresql.org/docs/current/sql-copy.html#id-1.9.3.55.9.4
 */
export class BinaryRows {
  private buf: Buffer;
  private at = 0;
  /** Filled buffers waiting to be sent. */
  private full: Buffer[] = [];
  private readonly f64 = new Float64Array(1);
  private readonly f64bytes = new Uint8Array(this.f64.buffer);
  private readonly bigEndian = new Uint8Array(new Uint16Array([1]).buffer)[0] === 0;

  constructor(private readonly size = 1 << 20) {
    this.buf = Buffer.allocUnsafe(size);
  }

  /** Makes room for a row of at most `bytes` bytes. */
  reserve(bytes: number): void {
    if (this.at + bytes <= this.buf.length) return;
    if (this.at > 0) this.full.push(this.buf.subarray(0, this.at));
    this.buf = Buffer.allocUnsafe(Math.max(this.size, bytes));
    this.at = 0;
  }

  /** Bytes written as they are: a prepared run of fields. */
  raw(bytes: Uint8Array): void {
    const buf = this.buf;
    let at = this.at;
    for (let i = 0; i < bytes.length; i++) buf[at++] = bytes[i]!;
    this.at = at;
  }

  /** Starts a row of `n` fields. */
  row(n: number): void {
    this.buf[this.at] = n >>> 8;
    this.buf[this.at + 1] = n & 255;
    this.at += 2;
  }

  int4(v: number): void {
    const buf = this.buf;
    const at = this.at;
    buf[at] = 0;
    buf[at + 1] = 0;
    buf[at + 2] = 0;
    buf[at + 3] = 4;
    buf[at + 4] = v >>> 24;
    buf[at + 5] = (v >>> 16) & 255;
    buf[at + 6] = (v >>> 8) & 255;
    buf[at + 7] = v & 255;
    this.at = at + 8;
  }

  float8(v: number): void {
    const buf = this.buf;
    const at = this.at;
    buf[at] = 0;
    buf[at + 1] = 0;
    buf[at + 2] = 0;
    buf[at + 3] = 8;
    this.f64[0] = v;
    const b = this.f64bytes;
    if (this.bigEndian) for (let i = 0; i < 8; i++) buf[at + 4 + i] = b[i]!;
    else for (let i = 0; i < 8; i++) buf[at + 4 + i] = b[7 - i]!;
    this.at = at + 12;
  }

  /** A text field from bytes that are UTF-8 already. */
  text(src: Uint8Array, start: number, end: number): void {
    const buf = this.buf;
    const n = end - start;
    let at = this.at;
    buf[at++] = n >>> 24;
    buf[at++] = (n >>> 16) & 255;
    buf[at++] = (n >>> 8) & 255;
    buf[at++] = n & 255;
    for (let i = start; i < end; i++) buf[at++] = src[i]!;
    this.at = at;
  }

  /** Everything written so far, in buffers to send; writing goes on in a new buffer. */
  take(): Buffer[] {
    if (this.at > 0) {
      this.full.push(this.buf.subarray(0, this.at));
      this.buf = Buffer.allocUnsafe(this.size);
      this.at = 0;
    }
    const out = this.full;
    this.full = [];
    return out;
  }

  /** Prepared bytes: a row's field count followed by int4 fields. */
  static fields(count: number, ints: number[]): Buffer {
    const b = Buffer.alloc(2 + ints.length * 8);
    b.writeInt16BE(count, 0);
    ints.forEach((v, i) => {
      b.writeInt32BE(4, 2 + i * 8);
      b.writeInt32BE(v, 6 + i * 8);
    });
    return b;
  }

  /** Prepared bytes: one text field. */
  static textField(s: string): Buffer {
    const t = Buffer.from(s, 'utf8');
    const b = Buffer.alloc(4 + t.length);
    b.writeInt32BE(t.length, 0);
    t.copy(b, 4);
    return b;
  }
}
