/**
 * TypeScript's syntax tree → the interpreter's tree (interp/ast.ts). This is the subset's gate:
 * every construct the interpreter implements is mapped here, and anything else is refused with
 * a message naming the construct and where it is. Types are dropped; nothing else changes.
 *
 * The input is the very `ts.SourceFile` the analysis examined (or the same text parsed by the same
 * compiler), so the program that runs is the program that was judged.
 */
import ts from 'typescript';
import type * as A from './ast.ts';
import { lowerExpr, skipTypes } from './lower-expr.ts';
import { checkFreeNames } from './names.ts';

/** The user's source is the body of this function (same wrapping as the analysis). */
export const PREFIX = 'async function __flowgateProgram() {\n';
export const SUFFIX = '\n}\n';

/** A construct outside the subset, or a name the program may not use. */
export interface LowerError {
  /** Offset in the user's source. */
  start: number;
  end: number;
  message: string;
}

export interface Lowered {
  program?: A.Program;
  errors: LowerError[];
}

export interface LowerOptions {
  /** Free names the program may use besides the built-in globals (the catalog's services). */
  services: readonly string[];
}

/** Parses `source` as the analysis does and lowers it. */
export function lowerSource(source: string, options: LowerOptions): Lowered {
  const file = ts.createSourceFile('program.ts', PREFIX + source + SUFFIX, ts.ScriptTarget.ES2023, true, ts.ScriptKind.TS);
  return lowerFile(file, source, options);
}

/** Lowers the program in `file` (the wrapped source). */
export function lowerFile(file: ts.SourceFile, source: string, options: LowerOptions): Lowered {
  const lowerer = new Lowerer(file);
  const main = file.statements[0];
  const parseErrors = (file as unknown as { parseDiagnostics?: ts.Diagnostic[] }).parseDiagnostics ?? [];
  for (const d of parseErrors) {
    const start = Math.max(0, (d.start ?? 0) - PREFIX.length);
    lowerer.errors.push({ start, end: start + (d.length ?? 0), message: ts.flattenDiagnosticMessageText(d.messageText, '\n') });
  }
  if (file.statements.length !== 1 || !main || !ts.isFunctionDeclaration(main) || !main.body || main.body.end !== PREFIX.length + source.length + 2) {
    lowerer.errors.push({ start: 0, end: source.length, message: 'a program is the body of one async function: its braces must balance, and nothing may follow the body' });
    return { errors: lowerer.errors };
  }
  const body = lowerer.block(main.body.statements);
  const lines = [0];
  for (let i = 0; i < source.length; i++) if (source.charCodeAt(i) === 10) lines.push(i + 1);
  const program: A.Program = { body, lines };
  if (lowerer.errors.length === 0) lowerer.errors.push(...checkFreeNames(program, options.services, source.length));
  return lowerer.errors.length ? { errors: lowerer.errors } : { program, errors: [] };
}

const K = ts.SyntaxKind;

class Lowerer {
  readonly errors: LowerError[] = [];
  private readonly file: ts.SourceFile;

  constructor(file: ts.SourceFile) {
    this.file = file;
  }

  private pos(node: ts.Node): number {
    return Math.max(0, node.getStart(this.file) - PREFIX.length);
  }

  refuse(node: ts.Node, what: string): void {
    const start = this.pos(node);
    this.errors.push({ start, end: Math.max(start, node.end - PREFIX.length), message: `${what} is outside the subset Flowgate runs` });
  }

  // ---- statements ----

  block(statements: readonly ts.Statement[]): A.Stmt[] {
    const out: A.Stmt[] = [];
    for (const s of statements) {
      const lowered = this.stmt(s);
      if (lowered) out.push(lowered);
    }
    return out;
  }

