/**
 * `when` conditions of approvals: a tiny, safe expression language over a call's arguments.
 * Parsed by hand into an AST and interpreted; no `eval`, no `Function`, no property access
 * beyond plain own data properties of the arguments object.
 *
 * Grammar (JavaScript precedence, lowest first):
 * ```
 * or      := and ('||' and)*
 * and     := compare ('&&' compare)*
 * compare := unary (('>' | '>=' | '<' | '<=' | '==' | '!=') unary)?     -- not chainable
 * unary   := '!' unary | '-' number | primary
 * primary := number | string | 'true' | 'false' | 'null' | identifier ('.' name)* | '(' or ')'
 * ```
 * Strings use single or double quotes with `\` escapes. `===`/`!==` are accepted as `==`/`!=`.
 *
 * Evaluation is three-valued (`true` / `false` / `'unknown'`, Kleene logic): an identifier
 * whose argument is missing (or `args` is undefined) is unknown, and so is a comparison of
 * values of different types (`"50000" > 1000`) or a non-boolean used as a condition.
 * `unknown && false` is `false` and `unknown || true` is `true`; everything else involving
 * unknown is unknown. Callers treat unknown as "the condition may hold" (needs approval).
 */

export type CompareOp = '>' | '>=' | '<' | '<=' | '==' | '!=';

export type WhenNode =
  | { kind: 'literal'; value: number | string | boolean | null; pos: number }
  | { kind: 'identifier'; path: string[]; pos: number }
  | { kind: 'not'; operand: WhenNode; pos: number }
  | { kind: 'and' | 'or'; left: WhenNode; right: WhenNode; pos: number }
  | { kind: 'compare'; op: CompareOp; left: WhenNode; right: WhenNode; pos: number };

export type WhenValue = boolean | 'unknown';

/** A condition that does not parse; `position` is the 0-based offset into the text. */
export class WhenSyntaxError extends Error {
  readonly position: number;
  constructor(message: string, position: number) {
    super(`${message} at column ${position + 1}`);
    this.name = 'WhenSyntaxError';
    this.position = position;
  }
}

type Token =
  | { type: 'num'; value: number; pos: number; text: string }
  | { type: 'str'; value: string; pos: number; text: string }
  | { type: 'id'; value: string; pos: number; text: string }
  | { type: 'op'; value: string; pos: number; text: string }
  | { type: 'end'; pos: number; text: string };

const OPERATORS = ['===', '!==', '>=', '<=', '==', '!=', '&&', '||', '>', '<', '!', '(', ')', '.', '-'];

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (/\s/.test(c)) { i++; continue; }
    const start = i;
    if (/[0-9]/.test(c)) {
      const m = /^[0-9]+(\.[0-9]+)?([eE][+-]?[0-9]+)?/.exec(text.slice(i))!;
      i += m[0].length;
      if (i < text.length && /[A-Za-z_$]/.test(text[i])) throw new WhenSyntaxError(`"${text.slice(start, i + 1)}" is not a number`, start);
      tokens.push({ type: 'num', value: Number(m[0]), pos: start, text: m[0] });
      continue;
    }
    if (/[A-Za-z_$]/.test(c)) {
      const m = /^[A-Za-z_$][A-Za-z0-9_$]*/.exec(text.slice(i))!;
      i += m[0].length;
      tokens.push({ type: 'id', value: m[0], pos: start, text: m[0] });
      continue;
    }
    if (c === '"' || c === "'") {
      let value = '';
      i++;
      for (;;) {
        if (i >= text.length) throw new WhenSyntaxError('unterminated string', start);
        const d = text[i];
        if (d === c) { i++; break; }
        if (d === '\\') {
          const e = text[i + 1];
          if (e === undefined) throw new WhenSyntaxError('unterminated string', start);
          value += e === 'n' ? '\n' : e === 't' ? '\t' : e;
          i += 2;
          continue;
        }
        value += d;
        i++;
      }
      tokens.push({ type: 'str', value, pos: start, text: text.slice(start, i) });
      continue;
    }
    const op = OPERATORS.find((o) => text.startsWith(o, i));
    if (!op) {
      const hint = c === '=' ? ' (compare with "==")' : c === '&' ? ' (use "&&")' : c === '|' ? ' (use "||")' : '';
      throw new WhenSyntaxError(`unexpected "${c}"${hint}`, start);
    }
    i += op.length;
    tokens.push({ type: 'op', value: op === '===' ? '==' : op === '!==' ? '!=' : op, pos: start, text: op });
  }
  tokens.push({ type: 'end', pos: text.length, text: '' });
  return tokens;
}

