/**
 * The abstract value of each expression kind. Calls and `new` are in calls.ts.
 */
import ts from 'typescript';
import { unionLabels, type Ctx, type Interp } from './context.ts';
import { evalCall, evalNew } from './calls.ts';
import { useBinding, writeInto } from './engine-throws.ts';
import { ANY_KEY, ELEM, SPREAD } from './state.ts';
import {
  BOTTOM, TOP_CLEAN, constant, foldConsts, join, mapConsts, opaque, single, withLabels,
  type AbsVal, type Const,
} from './value.ts';

const DANGEROUS_KEYS = new Set(['constructor', '__proto__', 'prototype', '__defineGetter__', '__defineSetter__', '__lookupGetter__', '__lookupSetter__']);

export function evalExpression(it: Interp, node: ts.Expression, ctx: Ctx): AbsVal {
  const st = it.state;
  switch (node.kind) {
    case ts.SyntaxKind.NumericLiteral:
      return constant(Number((node as ts.NumericLiteral).text));
    case ts.SyntaxKind.StringLiteral:
    case ts.SyntaxKind.NoSubstitutionTemplateLiteral:
      return constant((node as ts.StringLiteral).text);
    case ts.SyntaxKind.TrueKeyword:
      return constant(true);
    case ts.SyntaxKind.FalseKeyword:
      return constant(false);
    case ts.SyntaxKind.NullKeyword:
      return constant(null);
    case ts.SyntaxKind.BigIntLiteral:
      return TOP_CLEAN;
    case ts.SyntaxKind.RegularExpressionLiteral:
      // A regular expression has state (`lastIndex`) that its methods write: an object.
      return { ...BOTTOM, consts: null, objs: new Set([it.state.site(node)]) };
    case ts.SyntaxKind.Identifier:
      return evalIdentifier(it, node as ts.Identifier, ctx);
    case ts.SyntaxKind.ThisKeyword:
      return evalThis(it, node, ctx);
    case ts.SyntaxKind.SuperKeyword:
      return evalThis(it, node, ctx);
    case ts.SyntaxKind.ParenthesizedExpression:
    case ts.SyntaxKind.AsExpression:
    case ts.SyntaxKind.NonNullExpression:
    case ts.SyntaxKind.SatisfiesExpression:
    case ts.SyntaxKind.TypeAssertionExpression:
    case ts.SyntaxKind.PartiallyEmittedExpression:
      return it.ev((node as ts.ParenthesizedExpression).expression, ctx);
    case ts.SyntaxKind.AwaitExpression: {
      const v = it.ev((node as ts.AwaitExpression).expression, ctx);
      // A rejected promise throws here: its value may land in a handler.
      it.state.joinCell(it.throwTarget(ctx), opaque(unionLabels(st.deepLabels(v), it.pcOf(ctx))));
      return v;
    }
    case ts.SyntaxKind.TemplateExpression:
      return evalTemplate(it, node as ts.TemplateExpression, ctx);
    case ts.SyntaxKind.TaggedTemplateExpression: {
      const t = node as ts.TaggedTemplateExpression;
      const parts = ts.isTemplateExpression(t.template) ? t.template.templateSpans.map((s) => it.ev(s.expression, ctx)) : [];
      const tag = it.ev(t.tag, ctx);
      if (tag.fns.size === 0) {
        const target = it.resolver.callTarget(t);
        if (target.kind !== 'builtin') it.unknown(t, 'a tagged template whose tag cannot be resolved');
      }
      let out = opaque(unionLabels(...parts.map((p) => st.deepLabels(p))));
      for (const f of tag.fns) out = join(out, it.invoke(f, [TOP_CLEAN, ...parts], BOTTOM, ctx, t));
      return out;
    }
    case ts.SyntaxKind.PropertyAccessExpression: {
      const p = node as ts.PropertyAccessExpression;
      const obj = it.ev(p.expression, ctx);
      it.mayThrow(obj, ctx);
      return readMember(it, p, obj, p.name.text, BOTTOM);
    }
    case ts.SyntaxKind.ElementAccessExpression: {
      const e = node as ts.ElementAccessExpression;
      const obj = it.ev(e.expression, ctx);
      const key = it.ev(e.argumentExpression, ctx);
      it.mayThrow(obj, ctx);
      return readElement(it, e, obj, key);
    }
    case ts.SyntaxKind.CallExpression:
      return evalCall(it, node as ts.CallExpression, ctx);
    case ts.SyntaxKind.NewExpression:
      return evalNew(it, node as ts.NewExpression, ctx);
    case ts.SyntaxKind.ArrowFunction:
    case ts.SyntaxKind.FunctionExpression:
      return { ...BOTTOM, consts: null, fns: new Set([node]) };
    case ts.SyntaxKind.ClassExpression:
      return evalClass(it, node as ts.ClassExpression, ctx);
    case ts.SyntaxKind.ObjectLiteralExpression:
      return evalObject(it, node as ts.ObjectLiteralExpression, ctx);
    case ts.SyntaxKind.ArrayLiteralExpression: {
      const a = node as ts.ArrayLiteralExpression;
      const site = st.site(a);
      const cell = st.heapCell(site, ELEM);
      const pc = it.pcOf(ctx);
      for (const el of a.elements) {
        if (ts.isSpreadElement(el)) {
          const v = it.ev(el.expression, ctx);
          st.iterated(v, pc);
          st.joinCell(cell, withLabels(st.elementsOf(v), pc));
        }
        else if (!ts.isOmittedExpression(el)) st.joinCell(cell, withLabels(it.ev(el, ctx), pc));
      }
      return { ...BOTTOM, consts: null, objs: new Set([site]) };
    }
    case ts.SyntaxKind.SpreadElement:
      return st.elementsOf(it.ev((node as ts.SpreadElement).expression, ctx));
    case ts.SyntaxKind.ConditionalExpression: {
      const c = node as ts.ConditionalExpression;
      const cond = it.ev(c.condition, ctx);
      const cl = st.effLabels(cond);
      const inner: Ctx = { ...ctx, pc: unionLabels(ctx.pc, cl) };
      const a = it.ev(c.whenTrue, inner);
      const b = it.ev(c.whenFalse, inner);
      return withLabels(join(a, b), cl);
    }
    case ts.SyntaxKind.BinaryExpression:
      return evalBinary(it, node as ts.BinaryExpression, ctx);
    case ts.SyntaxKind.PrefixUnaryExpression:
    case ts.SyntaxKind.PostfixUnaryExpression: {
      const u = node as ts.PrefixUnaryExpression;
      const v = it.ev(u.operand, ctx);
      const labels = st.effLabels(v);
      if (u.operator === ts.SyntaxKind.PlusPlusToken || u.operator === ts.SyntaxKind.MinusMinusToken) {
        const d = u.operator === ts.SyntaxKind.PlusPlusToken ? 1 : -1;
        const next: AbsVal = { ...opaque(labels), consts: mapConsts(v, (x) => Number(x) + d) };
        assign(it, u.operand, next, ctx);
        return node.kind === ts.SyntaxKind.PrefixUnaryExpression ? next : { ...opaque(labels), consts: mapConsts(v, (x) => Number(x)) };
      }
      const op = u.operator;
      const f = (x: Const): Const => {
        switch (op) {
          case ts.SyntaxKind.ExclamationToken: return !x;
          case ts.SyntaxKind.MinusToken: return -Number(x);
          case ts.SyntaxKind.PlusToken: return Number(x);
          case ts.SyntaxKind.TildeToken: return ~Number(x);
          default: return undefined;
        }
      };
      return { ...opaque(st.deepLabels(v)), consts: v.objs.size || v.fns.size ? null : mapConsts(v, f) };
    }
    case ts.SyntaxKind.TypeOfExpression: {
      const v = it.ev((node as ts.TypeOfExpression).expression, ctx);
      return { ...opaque(st.effLabels(v)), consts: v.objs.size || v.fns.size || v.resp.size ? null : mapConsts(v, (x) => (x === null ? 'object' : typeof x)) };
    }
    case ts.SyntaxKind.VoidExpression:
      it.ev((node as ts.VoidExpression).expression, ctx);
      return constant(undefined);
    case ts.SyntaxKind.DeleteExpression: {
      const target = (node as ts.DeleteExpression).expression;
      let inner: ts.Expression = target;
      while (ts.isParenthesizedExpression(inner) || ts.isAsExpression(inner) || ts.isNonNullExpression(inner)) inner = inner.expression;
      if (ts.isPropertyAccessExpression(inner) || ts.isElementAccessExpression(inner)) {
        // Which keys the object still has now depends on the key deleted and on the branch
        // that deleted it (`'a' in o` reads that back).
        const obj = it.ev(inner.expression, ctx);
        writeInto(it, obj, ctx);
        const key = ts.isElementAccessExpression(inner) ? st.effLabels(it.ev(inner.argumentExpression, ctx)) : new Set<string>();
        st.writeProp(obj, ANY_KEY, opaque(unionLabels(key, it.pcOf(ctx))));
      }
      const v = it.ev(target, ctx);
      return opaque(st.effLabels(v));
    }
    case ts.SyntaxKind.YieldExpression: {
      const y = node as ts.YieldExpression;
      if (y.expression) {
        let v = it.ev(y.expression, ctx);
        if (y.asteriskToken) v = st.elementsOf(v);
        st.joinCell(ctx.fn.ret, withLabels(v, it.pcOf(ctx)));
      }
      return ctx.fn.send.value;
    }
    case ts.SyntaxKind.CommaListExpression:
      return TOP_CLEAN;
    case ts.SyntaxKind.MetaProperty:
      it.unknown(node, '`new.target` / `import.meta` are outside the analysed subset');
      return TOP_CLEAN;
    default:
      it.unknown(node, `the analysis does not follow a ${ts.SyntaxKind[node.kind]}`);
      return TOP_CLEAN;
  }
}

