/**
 * The abstract interpreter's driver: walks the program body and every function it reaches,
 * again and again, until no cell grows (a fixed point; loops and recursion included). Findings
 * (API calls with their labels, constructs outside the subset) are taken from the final,
 * converged walk only.
 */
import ts from 'typescript';
import type { Catalog } from '../catalog/types.ts';
import { type AtRestLookup, type Ctx, type Interp, type SinkRecord } from './context.ts';
import { evalExpression, propertyKey } from './expressions.ts';
import { Resolver } from './resolve.ts';
import { walkStatement } from './statements.ts';
import { ELEM, State } from './state.ts';
import { BOTTOM, Cell, constant, join, opaque, withLabels, type AbsVal } from './value.ts';

const MAX_ITERATIONS = 80;

export interface Interpretation {
  sinks: SinkRecord[];
  /** What goes back to the agent: the program's result (at each return) and its console lines, with every label they may carry. */
  outputs: { node: ts.Node; labels: Set<string> }[];
  unknowns: { node: ts.Node; message: string }[];
  state: State;
}

export class Interpreter implements Interp {
  readonly state: State;
  readonly resolver: Resolver;
  readonly allSourceLabels = new Cell();
  private readonly invoked = new Set<ts.Node>();
  private sinks = new Map<ts.Node, SinkRecord>();
  private outputs = new Map<ts.Node, Set<string>>();
  private unknowns = new Map<ts.Node, string>();

  readonly checker: ts.TypeChecker;
  readonly file: ts.SourceFile;
  readonly catalog: Catalog;
  readonly atRest?: AtRestLookup;
  readonly paramsLabels?: ReadonlySet<string>;
  private readonly main: ts.FunctionDeclaration;

  constructor(checker: ts.TypeChecker, file: ts.SourceFile, declarations: ts.SourceFile, catalog: Catalog, main: ts.FunctionDeclaration, atRest?: AtRestLookup, paramsLabels?: readonly string[]) {
    this.atRest = atRest;
    this.paramsLabels = paramsLabels?.length ? new Set(paramsLabels) : undefined;
    this.checker = checker;
    this.file = file;
    this.catalog = catalog;
    this.main = main;
    this.state = new State(catalog);
    this.resolver = new Resolver(checker, declarations, file, catalog);
  }

  run(): Interpretation {
    this.invoked.add(this.main);
    let converged = false;
    for (let i = 0; i < MAX_ITERATIONS && !converged; i++) {
      this.state.changed = false;
      this.sinks = new Map();
      this.outputs = new Map();
      this.unknowns = new Map();
      for (const fn of [...this.invoked]) this.walkFunction(fn);
      converged = !this.state.changed;
    }
    if (!converged) this.unknown(this.main, 'the analysis did not reach a fixed point');
    return {
      sinks: [...this.sinks.values()],
      outputs: [...this.outputs].map(([node, labels]) => ({ node, labels })),
      unknowns: [...this.unknowns].map(([node, message]) => ({ node, message })),
      state: this.state,
    };
  }

  private walkFunction(fn: ts.Node): void {
    const info = this.state.fn(fn);
    const ctx: Ctx = { fn: info, pc: info.ctxPc.value.labels, exit: new Set(), handlers: [] };
    if (ts.isClassLike(fn)) {
      // Instance field initializers run with `this` = the new instance.
      for (const m of fn.members) {
        if (ts.isPropertyDeclaration(m) && m.initializer && !m.modifiers?.some((x) => x.kind === ts.SyntaxKind.StaticKeyword)) {
          const key = propertyKey(this, m.name, ctx) ?? '*';
          this.state.writeProp(info.thisCell.value, key, withLabels(this.ev(m.initializer, ctx), this.pcOf(ctx)));
        }
      }
      return;
    }
    const f = fn as ts.FunctionLikeDeclaration;
    for (const p of f.parameters) if (p.initializer) this.bind(p.name, this.ev(p.initializer, ctx), ctx);
    if (!f.body) return;
    if (ts.isBlock(f.body)) for (const s of f.body.statements) walkStatement(this, s, ctx);
    else {
      const v = this.ev(f.body, ctx);
      this.state.joinCell(info.ret, withLabels(v, this.pcOf(ctx)));
    }
  }

  ev(node: ts.Expression, ctx: Ctx): AbsVal {
    return evalExpression(this, node, ctx);
  }

