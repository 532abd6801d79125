/**
 * Canonical JSON: the byte-exact encoding the hash chain is computed over. Pure (no I/O).
 *
 * Rules (in the spirit of RFC 8785, JCS): object keys sorted by UTF-16 code units, no whitespace,
 * strings escaped as `JSON.stringify` does, numbers in ECMAScript's shortest round-trip form
 * (`-0` → `0`), `undefined` object members omitted and `undefined` array items written as `null`
 * (as JSON does), values with `toJSON` (Dates) encoded through it. Non-finite numbers, bigints,
 * functions and symbols are refused: they have no stable JSON form.
 *
 * Browser-safe (the workbench imports it through the lifecycle model); hashing is in hash.ts.
 */

/** The canonical JSON encoding of a JSON value. */
export function canonicalJson(value: unknown): string {
  const out = encode(value);
  if (out === undefined) throw new TypeError('canonicalJson: value has no JSON form');
  return out;
}

function encode(value: unknown): string | undefined {
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'number':
      if (!Number.isFinite(value)) throw new TypeError(`canonicalJson: non-finite number ${value}`);
      return JSON.stringify(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'undefined':
      return undefined;
    case 'object': {
      if (value === null) return 'null';
      const withToJson = value as { toJSON?: () => unknown };
      if (typeof withToJson.toJSON === 'function') return encode(withToJson.toJSON());
      if (Array.isArray(value)) {
        let s = '[';
        for (let i = 0; i < value.length; i++) {
          if (i > 0) s += ',';
          s += encode(value[i]) ?? 'null';
        }
        return s + ']';
      }
      const obj = value as Record<string, unknown>;
      const keys = Object.keys(obj).sort();
      let s = '{';
      let first = true;
      for (const key of keys) {
        const v = encode(obj[key]);
        if (v === undefined) continue;
        if (!first) s += ',';
        first = false;
        s += JSON.stringify(key) + ':' + v;
      }
      return s + '}';
    }
    default:
      throw new TypeError(`canonicalJson: cannot encode a ${typeof value}`);
  }
}

/** 64 zeros: the `prevHash` of the first record. */
export const GENESIS_HASH = '0'.repeat(64);