function evalIdentifier(it: Interp, id: ts.Identifier, ctx: Ctx): AbsVal {
  if (id.text === 'undefined') return constant(undefined);
  if (id.text === 'NaN') return constant(NaN);
  if (id.text === 'Infinity') return constant(Infinity);
  const sym = it.checker.getSymbolAtLocation(id);
  useBinding(it, sym, id, ctx);
  return valueOfSymbol(it, sym, id);
}

export function valueOfSymbol(it: Interp, sym: ts.Symbol | undefined, at: ts.Node): AbsVal {
  const kind = it.resolver.symbolKind(sym);
  switch (kind.kind) {
    case 'service':
      return { ...BOTTOM, consts: null, svcs: new Set([kind.service]) };
    case 'console':
      return { ...BOTTOM, consts: null, svcs: new Set(['#console']) };
    case 'operation':
      return { ...BOTTOM, consts: null, ops: new Set([kind.op]) };
    case 'builtin':
      if (kind.name === 'arguments') return argumentsValue(it, at);
      if (kind.name === 'params') return paramsValue(it, sym!);
      return TOP_CLEAN;
    case 'user': {
      const decl = sym!.valueDeclaration ?? sym!.declarations?.[0];
      if (decl && (ts.isFunctionDeclaration(decl) || ts.isClassDeclaration(decl))) {
        const fnVal: AbsVal = { ...BOTTOM, consts: null, fns: new Set([decl]) };
        return ts.isClassDeclaration(decl) ? { ...fnVal, objs: new Set([it.state.site(decl)]) } : fnVal;
      }
      if (decl && ts.isEnumDeclaration(decl)) return TOP_CLEAN;
      return it.state.varCell(sym!).value;
    }
    default:
      return TOP_CLEAN;
  }
}

