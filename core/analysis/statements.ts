/**
 * Statements: declarations, branches, loops, switch, try/catch/finally, return/throw/break.
 * Control dependence: a branch, loop or catch whose condition carries labels pushes them on the
 * pc; an exit (return/break/continue/throw, or a callee that may throw) adds the pc it happened
 * under to `ctx.exit`, which taints the rest of the function body; a loop keeps the exits of its
 * body for the next iteration.
 */
import ts from 'typescript';
import { unionLabels, type Ctx, type Interp } from './context.ts';
import { declared } from './engine-throws.ts';
import { assign, evalClass } from './expressions.ts';
import { constant, opaque, withLabels } from './value.ts';

export function addExit(ctx: Ctx, labels: ReadonlySet<string>): void {
  for (const l of labels) ctx.exit.add(l);
}

export function walkStatement(it: Interp, s: ts.Statement, ctx: Ctx): void {
  const st = it.state;
  switch (s.kind) {
    case ts.SyntaxKind.Block:
      for (const x of (s as ts.Block).statements) walkStatement(it, x, ctx);
      return;
    case ts.SyntaxKind.VariableStatement:
      declareList(it, (s as ts.VariableStatement).declarationList, ctx);
      return;
    case ts.SyntaxKind.ExpressionStatement:
      it.ev((s as ts.ExpressionStatement).expression, ctx);
      return;
    case ts.SyntaxKind.IfStatement: {
      const i = s as ts.IfStatement;
      const c = it.ev(i.expression, ctx);
      const inner: Ctx = { ...ctx, pc: unionLabels(ctx.pc, st.effLabels(c)) };
      walkStatement(it, i.thenStatement, inner);
      if (i.elseStatement) walkStatement(it, i.elseStatement, inner);
      return;
    }
    case ts.SyntaxKind.ReturnStatement: {
      const r = s as ts.ReturnStatement;
      const v = r.expression ? it.ev(r.expression, ctx) : constant(undefined);
      const pc = it.pcOf(ctx);
      st.joinCell(ctx.fn.ret, withLabels(v, pc));
      if (it.isMain(ctx.fn.node)) it.agentOutput(r, [...st.deepLabels(v), ...pc]);
      addExit(ctx, pc);
      return;
    }
    case ts.SyntaxKind.ThrowStatement: {
      // No exit taint: at run time a throw decided by labels is caught only by a handler whose
      // own pc carries them (else the run stops), so the code after it depends on nothing more.
      const v = it.ev((s as ts.ThrowStatement).expression, ctx);
      const pc = it.pcOf(ctx);
      st.joinCell(it.throwTarget(ctx), withLabels(v, pc));
      return;
    }
    case ts.SyntaxKind.BreakStatement:
    case ts.SyntaxKind.ContinueStatement:
      addExit(ctx, it.pcOf(ctx));
      return;
    case ts.SyntaxKind.WhileStatement:
    case ts.SyntaxKind.DoStatement:
    case ts.SyntaxKind.ForStatement:
    case ts.SyntaxKind.ForOfStatement:
    case ts.SyntaxKind.ForInStatement:
      walkLoop(it, s as ts.IterationStatement, ctx);
      return;
    case ts.SyntaxKind.SwitchStatement: {
      const sw = s as ts.SwitchStatement;
      const d = it.ev(sw.expression, ctx);
      let labels = st.effLabels(d);
      for (const clause of sw.caseBlock.clauses) {
        if (ts.isCaseClause(clause)) labels = unionLabels(labels, st.effLabels(it.ev(clause.expression, ctx)));
      }
      const inner: Ctx = { ...ctx, pc: unionLabels(ctx.pc, labels) };
      for (const clause of sw.caseBlock.clauses) for (const x of clause.statements) walkStatement(it, x, inner);
      return;
    }
    case ts.SyntaxKind.TryStatement: {
      const t = s as ts.TryStatement;
      const handler = st.nodeCell(t, 'handler');
      walkStatement(it, t.tryBlock, { ...ctx, handlers: [handler, ...ctx.handlers] });
      if (t.catchClause) {
        const thrown = handler.value;
        const inner: Ctx = { ...ctx, pc: unionLabels(ctx.pc, st.deepLabels(thrown)) };
        if (t.catchClause.variableDeclaration) it.bind(t.catchClause.variableDeclaration.name, thrown, inner);
        walkStatement(it, t.catchClause.block, inner);
      } else {
        st.joinCell(it.throwTarget(ctx), handler.value);
      }
      if (t.finallyBlock) walkStatement(it, t.finallyBlock, ctx);
      return;
    }
    case ts.SyntaxKind.LabeledStatement:
      walkStatement(it, (s as ts.LabeledStatement).statement, ctx);
      return;
    case ts.SyntaxKind.ClassDeclaration:
      evalClass(it, s as ts.ClassDeclaration, ctx);
      declared(it, s, ctx);
      return;
    case ts.SyntaxKind.FunctionDeclaration:
    case ts.SyntaxKind.EmptyStatement:
    case ts.SyntaxKind.DebuggerStatement:
    case ts.SyntaxKind.TypeAliasDeclaration:
    case ts.SyntaxKind.InterfaceDeclaration:
      return;
    case ts.SyntaxKind.WithStatement:
      it.unknown(s, '`with` makes every name in its body a dynamic lookup');
      it.ev((s as ts.WithStatement).expression, ctx);
      walkStatement(it, (s as ts.WithStatement).statement, ctx);
      return;
    default:
      it.unknown(s, `the analysis does not follow a ${ts.SyntaxKind[s.kind]}`);
  }
}

