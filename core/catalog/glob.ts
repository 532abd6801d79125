/**
 * Glob patterns of `x-flowgate-destination`: `*` matches any run of characters (also none),
 * `?` exactly one, everything else itself. A pattern matches the whole value, ignoring case
 * (e-mail domains and channel names are case-insensitive, and a case trick must not move a
 * value from one destination class to a laxer one).
 */

const cache = new Map<string, RegExp>();

/** Compiles a glob to an anchored, case-insensitive regular expression. */
export function globToRegExp(pattern: string): RegExp {
  let re = cache.get(pattern);
  if (!re) {
    let src = '';
    for (const ch of pattern) {
      if (ch === '*') src += '[\\s\\S]*';
      else if (ch === '?') src += '[\\s\\S]';
      else src += ch.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    }
    re = new RegExp(`^${src}$`, 'iu');
    cache.set(pattern, re);
  }
  return re;
}

/** Whether `value` matches the glob `pattern` as a whole. */
export function globMatch(pattern: string, value: string): boolean {
  return globToRegExp(pattern).test(value);
}