/** The task's inputs: any values, unlabelled (trusted), at any depth; never a known constant. */
function paramsValue(it: Interp, sym: ts.Symbol): AbsVal {
  const site = it.state.site(sym.valueDeclaration ?? sym.declarations![0], 'params');
  const self: AbsVal = { ...BOTTOM, consts: null, objs: new Set([site]), labels: it.paramsLabels ?? BOTTOM.labels };
  it.state.joinCell(it.state.heapCell(site, ANY_KEY), self);
  return self;
}

function argumentsValue(it: Interp, at: ts.Node): AbsVal {
  for (let n: ts.Node | undefined = at.parent; n; n = n.parent) {
    if (ts.isFunctionLike(n) && !ts.isArrowFunction(n)) {
      let out: AbsVal = BOTTOM;
      for (const p of (n as ts.SignatureDeclaration).parameters) {
        const sym = ts.isIdentifier(p.name) ? it.checker.getSymbolAtLocation(p.name) : undefined;
        if (sym) out = join(out, it.state.varCell(sym).value);
        else it.unknown(p, '`arguments` with destructured parameters');
      }
      const site = it.state.site(n, 'arguments');
      it.state.joinCell(it.state.heapCell(site, ELEM), out);
      return { ...BOTTOM, consts: null, objs: new Set([site]) };
    }
  }
  return TOP_CLEAN;
}

