/**
 * Sets every zip entry's modification time (local and central headers; DOS date, time 00:00) to
 * a day ('YYYY-MM-DD'): the zip writers inside `docx` and `exceljs` stamp them with the clock,
 * which would make two exports of one issued briefing differ. The times are outside what the
 * CRCs cover, so nothing else changes. Reads the central directory from the end record (the
 * writers write no zip64 and no comment).
 */
export function stampZip(bytes: Uint8Array, day: string): Uint8Array {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  const dosDate = ((y - 1980) << 9) | (m << 5) | d;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let end = bytes.length - 22;
  while (end >= 0 && view.getUint32(end, true) !== 0x06054b50) end--;
  if (end < 0) throw new Error('not a zip: no end of central directory');
  const entries = view.getUint16(end + 10, true);
  let p = view.getUint32(end + 16, true);
  for (let i = 0; i < entries; i++) {
    if (view.getUint32(p, true) !== 0x02014b50) throw new Error('zip central directory broken');
    view.setUint16(p + 12, 0, true);
    view.setUint16(p + 14, dosDate, true);
    const local = view.getUint32(p + 42, true);
    if (view.getUint32(local, true) !== 0x04034b50) throw new Error('zip local header broken');
    view.setUint16(local + 10, 0, true);
    view.setUint16(local + 12, dosDate, true);
    p +=
      46 +
      view.getUint16(p + 28, true) +
      view.getUint16(p + 30, true) +
      view.getUint16(p + 32, true);
  }
  return bytes;
}
