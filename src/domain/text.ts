/**
 * Search text for Vietnamese names: no diacritics, no case, đ as d, words split on anything
 * that is not a letter or digit, and leading zeros dropped from numbers ("Phường 01" = "phuong 1").
 * Dropping the marks also makes the old and new tone placements ("Hòa", "Hoà") equal.
 */
export function searchText(s: string): string {
  return searchWords(s).join(' ');
}

export function searchWords(s: string): string[] {
  const plain = s.normalize('NFD').replace(/\p{M}/gu, '').replace(/[đĐ]/g, 'd').toLowerCase();
  return plain
    .split(/[^a-z0-9]+/)
    .filter(Boolean)
    .map((w) => (/^\d+$/.test(w) ? String(Number(w)) : w));
}