  stmt(s: ts.Statement): A.Stmt | undefined {
    const p = this.pos(s);
    if (ts.canHaveModifiers(s) && ts.getModifiers(s)?.some((m) => m.kind === K.DeclareKeyword)) {
      this.refuse(s, 'an ambient (`declare`) declaration');
      return undefined;
    }
    switch (s.kind) {
      case K.VariableStatement:
        return this.varList((s as ts.VariableStatement).declarationList, p);
      case K.FunctionDeclaration: {
        const f = s as ts.FunctionDeclaration;
        if (!f.body) return undefined; // an overload signature
        if (!f.name) {
          this.refuse(s, 'a function declaration without a name');
          return undefined;
        }
        return { t: 'FnDecl', p, name: f.name.text, fn: this.fn(f) };
      }
      case K.ClassDeclaration: {
        const c = s as ts.ClassDeclaration;
        if (!c.name) {
          this.refuse(s, 'a class declaration without a name');
          return undefined;
        }
        return { t: 'ClassDecl', p, name: c.name.text, cls: this.cls(c) };
      }
      case K.ExpressionStatement:
        return { t: 'Expr', p, e: this.expr((s as ts.ExpressionStatement).expression) };
      case K.IfStatement: {
        const i = s as ts.IfStatement;
        return { t: 'If', p, test: this.expr(i.expression), then: this.sub(i.thenStatement), else: i.elseStatement ? this.sub(i.elseStatement) : undefined };
      }
      case K.Block:
        return { t: 'Block', p, body: this.block((s as ts.Block).statements) };
      case K.ReturnStatement: {
        const r = s as ts.ReturnStatement;
        return { t: 'Return', p, e: r.expression ? this.expr(r.expression) : undefined };
      }
      case K.ThrowStatement:
        return { t: 'Throw', p, e: this.expr((s as ts.ThrowStatement).expression) };
      case K.BreakStatement:
        return { t: 'Break', p, label: (s as ts.BreakStatement).label?.text };
      case K.ContinueStatement:
        return { t: 'Continue', p, label: (s as ts.ContinueStatement).label?.text };
      case K.WhileStatement: {
        const w = s as ts.WhileStatement;
        return { t: 'While', p, test: this.expr(w.expression), body: this.sub(w.statement) };
      }
      case K.DoStatement: {
        const d = s as ts.DoStatement;
        return { t: 'DoWhile', p, test: this.expr(d.expression), body: this.sub(d.statement) };
      }
      case K.ForStatement: {
        const f = s as ts.ForStatement;
        let init: A.Stmt | undefined;
        if (f.initializer) {
          init = ts.isVariableDeclarationList(f.initializer)
            ? this.varList(f.initializer, this.pos(f.initializer))
            : { t: 'Expr', p: this.pos(f.initializer), e: this.expr(f.initializer) };
        }
        return {
          t: 'For', p, init,
          test: f.condition ? this.expr(f.condition) : undefined,
          update: f.incrementor ? this.expr(f.incrementor) : undefined,
          body: this.sub(f.statement),
        };
      }
      case K.ForOfStatement:
      case K.ForInStatement: {
        const f = s as ts.ForOfStatement | ts.ForInStatement;
        if (ts.isForOfStatement(f) && f.awaitModifier) this.refuse(f, '`for await`');
        let kind: 'let' | 'const' | 'var' | undefined;
        let target: A.Pattern;
        if (ts.isVariableDeclarationList(f.initializer)) {
          kind = this.declKind(f.initializer);
          const decl = f.initializer.declarations[0];
          target = this.bindingPattern(decl.name);
        } else target = this.assignTarget(f.initializer);
        const body = this.sub(f.statement);
        return ts.isForOfStatement(f)
          ? { t: 'ForOf', p, kind, target, iter: this.expr(f.expression), body }
          : { t: 'ForIn', p, kind, target, obj: this.expr(f.expression), body };
      }
      case K.SwitchStatement: {
        const sw = s as ts.SwitchStatement;
        return {
          t: 'Switch', p, disc: this.expr(sw.expression),
          cases: sw.caseBlock.clauses.map((c) => ({ test: ts.isCaseClause(c) ? this.expr(c.expression) : undefined, body: this.block(c.statements) })),
        };
      }
      case K.TryStatement: {
        const tr = s as ts.TryStatement;
        const decl = tr.catchClause?.variableDeclaration;
        return {
          t: 'Try', p, block: this.block(tr.tryBlock.statements),
          param: decl ? this.bindingPattern(decl.name) : undefined,
          handler: tr.catchClause ? this.block(tr.catchClause.block.statements) : undefined,
          finalizer: tr.finallyBlock ? this.block(tr.finallyBlock.statements) : undefined,
        };
      }
      case K.LabeledStatement: {
        const l = s as ts.LabeledStatement;
        return { t: 'Labeled', p, label: l.label.text, body: this.sub(l.statement) };
      }
      case K.EmptyStatement:
      case K.DebuggerStatement:
        return { t: 'Empty', p };
      case K.TypeAliasDeclaration:
      case K.InterfaceDeclaration:
        return undefined;
      case K.EnumDeclaration:
        this.refuse(s, 'an `enum` (use a plain object of constants)');
        return undefined;
      case K.ModuleDeclaration:
        this.refuse(s, 'a namespace');
        return undefined;
      case K.ImportDeclaration:
      case K.ImportEqualsDeclaration:
      case K.ExportDeclaration:
      case K.ExportAssignment:
        this.refuse(s, 'an import or export');
        return undefined;
      case K.WithStatement:
        this.refuse(s, '`with`');
        return undefined;
      default:
        this.refuse(s, `a ${ts.SyntaxKind[s.kind]}`);
        return undefined;
    }
  }