function evalThis(it: Interp, node: ts.Node, ctx: Ctx): AbsVal {
  for (let n: ts.Node | undefined = node.parent; n; n = n.parent) {
    if (ts.isArrowFunction(n)) continue;
    if (ts.isPropertyDeclaration(n) && n.parent && ts.isClassLike(n.parent)) {
      return it.state.fn(n.parent).thisCell.value;
    }
    if (ts.isClassStaticBlockDeclaration(n)) return { ...BOTTOM, consts: null, objs: new Set([it.state.site(n.parent)]) };
    if (ts.isFunctionLike(n)) {
      if ((ts.isMethodDeclaration(n) || ts.isConstructorDeclaration(n)) && n.parent && ts.isClassLike(n.parent)) {
        if (ts.isMethodDeclaration(n) && n.modifiers?.some((m) => m.kind === ts.SyntaxKind.StaticKeyword)) {
          return join(it.state.fn(n).thisCell.value, { ...BOTTOM, consts: null, objs: new Set([it.state.site(n.parent)]) });
        }
        return it.state.fn(n).thisCell.value;
      }
      if (ts.isMethodDeclaration(n) && ts.isObjectLiteralExpression(n.parent)) return it.state.fn(n).thisCell.value;
      break;
    }
  }
  it.unknown(node, '`this` outside a class or object method (a global lookup)');
  void ctx;
  return TOP_CLEAN;
}

/** Reads `obj.name` (name constant). */
export function readMember(it: Interp, node: ts.Node, obj: AbsVal, name: string, keyVal: AbsVal): AbsVal {
  const st = it.state;
  if (DANGEROUS_KEYS.has(name)) {
    it.unknown(node, `\`${name}\` reaches the prototype chain or the Function constructor`);
    return TOP_CLEAN;
  }
  let out = st.readProp(obj, name);
  if (keyVal !== BOTTOM) out = withLabels(out, st.effLabels(keyVal));
  for (const svc of obj.svcs) {
    if (svc === '#console') out = join(out, { ...BOTTOM, consts: null, ops: new Set(['#console']) });
    else if (it.catalog.operations.has(`${svc}.${name}`)) out = join(out, { ...BOTTOM, consts: null, ops: new Set([`${svc}.${name}`]) });
  }
  if (obj.ops.size && !['name', 'length'].includes(name)) {
    it.unknown(node, `\`.${name}\` on an API operation: the call it leads to cannot be followed`);
    out = join(out, { ...BOTTOM, consts: null, ops: new Set([...obj.ops].filter((o) => o !== '#console')) });
  }
  for (const f of obj.fns) out = join(out, st.readProp({ ...BOTTOM, objs: new Set([st.site(f)]) }, name));
  if (obj.fns.size && (name === 'call' || name === 'apply' || name === 'bind')) {
    out = join(out, { ...BOTTOM, consts: null, fns: obj.fns });
  }
  // Methods and static members of program classes, resolved through the checker (prototype chain).
  if (ts.isPropertyAccessExpression(node)) {
    const sym = it.checker.getSymbolAtLocation(node.name);
    const decl = sym?.valueDeclaration;
    if (decl && decl.getSourceFile() === it.file && (ts.isMethodDeclaration(decl) || ts.isFunctionLike(decl)) && 'body' in decl && decl.body) {
      out = join(out, { ...BOTTOM, consts: null, fns: new Set([decl]) });
    }
  }
  if (name === 'length') {
    out = join(opaque(st.shallowLabels(obj)), { ...BOTTOM, consts: mapConsts(obj, (x) => (typeof x === 'string' ? x.length : undefined)) });
  }
  return out;
}

