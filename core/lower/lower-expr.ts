/**
 * Expressions of the subset, TypeScript → interp/ast.ts. Optional chains are wrapped in a
 * `Chain` node so a short circuit skips the rest of the chain, exactly as JavaScript does.
 */
import ts from 'typescript';
import type * as A from './ast.ts';
import type { Lowerer } from './lower.ts';

const K = ts.SyntaxKind;

/** Drops what only types mean: `as`, `!`, `satisfies`, `<T>x`, parentheses. */
export function skipTypes(e: ts.Expression): ts.Expression {
  for (;;) {
    if (ts.isParenthesizedExpression(e) || ts.isAsExpression(e) || ts.isNonNullExpression(e) || ts.isSatisfiesExpression(e) || ts.isTypeAssertionExpression(e)) e = e.expression;
    else if (ts.isExpressionWithTypeArguments(e)) e = e.expression;
    else return e;
  }
}

const BINARY: Partial<Record<ts.SyntaxKind, A.BinOp>> = {
  [K.PlusToken]: '+', [K.MinusToken]: '-', [K.AsteriskToken]: '*', [K.SlashToken]: '/', [K.PercentToken]: '%', [K.AsteriskAsteriskToken]: '**',
  [K.EqualsEqualsToken]: '==', [K.ExclamationEqualsToken]: '!=', [K.EqualsEqualsEqualsToken]: '===', [K.ExclamationEqualsEqualsToken]: '!==',
  [K.LessThanToken]: '<', [K.GreaterThanToken]: '>', [K.LessThanEqualsToken]: '<=', [K.GreaterThanEqualsToken]: '>=',
  [K.AmpersandToken]: '&', [K.BarToken]: '|', [K.CaretToken]: '^', [K.LessThanLessThanToken]: '<<', [K.GreaterThanGreaterThanToken]: '>>',
  [K.GreaterThanGreaterThanGreaterThanToken]: '>>>', [K.InKeyword]: 'in', [K.InstanceOfKeyword]: 'instanceof',
};

const LOGICAL: Partial<Record<ts.SyntaxKind, '&&' | '||' | '??'>> = {
  [K.AmpersandAmpersandToken]: '&&', [K.BarBarToken]: '||', [K.QuestionQuestionToken]: '??',
};

const ASSIGN: Partial<Record<ts.SyntaxKind, A.AssignOp>> = {
  [K.EqualsToken]: '=', [K.PlusEqualsToken]: '+=', [K.MinusEqualsToken]: '-=', [K.AsteriskEqualsToken]: '*=', [K.SlashEqualsToken]: '/=',
  [K.PercentEqualsToken]: '%=', [K.AsteriskAsteriskEqualsToken]: '**=', [K.AmpersandEqualsToken]: '&=', [K.BarEqualsToken]: '|=',
  [K.CaretEqualsToken]: '^=', [K.LessThanLessThanEqualsToken]: '<<=', [K.GreaterThanGreaterThanEqualsToken]: '>>=',
  [K.GreaterThanGreaterThanGreaterThanEqualsToken]: '>>>=', [K.AmpersandAmpersandEqualsToken]: '&&=', [K.BarBarEqualsToken]: '||=',
  [K.QuestionQuestionEqualsToken]: '??=',
};

const UNARY: Partial<Record<ts.SyntaxKind, '!' | '-' | '+' | '~'>> = {
  [K.ExclamationToken]: '!', [K.MinusToken]: '-', [K.PlusToken]: '+', [K.TildeToken]: '~',
};

export function lowerExpr(L: Lowerer, node: ts.Expression): A.Expr {
  const e = skipTypes(node);
  const p = L.position(e);
  const inChain = isOptionalChainRoot(e);
  const out = lowerInner(L, e, p);
  return inChain ? { t: 'Chain', p, e: out } : out;
}

/** The outermost node of an optional chain (`a?.b.c()`): where a short circuit lands. */
function isOptionalChainRoot(e: ts.Expression): boolean {
  if (!(e.flags & ts.NodeFlags.OptionalChain)) return false;
  const parent = e.parent;
  const continues = parent && (parent.flags & ts.NodeFlags.OptionalChain) && (
    (ts.isPropertyAccessExpression(parent) || ts.isElementAccessExpression(parent) || ts.isCallExpression(parent)) && parent.expression === e);
  return !continues;
}

function args(L: Lowerer, list: readonly ts.Expression[] | undefined): (A.Expr | A.Spread)[] {
  return (list ?? []).map((a) => (ts.isSpreadElement(a) ? { t: 'Spread', p: L.position(a), e: L.expr(a.expression) } : L.expr(a)));
}