  /** A statement in a position that takes one (if/loop bodies). */
  private sub(s: ts.Statement): A.Stmt {
    return this.stmt(s) ?? { t: 'Empty', p: this.pos(s) };
  }

  private declKind(list: ts.VariableDeclarationList): 'let' | 'const' | 'var' {
    if (list.flags & ts.NodeFlags.Const) return 'const';
    if (list.flags & ts.NodeFlags.Let) return 'let';
    if (list.flags & (ts.NodeFlags.Using | ts.NodeFlags.AwaitUsing)) this.refuse(list, '`using` declarations');
    return 'var';
  }

  private varList(list: ts.VariableDeclarationList, p: number): A.Stmt {
    return {
      t: 'Var', p, kind: this.declKind(list),
      decls: list.declarations.map((d) => ({ target: this.bindingPattern(d.name), init: d.initializer ? this.expr(d.initializer) : undefined })),
    };
  }

  // ---- functions and classes ----

  fn(f: ts.FunctionLikeDeclaration): A.Fn {
    const p = this.pos(f);
    const mods = ts.canHaveModifiers(f) ? ts.getModifiers(f) ?? [] : [];
    const isAsync = mods.some((m) => m.kind === K.AsyncKeyword);
    const generator = !!(f as ts.FunctionDeclaration).asteriskToken;
    if (isAsync && generator) this.refuse(f, 'an async generator');
    if (ts.canHaveDecorators(f) && ts.getDecorators(f)?.length) this.refuse(f, 'a decorator');
    const params: A.Pattern[] = [];
    let rest: A.Pattern | undefined;
    const paramProps: string[] = [];
    for (const param of f.parameters) {
      if (ts.isIdentifier(param.name) && param.name.text === 'this') continue; // a `this` type annotation
      let target = this.bindingPattern(param.name);
      if (ts.getModifiers(param)?.some((m) => m.kind === K.PublicKeyword || m.kind === K.PrivateKeyword || m.kind === K.ProtectedKeyword || m.kind === K.ReadonlyKeyword)) {
        if (ts.isIdentifier(param.name)) paramProps.push(param.name.text);
      }
      if (param.dotDotDotToken) {
        rest = target;
        continue;
      }
      if (param.initializer) target = { t: 'Default', p: this.pos(param), target, value: this.expr(param.initializer) };
      params.push(target);
    }
    const body: A.Stmt[] | A.Expr = !f.body ? [] : ts.isBlock(f.body) ? this.block(f.body.statements) : this.expr(f.body);
    const name = f.name && ts.isIdentifier(f.name) ? f.name.text : undefined;
    const selfName = ts.isFunctionExpression(f) && !!f.name;
    return { p, name, params, rest, body, async: isAsync, generator, arrow: ts.isArrowFunction(f), ...(selfName ? { selfName } : {}), ...(paramProps.length ? { paramProps } : {}) };
  }