export function readElement(it: Interp, node: ts.ElementAccessExpression, obj: AbsVal, key: AbsVal): AbsVal {
  const st = it.state;
  const keys = key.consts;
  if (keys && keys.size > 0 && [...keys].every((k) => typeof k === 'string' || typeof k === 'number')) {
    let out = BOTTOM;
    for (const k of keys) {
      const name = typeof k === 'number' || /^\d+$/.test(String(k)) ? (obj.objs.size || obj.resp.size ? normIndex(obj, k) : String(k)) : String(k);
      out = join(out, readMember(it, node, obj, name, key));
      if (typeof k === 'string' && obj.consts) {
        const chars = mapConsts(obj, (s) => (typeof s === 'string' ? s[Number(k)] : undefined));
        out = join(out, { ...BOTTOM, consts: chars });
      }
    }
    return out;
  }
  if (obj.svcs.size && [...obj.svcs].some((s) => s !== '#console')) {
    it.unknown(node, 'a computed member of a service object: which operation is called cannot be known');
    const ops = new Set<string>();
    for (const s of obj.svcs) for (const op of it.catalog.operations.values()) if (op.service === s) ops.add(op.id);
    return { ...BOTTOM, consts: null, ops, labels: st.effLabels(key) };
  }
  const labels = st.effLabels(key);
  if (keys === null || keys.size) {
    // A key that is not a constant: read every cell (sound), the key's labels included.
    let out = withLabels(st.readProp(obj, ANY_KEY), labels);
    if (obj.consts === null || obj.consts.size) out = join(out, opaque(unionLabels(st.effLabels(obj), labels)));
    return out;
  }
  return BOTTOM;
}

function normIndex(obj: AbsVal, k: Const): string {
  return /^\d+$/.test(String(k)) ? (obj.objs.size && !obj.resp.size ? String(k) : ELEM) : String(k);
}

function evalTemplate(it: Interp, t: ts.TemplateExpression, ctx: Ctx): AbsVal {
  let acc: AbsVal = constant(t.head.text);
  for (const span of t.templateSpans) {
    const v = it.ev(span.expression, ctx);
    const labels = it.state.deepLabels(v);
    const str: AbsVal = { ...opaque(labels), consts: v.objs.size || v.fns.size || v.resp.size ? null : mapConsts(v, (x) => String(x)) };
    acc = { ...opaque(unionLabels(acc.labels, labels)), consts: foldConsts(acc, str, (a, b) => String(a) + String(b)) };
    acc = { ...acc, consts: foldConsts(acc, constant(span.literal.text), (a, b) => String(a) + String(b)) };
  }
  return acc;
}

function evalBinary(it: Interp, b: ts.BinaryExpression, ctx: Ctx): AbsVal {
  const st = it.state;
  const op = b.operatorToken.kind;
  if (op === ts.SyntaxKind.EqualsToken) {
    const v = it.ev(b.right, ctx);
    assign(it, b.left, v, ctx);
    return v;
  }
  if (op === ts.SyntaxKind.AmpersandAmpersandToken || op === ts.SyntaxKind.BarBarToken || op === ts.SyntaxKind.QuestionQuestionToken) {
    const left = it.ev(b.left, ctx);
    const ll = st.effLabels(left);
    const right = it.ev(b.right, { ...ctx, pc: unionLabels(ctx.pc, ll) });
    return withLabels(join(left, right), ll);
  }
  if (op === ts.SyntaxKind.AmpersandAmpersandEqualsToken || op === ts.SyntaxKind.BarBarEqualsToken || op === ts.SyntaxKind.QuestionQuestionEqualsToken) {
    const left = it.ev(b.left, ctx);
    const ll = st.effLabels(left);
    const right = it.ev(b.right, { ...ctx, pc: unionLabels(ctx.pc, ll) });
    const v = withLabels(join(left, right), ll);
    assign(it, b.left, v, ctx);
    return v;
  }
  if (op === ts.SyntaxKind.CommaToken) {
    it.ev(b.left, ctx);
    return it.ev(b.right, ctx);
  }
  const compound = compoundOperator(op);
  const left = it.ev(b.left, ctx);
  const right = it.ev(b.right, ctx);
  const result = arith(it, compound ?? op, left, right);
  if (compound !== undefined) assign(it, b.left, result, ctx);
  return result;
}