  bind(name: ts.BindingName, value: AbsVal, ctx: Ctx): void {
    const st = this.state;
    if (ts.isIdentifier(name)) {
      const sym = this.checker.getSymbolAtLocation(name);
      if (sym) st.joinCell(st.varCell(sym), value);
      if (name.text.startsWith('__flowgate')) this.unknown(name, 'identifiers beginning with `__flowgate` are reserved for the runtime');
      return;
    }
    if (ts.isObjectBindingPattern(name)) {
      for (const el of name.elements) {
        if (el.dotDotDotToken) {
          this.bind(el.name, value, ctx);
          continue;
        }
        const keyNode = el.propertyName ?? (ts.isIdentifier(el.name) ? el.name : undefined);
        const key = keyNode ? propertyKey(this, keyNode, ctx) : undefined;
        let v: AbsVal;
        if (key !== undefined) {
          const readNode = keyNode!;
          v = st.readProp(value, key);
          for (const svc of value.svcs) if (this.catalog.operations.has(`${svc}.${key}`)) v = join(v, { ...BOTTOM, consts: null, ops: new Set([`${svc}.${key}`]) });
          void readNode;
        } else {
          if (value.svcs.size) this.unknown(el, 'a computed member of a service object');
          v = st.readProp(value, '*');
        }
        if (el.initializer) v = join(v, this.ev(el.initializer, ctx));
        this.bind(el.name, v, ctx);
      }
      return;
    }
    st.iterated(value, this.pcOf(ctx));
    const el = st.elementsOf(value);
    for (const e of name.elements) {
      if (ts.isOmittedExpression(e)) continue;
      let v = e.dotDotDotToken ? value : el;
      if (e.initializer) v = join(v, this.ev(e.initializer, ctx));
      this.bind(e.name, v, ctx);
    }
  }

  invoke(fn: ts.Node, args: AbsVal[], thisVal: AbsVal, ctx: Ctx, site: ts.Node): AbsVal {
    const st = this.state;
    if (!this.invoked.has(fn)) {
      this.invoked.add(fn);
      st.changed = true;
    }
    const info = st.fn(fn);
    const pc = this.pcOf(ctx);
    st.joinCell(info.ctxPc, opaque(pc));
    st.joinCell(info.thisCell, thisVal);
    if (ts.isClassLike(fn)) return BOTTOM;
    const f = fn as ts.FunctionLikeDeclaration;
    f.parameters.forEach((p, i) => {
      if (p.dotDotDotToken) {
        const rest = st.site(p, 'rest');
        st.joinCell(st.heapCell(rest, ELEM), args.slice(i).reduce(join, BOTTOM));
        this.bind(p.name, { ...BOTTOM, consts: null, objs: new Set([rest]) }, ctx);
        return;
      }
      const v = args[i] ?? constant(undefined);
      this.bind(p.name, v, ctx);
      if (ts.isParameterPropertyDeclaration(p, p.parent) && ts.isIdentifier(p.name)) st.writeProp(thisVal, p.name.text, v);
    });
    // Implicit throws inside the callee reach a handler around this call.
    const implicit = info.mayThrow.value;
    if (implicit !== BOTTOM) this.mayThrow(implicit, ctx);
    // A callee that may throw: its exception reaches a handler around this call (at run time
    // only one whose pc carries what decided the throw; else the run stops).
    const thrown = info.throws.value;
    if (thrown !== BOTTOM) st.joinCell(this.throwTarget(ctx), thrown);
    let result = info.ret.value;
    if (f.asteriskToken) {
      const gen = st.site(site, 'generator');
      st.siteGenerator.set(gen, fn);
      st.joinCell(st.heapCell(gen, ELEM), result);
      result = { ...BOTTOM, consts: null, objs: new Set([gen]) };
    } else if (f.modifiers?.some((m) => m.kind === ts.SyntaxKind.AsyncKeyword)) {
      result = join(result, opaque(st.effLabels(thrown)));
    }
    return result;
  }

  pcOf(ctx: Ctx): ReadonlySet<string> {
    if (ctx.exit.size === 0) return ctx.pc;
    const out = new Set(ctx.pc);
    for (const l of ctx.exit) out.add(l);
    return out;
  }

  mayThrow(v: AbsVal, ctx: Ctx): void {
    const labels = this.state.effLabels(v);
    if (labels.size === 0) return;
    this.state.joinCell(ctx.fn.mayThrow, opaque(labels));
    if (ctx.handlers[0]) this.state.joinCell(ctx.handlers[0], opaque(labels));
  }

  throwTarget(ctx: Ctx): Cell {
    return ctx.handlers[0] ?? ctx.fn.throws;
  }

  unknown(node: ts.Node, message: string): void {
    if (!this.unknowns.has(node)) this.unknowns.set(node, message);
  }

  agentOutput(node: ts.Node, labels: Iterable<string>): void {
    const set = this.outputs.get(node) ?? new Set<string>();
    for (const l of labels) set.add(l);
    this.outputs.set(node, set);
  }

  isMain(fn: ts.Node): boolean {
    return fn === this.main;
  }

  sink(record: SinkRecord): void {
    const prev = this.sinks.get(record.node);
    if (!prev) {
      this.sinks.set(record.node, record);
      return;
    }
    for (const o of record.ops) prev.ops.add(o);
    for (const l of record.labels) prev.labels.add(l);
    prev.arg = join(prev.arg, record.arg);
    for (const l of record.control) prev.control.add(l);
    prev.ambiguous ??= record.ambiguous;
  }
}

export { withLabels };