function declareList(it: Interp, list: ts.VariableDeclarationList, ctx: Ctx): void {
  for (const d of list.declarations) {
    const v = d.initializer ? it.ev(d.initializer, ctx) : constant(undefined);
    it.bind(d.name, withLabels(v, it.pcOf(ctx)), ctx);
    if (list.flags & ts.NodeFlags.BlockScoped) declared(it, d, ctx);
  }
}

function walkLoop(it: Interp, loop: ts.IterationStatement, ctx: Ctx): void {
  const st = it.state;
  const taint = st.nodeCell(loop, 'taint');
  const condCell = st.nodeCell(loop, 'cond');
  const base: Ctx = { ...ctx, pc: unionLabels(ctx.pc, taint.value.labels, condCell.value.labels) };
  let cond: ReadonlySet<string> = new Set();
  if (ts.isForStatement(loop)) {
    if (loop.initializer) {
      if (ts.isVariableDeclarationList(loop.initializer)) declareList(it, loop.initializer, ctx);
      else it.ev(loop.initializer, ctx);
    }
    if (loop.condition) cond = st.effLabels(it.ev(loop.condition, base));
    const inner: Ctx = { ...base, pc: unionLabels(base.pc, cond) };
    walkStatement(it, loop.statement, inner);
    if (loop.incrementor) it.ev(loop.incrementor, inner);
  } else if (ts.isWhileStatement(loop) || ts.isDoStatement(loop)) {
    if (ts.isWhileStatement(loop)) cond = st.effLabels(it.ev(loop.expression, base));
    walkStatement(it, loop.statement, { ...base, pc: unionLabels(base.pc, cond) });
    if (ts.isDoStatement(loop)) cond = st.effLabels(it.ev(loop.expression, base));
  } else if (ts.isForOfStatement(loop) || ts.isForInStatement(loop)) {
    const coll = it.ev(loop.expression, ctx);
    if (ts.isForOfStatement(loop)) st.iterated(coll, it.pcOf(ctx));
    cond = st.shallowLabels(coll);
    const item = ts.isForOfStatement(loop) ? st.elementsOf(coll) : opaque(st.deepLabels(coll));
    const inner: Ctx = { ...base, pc: unionLabels(base.pc, cond) };
    const init = loop.initializer;
    if (ts.isVariableDeclarationList(init)) for (const d of init.declarations) it.bind(d.name, withLabels(item, it.pcOf(inner)), inner);
    else assign(it, init, item, inner);
    walkStatement(it, loop.statement, inner);
  }
  st.joinCell(condCell, opaque(cond));
  st.joinCell(taint, opaque(new Set(ctx.exit)));
  // When a loop that waits ends depends on its condition (others may watch it wait, at run time
  // once there is concurrency): the rest of the function carries it. A loop that never waits
  // hands its condition on only through what it wrote.
  if (containsAwait(loop.statement)) addExit(ctx, cond);
}

/** Whether a statement awaits (not counting functions defined inside it). */
function containsAwait(node: ts.Node): boolean {
  let found = false;
  const visit = (n: ts.Node): void => {
    if (found) return;
    if (ts.isAwaitExpression(n) || (ts.isForOfStatement(n) && n.awaitModifier)) {
      found = true;
      return;
    }
    if (ts.isFunctionLike(n) || ts.isClassLike(n)) return;
    ts.forEachChild(n, visit);
  };
  visit(node);
  return found;
}
