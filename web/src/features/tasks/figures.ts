/** "tên = số" lines into figures; the number of the first bad line otherwise. */
export function parseFigures(text: string): Record<string, number> | number {
  const out: Record<string, number> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (!line) continue;
    const m = /^(.+?)\s*[=:]\s*(-?[\d.,]+)$/.exec(line);
    // Vietnamese writes 1.234,5: dots group thousands, the comma is the decimal mark.
    const n = m ? Number(m[2]!.replace(/\./g, '').replace(',', '.')) : NaN;
    if (!m || !Number.isFinite(n)) return i + 1;
    out[m[1]!.trim()] = n;
  }
  return out;
}