function lowerInner(L: Lowerer, e: ts.Expression, p: number): A.Expr {
  switch (e.kind) {
    case K.NumericLiteral:
      return { t: 'Lit', p, v: Number((e as ts.NumericLiteral).text) };
    case K.BigIntLiteral:
      return { t: 'BigInt', p, v: (e as ts.BigIntLiteral).text.slice(0, -1) };
    case K.StringLiteral:
    case K.NoSubstitutionTemplateLiteral:
      return { t: 'Lit', p, v: (e as ts.StringLiteral).text };
    case K.TrueKeyword:
      return { t: 'Lit', p, v: true };
    case K.FalseKeyword:
      return { t: 'Lit', p, v: false };
    case K.NullKeyword:
      return { t: 'Lit', p, v: null };
    case K.RegularExpressionLiteral: {
      const text = (e as ts.RegularExpressionLiteral).text;
      const slash = text.lastIndexOf('/');
      return { t: 'Regex', p, pattern: text.slice(1, slash), flags: text.slice(slash + 1) };
    }
    case K.TemplateExpression: {
      const tpl = e as ts.TemplateExpression;
      return { t: 'Tpl', p, quasis: [tpl.head.text, ...tpl.templateSpans.map((s) => s.literal.text)], exprs: tpl.templateSpans.map((s) => L.expr(s.expression)) };
    }
    case K.Identifier:
      L.checkName(e as ts.Identifier);
      return { t: 'Ident', p, name: (e as ts.Identifier).text };
    case K.ThisKeyword:
      return { t: 'This', p };
    case K.ArrayLiteralExpression:
      return {
        t: 'Arr', p,
        elems: (e as ts.ArrayLiteralExpression).elements.map((el) => (ts.isOmittedExpression(el) ? null : ts.isSpreadElement(el) ? { t: 'Spread', p: L.position(el), e: L.expr(el.expression) } : L.expr(el))),
      };
    case K.ObjectLiteralExpression:
      return objectLiteral(L, e as ts.ObjectLiteralExpression, p);
    case K.FunctionExpression:
    case K.ArrowFunction:
      return { t: 'Fn', p, fn: L.fn(e as ts.FunctionExpression) };
    case K.ClassExpression:
      return { t: 'Class', p, cls: L.cls(e as ts.ClassExpression) };
    case K.PrefixUnaryExpression:
    case K.PostfixUnaryExpression: {
      const u = e as ts.PrefixUnaryExpression;
      if (u.operator === K.PlusPlusToken || u.operator === K.MinusMinusToken) {
        return { t: 'Update', p, op: u.operator === K.PlusPlusToken ? '++' : '--', prefix: e.kind === K.PrefixUnaryExpression, target: updateTarget(L, u.operand) };
      }
      const op = UNARY[u.operator];
      if (!op) return refused(L, e, p, 'this unary operator');
      return { t: 'Unary', p, op, e: L.expr(u.operand) };
    }
    case K.TypeOfExpression:
      return { t: 'Unary', p, op: 'typeof', e: L.expr((e as ts.TypeOfExpression).expression) };
    case K.VoidExpression:
      return { t: 'Unary', p, op: 'void', e: L.expr((e as ts.VoidExpression).expression) };
    case K.DeleteExpression: {
      const target = L.expr((e as ts.DeleteExpression).expression);
      if (target.t !== 'Member' && target.t !== 'Index') return refused(L, e, p, '`delete` of something that is not a property');
      return { t: 'Unary', p, op: 'delete', e: target };
    }
    case K.BinaryExpression:
      return binary(L, e as ts.BinaryExpression, p);
    case K.ConditionalExpression: {
      const c = e as ts.ConditionalExpression;
      return { t: 'Cond', p, test: L.expr(c.condition), then: L.expr(c.whenTrue), else: L.expr(c.whenFalse) };
    }
    case K.CallExpression: {
      const c = e as ts.CallExpression;
      const callee = skipTypes(c.expression);
      if (callee.kind === K.ImportKeyword) return refused(L, e, p, 'dynamic `import()`');
      if (callee.kind === K.SuperKeyword) return { t: 'SuperCall', p, args: args(L, c.arguments) };
      return { t: 'Call', p, callee: chainPart(L, callee), args: args(L, c.arguments), optional: !!c.questionDotToken };
    }
    case K.NewExpression: {
      const n = e as ts.NewExpression;
      return { t: 'New', p, callee: L.expr(n.expression), args: args(L, n.arguments) };
    }
    case K.PropertyAccessExpression: {
      const m = e as ts.PropertyAccessExpression;
      if (m.expression.kind === K.SuperKeyword) return { t: 'SuperMember', p, prop: m.name.text };
      if (ts.isPrivateIdentifier(m.name)) return { t: 'Private', p, obj: L.expr(m.expression), name: m.name.text.slice(1) };
      return { t: 'Member', p, obj: chainPart(L, m.expression), prop: m.name.text, optional: !!m.questionDotToken };
    }
    case K.ElementAccessExpression: {
      const m = e as ts.ElementAccessExpression;
      if (m.expression.kind === K.SuperKeyword) return refused(L, e, p, '`super[…]`');
      return { t: 'Index', p, obj: chainPart(L, m.expression), index: L.expr(m.argumentExpression), optional: !!m.questionDotToken };
    }
    case K.AwaitExpression:
      return { t: 'Await', p, e: L.expr((e as ts.AwaitExpression).expression) };
    case K.YieldExpression: {
      const y = e as ts.YieldExpression;
      return { t: 'Yield', p, e: y.expression ? L.expr(y.expression) : undefined, delegate: !!y.asteriskToken };
    }
    case K.CommaListExpression:
      return { t: 'Seq', p, es: (e as ts.CommaListExpression).elements.map((x) => L.expr(x)) };
    case K.TaggedTemplateExpression:
      return refused(L, e, p, 'a tagged template');
    case K.MetaProperty:
      return refused(L, e, p, '`new.target` / `import.meta`');
    case K.SuperKeyword:
      return refused(L, e, p, '`super` here');
    case K.JsxElement:
    case K.JsxSelfClosingElement:
    case K.JsxFragment:
      return refused(L, e, p, 'JSX');
    default:
      return refused(L, e, p, `a ${ts.SyntaxKind[e.kind]}`);
  }
}