  cls(c: ts.ClassLikeDeclaration): A.Class {
    const p = this.pos(c);
    if (ts.getDecorators(c)?.length) this.refuse(c, 'a decorator');
    const ext = c.heritageClauses?.find((h) => h.token === K.ExtendsKeyword)?.types[0];
    const out: A.Class = { p, name: c.name?.text, superClass: ext ? this.expr(ext.expression) : undefined, members: [] };
    for (const m of c.members) {
      const isStatic = !!ts.getModifiers(m as ts.HasModifiers)?.some((x) => x.kind === K.StaticKeyword);
      if (ts.getModifiers(m as ts.HasModifiers)?.some((x) => x.kind === K.AbstractKeyword || x.kind === K.DeclareKeyword)) continue;
      if (ts.canHaveDecorators(m) && ts.getDecorators(m)?.length) this.refuse(m, 'a decorator');
      if (ts.isConstructorDeclaration(m)) {
        if (m.body) out.ctor = this.fn(m);
      } else if (ts.isMethodDeclaration(m)) {
        if (!m.body) continue;
        if (ts.isPrivateIdentifier(m.name)) {
          this.refuse(m, 'a private method (`#name()`; use a private field holding a function, or a plain method)');
          continue;
        }
        out.members.push({ kind: 'method', key: this.propName(m.name), static: isStatic, fn: this.fn(m) });
      } else if (ts.isPropertyDeclaration(m)) {
        const priv = ts.isPrivateIdentifier(m.name);
        out.members.push({ kind: 'field', key: priv ? m.name.text.slice(1) : this.propName(m.name), static: isStatic, value: m.initializer ? this.expr(m.initializer) : undefined, private: priv });
      } else if (ts.isIndexSignatureDeclaration(m) || ts.isSemicolonClassElement(m)) {
        continue;
      } else if (ts.isGetAccessor(m) || ts.isSetAccessor(m)) {
        this.refuse(m, 'a getter or setter (they run code on a plain property read or write)');
      } else if (ts.isClassStaticBlockDeclaration(m)) {
        this.refuse(m, 'a class static block');
      } else this.refuse(m, `a class member of kind ${ts.SyntaxKind[m.kind]}`);
    }
    return out;
  }

  /** A property name: a string for identifiers, literals and constant computed keys; else an expression. */
  propName(name: ts.PropertyName): string | A.Expr {
    if (ts.isIdentifier(name) || ts.isStringLiteral(name) || ts.isNoSubstitutionTemplateLiteral(name)) return name.text;
    if (ts.isNumericLiteral(name)) return String(Number(name.text));
    if (ts.isComputedPropertyName(name)) return this.expr(name.expression);
    if (ts.isPrivateIdentifier(name)) {
      this.refuse(name, 'a private name here');
      return name.text;
    }
    this.refuse(name, 'this kind of property name');
    return '';
  }

  // ---- patterns ----

  /** Names beginning with `__flowgate` are Flowgate's own. */
  checkName(id: ts.Identifier): void {
    if (id.text.startsWith('__flowgate')) this.refuse(id, 'an identifier beginning with `__flowgate` (reserved for Flowgate)');
  }

