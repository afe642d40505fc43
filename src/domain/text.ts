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

/**
 * The text of a value read from a request or a document: a string as it is, a number or a
 * boolean as written, an object or a list as its JSON (String() would give "[object Object]",
 * or throw for `{"toString": 1}`).
 */
export function textOf(v: unknown): string {
  switch (typeof v) {
    case 'string':
      return v;
    case 'number':
    case 'boolean':
    case 'bigint':
      return String(v);
    case 'object':
      return v === null ? 'null' : JSON.stringify(v);
    case 'undefined':
      return 'undefined';
    default:
      return typeof v; // a function or a symbol: never read from JSON, CSV or XML
  }
}