/** Inside an optional chain, the inner links must not get their own `Chain` wrapper. */
function chainPart(L: Lowerer, e: ts.Expression): A.Expr {
  const inner = skipTypes(e);
  if (inner.flags & ts.NodeFlags.OptionalChain && !isOptionalChainRoot(inner)) return lowerInner(L, inner, L.position(inner));
  return L.expr(e);
}

function refused(L: Lowerer, e: ts.Node, p: number, what: string): A.Expr {
  L.refuse(e, what);
  return { t: 'Lit', p, v: null };
}

function updateTarget(L: Lowerer, operand: ts.Expression): A.Expr {
  const t = L.expr(operand);
  if (t.t !== 'Ident' && t.t !== 'Member' && t.t !== 'Index' && t.t !== 'Private') return refused(L, operand, t.p, 'this `++`/`--` target');
  return t;
}

function binary(L: Lowerer, b: ts.BinaryExpression, p: number): A.Expr {
  const kind = b.operatorToken.kind;
  if (kind === K.CommaToken) return { t: 'Seq', p, es: [L.expr(b.left), L.expr(b.right)] };
  const logical = LOGICAL[kind];
  if (logical) return { t: 'Logical', p, op: logical, l: L.expr(b.left), r: L.expr(b.right) };
  const assign = ASSIGN[kind];
  if (assign) {
    const left = skipTypes(b.left);
    const target = assign === '=' ? L.assignTarget(left) : updateTarget(L, left);
    return { t: 'Assign', p, op: assign, target, value: L.expr(b.right) };
  }
  const op = BINARY[kind];
  if (!op) return refused(L, b, p, 'this operator');
  if (op === 'in' && ts.isPrivateIdentifier(b.left)) return refused(L, b, p, '`#x in obj`');
  return { t: 'Bin', p, op, l: L.expr(b.left), r: L.expr(b.right) };
}

function objectLiteral(L: Lowerer, o: ts.ObjectLiteralExpression, p: number): A.Expr {
  const props: A.Prop[] = [];
  for (const prop of o.properties) {
    if (ts.isPropertyAssignment(prop)) {
      const key = L.propName(prop.name);
      if (key === '__proto__' && !ts.isComputedPropertyName(prop.name)) {
        L.refuse(prop, '`__proto__:` in an object literal (it sets the prototype)');
        continue;
      }
      props.push({ kind: 'init', key, value: L.expr(prop.initializer) });
    } else if (ts.isShorthandPropertyAssignment(prop)) {
      props.push({ kind: 'init', key: prop.name.text, value: { t: 'Ident', p: L.position(prop.name), name: prop.name.text } });
    } else if (ts.isSpreadAssignment(prop)) {
      props.push({ kind: 'spread', e: L.expr(prop.expression) });
    } else if (ts.isMethodDeclaration(prop)) {
      props.push({ kind: 'method', key: L.propName(prop.name), fn: L.fn(prop) });
    } else if (ts.isGetAccessor(prop) || ts.isSetAccessor(prop)) {
      L.refuse(prop, 'a getter or setter (they run code on a plain property read or write)');
    } else L.refuse(prop, 'this object literal member');
  }
  return { t: 'Obj', p, props };
}