  bindingPattern(name: ts.BindingName): A.Pattern {
    const p = this.pos(name);
    if (ts.isIdentifier(name)) {
      this.checkName(name);
      return { t: 'Ident', p, name: name.text };
    }
    if (ts.isObjectBindingPattern(name)) {
      const props: { key: string | A.Expr; value: A.Pattern }[] = [];
      let rest: A.Pattern | undefined;
      for (const el of name.elements) {
        let target = this.bindingPattern(el.name);
        if (el.dotDotDotToken) {
          rest = target;
          continue;
        }
        if (el.initializer) target = { t: 'Default', p: this.pos(el), target, value: this.expr(el.initializer) };
        const keyNode = el.propertyName ?? (ts.isIdentifier(el.name) ? el.name : undefined);
        if (!keyNode) {
          this.refuse(el, 'a destructuring element without a key');
          continue;
        }
        props.push({ key: this.propName(keyNode), value: target });
      }
      return { t: 'ObjPat', p, props, rest };
    }
    const elems: (A.Pattern | null)[] = [];
    let rest: A.Pattern | undefined;
    for (const el of name.elements) {
      if (ts.isOmittedExpression(el)) {
        elems.push(null);
        continue;
      }
      let target = this.bindingPattern(el.name);
      if (el.dotDotDotToken) {
        rest = target;
        continue;
      }
      if (el.initializer) target = { t: 'Default', p: this.pos(el), target, value: this.expr(el.initializer) };
      elems.push(target);
    }
    return { t: 'ArrPat', p, elems, rest };
  }

  /** The left side of `=` or of `for (x of …)`: identifiers, members, or destructuring literals. */
  assignTarget(e: ts.Expression): A.Pattern {
    e = skipTypes(e);
    const p = this.pos(e);
    if (ts.isIdentifier(e)) return { t: 'Ident', p, name: e.text };
    if (ts.isPropertyAccessExpression(e) || ts.isElementAccessExpression(e)) {
      const m = this.expr(e);
      if (m.t === 'Member' || m.t === 'Index' || m.t === 'Private') {
        if (m.t !== 'Private' && m.optional) this.refuse(e, 'an optional chain as an assignment target');
        return m;
      }
      this.refuse(e, 'this assignment target');
      return { t: 'Ident', p, name: 'undefined' };
    }
    if (ts.isObjectLiteralExpression(e)) {
      const props: { key: string | A.Expr; value: A.Pattern }[] = [];
      let rest: A.Pattern | undefined;
      for (const prop of e.properties) {
        if (ts.isShorthandPropertyAssignment(prop)) {
          let target: A.Pattern = { t: 'Ident', p: this.pos(prop.name), name: prop.name.text };
          if (prop.objectAssignmentInitializer) target = { t: 'Default', p: this.pos(prop), target, value: this.expr(prop.objectAssignmentInitializer) };
          props.push({ key: prop.name.text, value: target });
        } else if (ts.isPropertyAssignment(prop)) {
          props.push({ key: this.propName(prop.name), value: this.assignTargetWithDefault(prop.initializer) });
        } else if (ts.isSpreadAssignment(prop)) {
          rest = this.assignTarget(prop.expression);
        } else this.refuse(prop, 'this destructuring element');
      }
      return { t: 'ObjPat', p, props, rest };
    }
    if (ts.isArrayLiteralExpression(e)) {
      const elems: (A.Pattern | null)[] = [];
      let rest: A.Pattern | undefined;
      for (const el of e.elements) {
        if (ts.isOmittedExpression(el)) elems.push(null);
        else if (ts.isSpreadElement(el)) rest = this.assignTarget(el.expression);
        else elems.push(this.assignTargetWithDefault(el));
      }
      return { t: 'ArrPat', p, elems, rest };
    }
    this.refuse(e, 'this assignment target');
    return { t: 'Ident', p, name: 'undefined' };
  }

  private assignTargetWithDefault(e: ts.Expression): A.Pattern {
    e = skipTypes(e);
    if (ts.isBinaryExpression(e) && e.operatorToken.kind === K.EqualsToken) {
      return { t: 'Default', p: this.pos(e), target: this.assignTarget(e.left), value: this.expr(e.right) };
    }
    return this.assignTarget(e);
  }

  // ---- expressions (lower-expr.ts) ----

  expr(e: ts.Expression): A.Expr {
    return lowerExpr(this, e);
  }

  position(node: ts.Node): number {
    return this.pos(node);
  }
}

export type { Lowerer };
