/** JSON Pointer (RFC 6901) helpers for locating problems in OpenAPI documents. */

/** Escapes one reference token: `~` → `~0`, `/` → `~1`. */
export function escapeToken(token: string): string {
  return token.replace(/~/g, '~0').replace(/\//g, '~1');
}

/** Builds a pointer from reference tokens: `['paths', '/accounts', 'get']` → `/paths/~1accounts/get`. */
export function pointerOf(tokens: readonly (string | number)[]): string {
  return tokens.map((t) => '/' + escapeToken(String(t))).join('');
}

/** Appends tokens to an existing pointer. */
export function childPointer(pointer: string, ...tokens: (string | number)[]): string {
  return pointer + pointerOf(tokens);
}

/** Splits a pointer (with or without a leading `#`) into its unescaped tokens. */
export function tokensOf(pointer: string): string[] {
  const p = pointer.startsWith('#') ? pointer.slice(1) : pointer;
  if (p === '') return [];
  return p
    .slice(1)
    .split('/')
    .map((t) => decodeURIComponent(t).replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** The value at `pointer` inside `root`, or `undefined` when any step is missing. */
export function resolvePointer(root: unknown, pointer: string): unknown {
  let node: unknown = root;
  for (const token of tokensOf(pointer)) {
    if (node === null || typeof node !== 'object' || !Object.prototype.hasOwnProperty.call(node, token)) return undefined;
    node = (node as Record<string, unknown>)[token];
  }
  return node;
}