function arith(it: Interp, op: ts.SyntaxKind, a: AbsVal, b: AbsVal): AbsVal {
  const st = it.state;
  const labels = unionLabels(st.deepLabels(a), st.deepLabels(b));
  const prim = (v: AbsVal) => v.objs.size === 0 && v.fns.size === 0 && v.resp.size === 0 && v.svcs.size === 0;
  const consts = prim(a) && prim(b) ? foldConsts(a, b, (x, y) => binop(op, x, y)) : null;
  return { ...opaque(labels), consts };
}

function binop(op: ts.SyntaxKind, x: Const, y: Const): Const {
  /* eslint-disable @typescript-eslint/no-explicit-any */
  const a = x as any;
  const c = y as any;
  switch (op) {
    case ts.SyntaxKind.PlusToken: return a + c;
    case ts.SyntaxKind.MinusToken: return a - c;
    case ts.SyntaxKind.AsteriskToken: return a * c;
    case ts.SyntaxKind.SlashToken: return a / c;
    case ts.SyntaxKind.PercentToken: return a % c;
    case ts.SyntaxKind.AsteriskAsteriskToken: return a ** c;
    case ts.SyntaxKind.EqualsEqualsEqualsToken: return a === c;
    case ts.SyntaxKind.ExclamationEqualsEqualsToken: return a !== c;
    case ts.SyntaxKind.EqualsEqualsToken: return a == c;
    case ts.SyntaxKind.ExclamationEqualsToken: return a != c;
    case ts.SyntaxKind.LessThanToken: return a < c;
    case ts.SyntaxKind.LessThanEqualsToken: return a <= c;
    case ts.SyntaxKind.GreaterThanToken: return a > c;
    case ts.SyntaxKind.GreaterThanEqualsToken: return a >= c;
    case ts.SyntaxKind.AmpersandToken: return a & c;
    case ts.SyntaxKind.BarToken: return a | c;
    case ts.SyntaxKind.CaretToken: return a ^ c;
    case ts.SyntaxKind.LessThanLessThanToken: return a << c;
    case ts.SyntaxKind.GreaterThanGreaterThanToken: return a >> c;
    case ts.SyntaxKind.GreaterThanGreaterThanGreaterThanToken: return a >>> c;
    default: return undefined;
  }
  /* eslint-enable @typescript-eslint/no-explicit-any */
}

function compoundOperator(op: ts.SyntaxKind): ts.SyntaxKind | undefined {
  const map: Partial<Record<ts.SyntaxKind, ts.SyntaxKind>> = {
    [ts.SyntaxKind.PlusEqualsToken]: ts.SyntaxKind.PlusToken,
    [ts.SyntaxKind.MinusEqualsToken]: ts.SyntaxKind.MinusToken,
    [ts.SyntaxKind.AsteriskEqualsToken]: ts.SyntaxKind.AsteriskToken,
    [ts.SyntaxKind.SlashEqualsToken]: ts.SyntaxKind.SlashToken,
    [ts.SyntaxKind.PercentEqualsToken]: ts.SyntaxKind.PercentToken,
    [ts.SyntaxKind.AsteriskAsteriskEqualsToken]: ts.SyntaxKind.AsteriskAsteriskToken,
    [ts.SyntaxKind.AmpersandEqualsToken]: ts.SyntaxKind.AmpersandToken,
    [ts.SyntaxKind.BarEqualsToken]: ts.SyntaxKind.BarToken,
    [ts.SyntaxKind.CaretEqualsToken]: ts.SyntaxKind.CaretToken,
    [ts.SyntaxKind.LessThanLessThanEqualsToken]: ts.SyntaxKind.LessThanLessThanToken,
    [ts.SyntaxKind.GreaterThanGreaterThanEqualsToken]: ts.SyntaxKind.GreaterThanGreaterThanToken,
    [ts.SyntaxKind.GreaterThanGreaterThanGreaterThanEqualsToken]: ts.SyntaxKind.GreaterThanGreaterThanGreaterThanToken,
  };
  return map[op];
}

