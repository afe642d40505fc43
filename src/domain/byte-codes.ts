/**
 * Short byte strings read from a file (codes of elements, periods, units) numbered by content:
 * equal bytes get the same small integer, and only the first occurrence becomes a JS string.
 * A bulk import reads millions of rows naming a few thousand distinct codes; looking them up by
 * bytes avoids making a string per field. 0 stands for the empty field.
 */
export class ByteCodes {
  /** Open addressing: slot → id (0 = free). */
  private slots = new Int32Array(1 << 12);
  private hashes: number[] = [0];
  private starts: number[] = [0];
  private ends: number[] = [0];
  private bytes = Buffer.allocUnsafe(1 << 14);
  private used = 0;
  /** The code of each id, decoded from UTF-8; `strings[0]` is ''. */
  readonly strings: string[] = [''];

  get size(): number {
    return this.strings.length;
  }

  id(buf: Buffer, start: number, end: number): number {
    if (start >= end) return 0;
    let h = 0x811c9dc5;
    for (let i = start; i < end; i++) h = Math.imul(h ^ buf[i]!, 0x01000193);
    const mask = this.slots.length - 1;
    for (let s = h & mask; ; s = (s + 1) & mask) {
      const id = this.slots[s]!;
      if (id === 0) return this.add(buf, start, end, h, s);
      if (this.hashes[id] === h && this.same(id, buf, start, end)) return id;
    }
  }

  private same(id: number, buf: Buffer, start: number, end: number): boolean {
    const from = this.starts[id]!;
    if (this.ends[id]! - from !== end - start) return false;
    const bytes = this.bytes;
    for (let i = 0; i < end - start; i++) if (bytes[from + i] !== buf[start + i]) return false;
    return true;
  }

  private add(buf: Buffer, start: number, end: number, hash: number, slot: number): number {
    const id = this.strings.length;
    const n = end - start;
    if (this.used + n > this.bytes.length) {
      const grown = Buffer.allocUnsafe(Math.max(this.bytes.length * 2, this.used + n));
      this.bytes.copy(grown, 0, 0, this.used);
      this.bytes = grown;
    }
    buf.copy(this.bytes, this.used, start, end);
    this.starts.push(this.used);
    this.used += n;
    this.ends.push(this.used);
    this.hashes.push(hash);
    this.strings.push(buf.toString('utf8', start, end));
    this.slots[slot] = id;
    if (id * 2 > this.slots.length) this.rehash();
    return id;
  }

  private rehash(): void {
    const slots = new Int32Array(this.slots.length * 2);
    const mask = slots.length - 1;
    for (let id = 1; id < this.strings.length; id++) {
      let s = this.hashes[id]! & mask;
      while (slots[s] !== 0) s = (s + 1) & mask;
      slots[s] = id;
    }
    this.slots = slots;
  }
}

/**
 * Which row first used each key (a group number and a unit id, both below 2^31): an import
 * refuses a second value for the same key. Typed arrays rather than a Map of millions of
 * entries: a fraction of the memory and no work for the garbage collector.
 */
export class KeyIndex {
  private groups = new Int32Array(1 << 16).fill(-1);
  private units = new Int32Array(1 << 16);
  private rows = new Int32Array(1 << 16);
  private count = 0;

  /** The row that had the key first, or -1 after recording `row` as that row. */
  claim(group: number, unit: number, row: number): number {
    const mask = this.groups.length - 1;
    for (let s = KeyIndex.hash(group, unit) & mask; ; s = (s + 1) & mask) {
      const g = this.groups[s]!;
      if (g === -1) {
        this.groups[s] = group;
        this.units[s] = unit;
        this.rows[s] = row;
        if (++this.count * 2 > this.groups.length) this.grow();
        return -1;
      }
      if (g === group && this.units[s] === unit) return this.rows[s]!;
    }
  }

  private static hash(group: number, unit: number): number {
    let h = Math.imul(group, 0x9e3779b1) ^ Math.imul(unit, 0x85ebca77);
    h ^= h >>> 15;
    h = Math.imul(h, 0x2c1b3c6d);
    return h ^ (h >>> 12);
  }

  private grow(): void {
    const { groups, units, rows } = this;
    this.groups = new Int32Array(groups.length * 2).fill(-1);
    this.units = new Int32Array(groups.length * 2);
    this.rows = new Int32Array(groups.length * 2);
    const mask = this.groups.length - 1;
    for (let i = 0; i < groups.length; i++) {
      if (groups[i] === -1) continue;
      let s = KeyIndex.hash(groups[i]!, units[i]!) & mask;
      while (this.groups[s] !== -1) s = (s + 1) & mask;
      this.groups[s] = groups[i]!;
      this.units[s] = units[i]!;
      this.rows[s] = rows[i]!;
    }
  }
}