const COMPARE_OPS = new Set(['>', '>=', '<', '<=', '==', '!=']);

/** Parses a `when` condition. Throws {@link WhenSyntaxError} with the position of the problem. */
export function parseWhen(text: string): WhenNode {
  const tokens = tokenize(text);
  let k = 0;
  const peek = (): Token => tokens[k];
  const isOp = (value: string): boolean => peek().type === 'op' && (peek() as { value: string }).value === value;
  const describe = (t: Token): string => (t.type === 'end' ? 'the end of the condition' : `"${t.text}"`);

  function parseOr(): WhenNode {
    let left = parseAnd();
    while (isOp('||')) {
      const pos = tokens[k++].pos;
      left = { kind: 'or', left, right: parseAnd(), pos };
    }
    return left;
  }
  function parseAnd(): WhenNode {
    let left = parseCompare();
    while (isOp('&&')) {
      const pos = tokens[k++].pos;
      left = { kind: 'and', left, right: parseCompare(), pos };
    }
    return left;
  }
  function parseCompare(): WhenNode {
    const left = parseUnary();
    const t = peek();
    if (t.type === 'op' && COMPARE_OPS.has(t.value)) {
      k++;
      const right = parseUnary();
      const next = peek();
      if (next.type === 'op' && COMPARE_OPS.has(next.value)) {
        throw new WhenSyntaxError(`comparisons cannot be chained; use "&&" before "${next.text}"`, next.pos);
      }
      return { kind: 'compare', op: t.value as CompareOp, left, right, pos: t.pos };
    }
    return left;
  }
  function parseUnary(): WhenNode {
    const t = peek();
    if (isOp('!')) {
      k++;
      return { kind: 'not', operand: parseUnary(), pos: t.pos };
    }
    if (isOp('-')) {
      k++;
      const n = peek();
      if (n.type !== 'num') throw new WhenSyntaxError(`expected a number after "-", found ${describe(n)}`, n.pos);
      k++;
      return { kind: 'literal', value: -n.value, pos: t.pos };
    }
    return parsePrimary();
  }
  function parsePrimary(): WhenNode {
    const t = peek();
    switch (t.type) {
      case 'num':
      case 'str':
        k++;
        return { kind: 'literal', value: t.value, pos: t.pos };
      case 'id': {
        k++;
        if (t.value === 'true' || t.value === 'false') return { kind: 'literal', value: t.value === 'true', pos: t.pos };
        if (t.value === 'null') return { kind: 'literal', value: null, pos: t.pos };
        const path = [t.value];
        while (isOp('.')) {
          k++;
          const n = peek();
          if (n.type !== 'id') throw new WhenSyntaxError(`expected a field name after ".", found ${describe(n)}`, n.pos);
          path.push(n.value);
          k++;
        }
        return { kind: 'identifier', path, pos: t.pos };
      }
      case 'op':
        if (t.value === '(') {
          k++;
          const inner = parseOr();
          const close = peek();
          if (!(close.type === 'op' && close.value === ')')) {
            throw new WhenSyntaxError(`expected ")" to close the "(" at column ${t.pos + 1}, found ${describe(close)}`, close.pos);
          }
          k++;
          return inner;
        }
        throw new WhenSyntaxError(`expected a value, found ${describe(t)}`, t.pos);
      case 'end':
        throw new WhenSyntaxError('expected a value, found the end of the condition', t.pos);
    }
  }

  if (peek().type === 'end') throw new WhenSyntaxError('the condition is empty', 0);
  const ast = parseOr();
  const rest = peek();
  if (rest.type !== 'end') throw new WhenSyntaxError(`unexpected ${describe(rest)}`, rest.pos);
  return ast;
}