/** Assigns to a target expression (identifier, member, or destructuring pattern). */
export function assign(it: Interp, target: ts.Expression, value: AbsVal, ctx: Ctx): void {
  const st = it.state;
  const pc = it.pcOf(ctx);
  const v = withLabels(value, pc);
  if (ts.isParenthesizedExpression(target) || ts.isAsExpression(target) || ts.isNonNullExpression(target) || ts.isSatisfiesExpression(target)) {
    assign(it, target.expression, value, ctx);
  } else if (ts.isIdentifier(target)) {
    const sym = it.checker.getSymbolAtLocation(target);
    useBinding(it, sym, target, ctx);
    if (sym && it.resolver.symbolKind(sym).kind === 'user') st.joinCell(st.varCell(sym), v);
    else it.unknown(target, `an assignment to \`${target.text}\`, which the program does not own`);
  } else if (ts.isPropertyAccessExpression(target)) {
    const obj = it.ev(target.expression, ctx);
    writeInto(it, obj, ctx);
    writeMember(it, target, obj, target.name.text, v);
  } else if (ts.isElementAccessExpression(target)) {
    const obj = it.ev(target.expression, ctx);
    const key = it.ev(target.argumentExpression, ctx);
    writeInto(it, obj, ctx);
    const keys = key.consts;
    const kv = withLabels(v, st.effLabels(key));
    if (keys && keys.size && [...keys].every((k) => typeof k === 'string' || typeof k === 'number')) {
      for (const k of keys) writeMember(it, target, obj, /^\d+$/.test(String(k)) && isArrayish(it, target.expression) ? ELEM : String(k), kv);
    } else writeMember(it, target, obj, ANY_KEY, kv);
  } else if (ts.isObjectLiteralExpression(target)) {
    for (const p of target.properties) {
      if (ts.isShorthandPropertyAssignment(p)) assign(it, p.name, withLabels(st.readProp(value, p.name.text), pc), ctx);
      else if (ts.isPropertyAssignment(p)) {
        const key = propertyKey(it, p.name, ctx);
        const inner = p.initializer;
        const tgt = ts.isBinaryExpression(inner) && inner.operatorToken.kind === ts.SyntaxKind.EqualsToken ? inner.left : inner;
        const dflt = tgt !== inner ? it.ev((inner as ts.BinaryExpression).right, ctx) : BOTTOM;
        assign(it, tgt, join(st.readProp(value, key ?? ANY_KEY), dflt), ctx);
      } else if (ts.isSpreadAssignment(p)) assign(it, p.expression, value, ctx);
    }
  } else if (ts.isArrayLiteralExpression(target)) {
    st.iterated(value, pc);
    const el = st.elementsOf(value);
    for (const e of target.elements) {
      if (ts.isOmittedExpression(e)) continue;
      if (ts.isSpreadElement(e)) assign(it, e.expression, value, ctx);
      else if (ts.isBinaryExpression(e) && e.operatorToken.kind === ts.SyntaxKind.EqualsToken) assign(it, e.left, join(el, it.ev(e.right, ctx)), ctx);
      else assign(it, e, el, ctx);
    }
  } else {
    it.unknown(target, 'an assignment target the analysis does not follow');
  }
}

function isArrayish(it: Interp, e: ts.Expression): boolean {
  const t = it.checker.getTypeAtLocation(e);
  return it.checker.isArrayType(t) || it.checker.isTupleType(t);
}

function writeMember(it: Interp, node: ts.Node, obj: AbsVal, key: string, v: AbsVal): void {
  if (DANGEROUS_KEYS.has(key)) {
    it.unknown(node, `a write to \`${key}\` changes prototypes`);
    return;
  }
  if (obj.svcs.size || obj.ops.size) it.unknown(node, 'a write to a service object or operation');
  if (obj.objs.size === 0 && obj.resp.size === 0 && (obj.consts === null || obj.labels.size)) {
    // A write into something the analysis does not track (a built-in, an opaque value).
    const t = it.checker.getTypeAtLocation(node);
    void t;
    if (!obj.fns.size) it.unknown(node, 'a write into an object the analysis does not track (a built-in or an opaque value)');
  }
  it.state.writeProp(obj, key, v);
  for (const f of obj.fns) it.state.joinCell(it.state.heapCell(it.state.site(f), key), v);
}

export function propertyKey(it: Interp, name: ts.PropertyName, ctx: Ctx): string | undefined {
  if (ts.isIdentifier(name) || ts.isStringLiteral(name) || ts.isNumericLiteral(name) || ts.isPrivateIdentifier(name)) return name.text;
  if (ts.isComputedPropertyName(name)) {
    const k = single(it.ev(name.expression, ctx));
    if (k && (typeof k.value === 'string' || typeof k.value === 'number')) return String(k.value);
  }
  return undefined;
}

function evalObject(it: Interp, o: ts.ObjectLiteralExpression, ctx: Ctx): AbsVal {
  const st = it.state;
  const site = st.site(o);
  const pc = it.pcOf(ctx);
  const self: AbsVal = { ...BOTTOM, consts: null, objs: new Set([site]) };
  for (const p of o.properties) {
    if (ts.isPropertyAssignment(p)) {
      const key = propertyKey(it, p.name, ctx);
      let v = it.ev(p.initializer, ctx);
      if (key === undefined && ts.isComputedPropertyName(p.name)) v = withLabels(v, st.effLabels(it.ev(p.name.expression, ctx)));
      if (key === '__proto__') it.unknown(p, '`__proto__` in an object literal sets a prototype');
      st.joinCell(st.heapCell(site, key ?? ANY_KEY), withLabels(v, pc));
    } else if (ts.isShorthandPropertyAssignment(p)) {
      const sym = it.checker.getShorthandAssignmentValueSymbol(p);
      useBinding(it, sym, p.name, ctx);
      st.joinCell(st.heapCell(site, p.name.text), withLabels(valueOfSymbol(it, sym, p.name), pc));
    } else if (ts.isSpreadAssignment(p)) {
      st.joinCell(st.heapCell(site, SPREAD), withLabels(it.ev(p.expression, ctx), pc));
    } else if (ts.isMethodDeclaration(p) || ts.isGetAccessorDeclaration(p) || ts.isSetAccessorDeclaration(p)) {
      const key = propertyKey(it, p.name, ctx);
      st.joinCell(st.heapCell(site, key ?? ANY_KEY), { ...BOTTOM, consts: null, fns: new Set([p]) });
      st.joinCell(st.fn(p).thisCell, self);
    }
  }
  return self;
}

export function evalClass(it: Interp, c: ts.ClassLikeDeclaration, ctx: Ctx): AbsVal {
  const st = it.state;
  const site = st.site(c);
  const pc = it.pcOf(ctx);
  for (const m of c.members) {
    if (ts.isPropertyDeclaration(m) && m.modifiers?.some((x) => x.kind === ts.SyntaxKind.StaticKeyword) && m.initializer) {
      const key = propertyKey(it, m.name, ctx) ?? ANY_KEY;
      st.joinCell(st.heapCell(site, key), withLabels(it.ev(m.initializer, ctx), pc));
    }
  }
  return { ...BOTTOM, consts: null, fns: new Set([c]), objs: new Set([site]) };
}