/** The dotted argument paths a condition reads, in order of first use (e.g. `['amount', 'fields.status']`). */
export function identifiersOf(ast: WhenNode): string[] {
  const out = new Set<string>();
  const walk = (n: WhenNode): void => {
    switch (n.kind) {
      case 'identifier': out.add(n.path.join('.')); break;
      case 'not': walk(n.operand); break;
      case 'and': case 'or': case 'compare': walk(n.left); walk(n.right); break;
      case 'literal': break;
    }
  };
  walk(ast);
  return [...out];
}

const UNKNOWN = Symbol('unknown');
type Value = number | string | boolean | null | object | typeof UNKNOWN;

/** Reads a dotted path through plain own properties only (never the prototype chain). */
function lookup(args: Record<string, unknown> | undefined, path: string[]): Value {
  let cur: unknown = args;
  for (const key of path) {
    if (cur === null || typeof cur !== 'object' || !Object.prototype.hasOwnProperty.call(cur, key)) return UNKNOWN;
    cur = (cur as Record<string, unknown>)[key];
  }
  if (cur === undefined || typeof cur === 'function' || typeof cur === 'symbol' || typeof cur === 'bigint') return UNKNOWN;
  return cur as Value;
}

function value(n: WhenNode, args: Record<string, unknown> | undefined): Value {
  switch (n.kind) {
    case 'literal': return n.value;
    case 'identifier': return lookup(args, n.path);
    default: {
      const b = evaluateWhen(n, args);
      return b === 'unknown' ? UNKNOWN : b;
    }
  }
}

function compare(op: CompareOp, a: Value, b: Value): WhenValue {
  if (a === UNKNOWN || b === UNKNOWN) return 'unknown';
  if (op === '==' || op === '!=') {
    // Objects and arrays are not compared by content: the result would be a guess.
    if ((typeof a === 'object' && a !== null) || (typeof b === 'object' && b !== null)) return 'unknown';
    return op === '==' ? a === b : a !== b;
  }
  const bothNumbers = typeof a === 'number' && typeof b === 'number';
  const bothStrings = typeof a === 'string' && typeof b === 'string';
  if (!bothNumbers && !bothStrings) return 'unknown';
  const x = a as number | string;
  const y = b as number | string;
  switch (op) {
    case '>': return x > y;
    case '>=': return x >= y;
    case '<': return x < y;
    case '<=': return x <= y;
  }
}

function asCondition(v: Value): WhenValue {
  return typeof v === 'boolean' ? v : 'unknown';
}

/**
 * Evaluates a condition on a call's arguments: `true`, `false`, or `'unknown'` when the answer
 * depends on an argument that is not known (see the file comment for the three-valued rules).
 */
export function evaluateWhen(ast: WhenNode, args: Record<string, unknown> | undefined): WhenValue {
  switch (ast.kind) {
    case 'literal':
    case 'identifier':
      return asCondition(value(ast, args));
    case 'not': {
      const v = evaluateWhen(ast.operand, args);
      return v === 'unknown' ? v : !v;
    }
    case 'and': {
      const l = evaluateWhen(ast.left, args);
      if (l === false) return false;
      const r = evaluateWhen(ast.right, args);
      if (r === false) return false;
      return l === true && r === true ? true : 'unknown';
    }
    case 'or': {
      const l = evaluateWhen(ast.left, args);
      if (l === true) return true;
      const r = evaluateWhen(ast.right, args);
      if (r === true) return true;
      return l === false && r === false ? false : 'unknown';
    }
    case 'compare':
      return compare(ast.op, value(ast.left, args), value(ast.right, args));
  }
}
