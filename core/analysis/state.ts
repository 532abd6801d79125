/**
 * The analysis state shared by every function of one program: variable cells (keyed by the
 * checker's symbols, so scoping and closures come for free), the heap of allocation sites with
 * one cell per constant property (`*` for unknown keys, `[]` for array elements, `...` for
 * spread sources), per-function summaries, and the label arithmetic over API responses.
 *
 * Flow-insensitive: every write joins into its cell and the whole program is re-walked until
 * nothing grows. Sound for reassignment and loops; less precise than a flow-sensitive pass.
 */
import type ts from 'typescript';
import type { Catalog, Operation } from '../catalog/types.ts';
import { BOTTOM, Cell, join, opaque, withLabels, type AbsVal } from './value.ts';

export const ANY_KEY = '*';
export const ELEM = '[]';
export const SPREAD = '...';

export interface FnInfo {
  node: ts.Node;
  ret: Cell;
  throws: Cell;
  /** Labels of every context the function is called in (its control dependence). */
  ctxPc: Cell;
  thisCell: Cell;
  /** Values sent into a generator with `next(x)`. */
  send: Cell;
  /** Labels of values whose use may throw implicitly (a property of null, a call of a non-function). */
  mayThrow: Cell;
}

interface RespEntry {
  site: number;
  op: Operation;
  path: string[];
}

export class State {
  changed = false;
  readonly vars = new Map<ts.Symbol, Cell>();
  readonly heap: Map<string, Cell>[] = [];
  /** Generator function that produced a site (for `next(x)`). */
  readonly siteGenerator = new Map<number, ts.Node>();
  /** Sites of iterators built-ins made (`arr.values()`, `map.entries()`): state a loop advances. */
  private readonly iterators = new Set<number>();
  private readonly siteIds = new Map<ts.Node, Map<string, number>>();
  readonly fns = new Map<ts.Node, FnInfo>();
  readonly cells = new Map<ts.Node, Map<string, Cell>>();
  private readonly respCache = new Map<string, RespEntry>();
  private readonly respLabelCache = new Map<string, ReadonlySet<string>>();
  private readonly shallowCache = new Map<string, ReadonlySet<string>>();

  private readonly catalog: Catalog;
  constructor(catalog: Catalog) {
    this.catalog = catalog;
  }

  /** Joins into a cell and records growth for the fixed point. */
  joinCell(cell: Cell, v: AbsVal): void {
    if (cell.join(v)) this.changed = true;
  }

  varCell(sym: ts.Symbol): Cell {
    let c = this.vars.get(sym);
    if (!c) this.vars.set(sym, (c = new Cell()));
    return c;
  }

  private readonly stores = new Map<string, Cell>();

  /**
   * What a service may hand back of what the program gave it: labels that reached any call to
   * the service. Data posted to a channel and read back from it keeps its labels.
   */
  serviceStore(service: string): Cell {
    let c = this.stores.get(service);
    if (!c) this.stores.set(service, (c = new Cell()));
    return c;
  }

  /** A named cell attached to a node (handler cells, loop taints, builtin results…). */
  nodeCell(node: ts.Node, key: string): Cell {
    let m = this.cells.get(node);
    if (!m) this.cells.set(node, (m = new Map()));
    let c = m.get(key);
    if (!c) m.set(key, (c = new Cell()));
    return c;
  }

  site(node: ts.Node, key = ''): number {
    let m = this.siteIds.get(node);
    if (!m) this.siteIds.set(node, (m = new Map()));
    let id = m.get(key);
    if (id === undefined) {
      id = this.heap.length;
      this.heap.push(new Map());
      m.set(key, id);
    }
    return id;
  }

  fn(node: ts.Node): FnInfo {
    let f = this.fns.get(node);
    if (!f) this.fns.set(node, (f = { node, ret: new Cell(), throws: new Cell(), ctxPc: new Cell(), thisCell: new Cell(), send: new Cell(), mayThrow: new Cell() }));
    return f;
  }

  private readonly frozen = new Map<number, Cell>();

  /** What decided that a site was frozen (sealed, made non-extensible): writes to it then throw. */
  frozenCell(site: number): Cell {
    let c = this.frozen.get(site);
    if (!c) this.frozen.set(site, (c = new Cell()));
    return c;
  }

  /** The sites a value may point to: its objects and the responses it is part of. */
  sitesOf(v: AbsVal): number[] {
    const out = [...v.objs];
    for (const r of v.resp) {
      const e = this.parse(r);
      if (e) out.push(e.site);
    }
    return out;
  }

  heapCell(site: number, key: string): Cell {
    const m = this.heap[site];
    let c = m.get(key);
    if (!c) m.set(key, (c = new Cell()));
    return c;
  }

  // ---- API responses ----

  respEntry(site: number, op: string, path: string[]): string {
    return `${site}\u0000${op}\u0000${path.join('\u0001')}`;
  }

  private parse(entry: string): RespEntry | undefined {
    let e = this.respCache.get(entry);
    if (!e) {
      const [site, op, path] = entry.split('\u0000');
      const operation = this.catalog.operations.get(op);
      if (!operation) return undefined;
      e = { site: Number(site), op: operation, path: path ? path.split('\u0001') : [] };
      this.respCache.set(entry, e);
    }
    return e;
  }

  /** Labels of a response position: the operation's, plus every field label on, above or below it. */
  respLabels(entry: string): ReadonlySet<string> {
    let out = this.respLabelCache.get(entry);
    if (out) return out;
    const e = this.parse(entry);
    const set = new Set<string>(e?.op.labels ?? []);
    for (const f of e?.op.fieldLabels ?? []) if (comparable(f.path, e!.path)) for (const l of f.labels) set.add(l);
    this.respLabelCache.set(entry, (out = set));
    return out;
  }

  /** Labels of a response position itself (not of what is inside it): for lengths and iteration counts. */
  private respShallow(entry: string): ReadonlySet<string> {
    let out = this.shallowCache.get(entry);
    if (out) return out;
    const e = this.parse(entry);
    const set = new Set<string>(e?.op.labels ?? []);
    for (const f of e?.op.fieldLabels ?? []) if (f.path.length <= e!.path.length && comparable(f.path, e!.path)) for (const l of f.labels) set.add(l);
    this.shallowCache.set(entry, (out = set));
    return out;
  }

  /** The labels a value carries itself (direct + response positions), not what it points to. */
  effLabels(v: AbsVal): ReadonlySet<string> {
    if (v.resp.size === 0) return v.labels;
    const out = new Set(v.labels);
    for (const r of v.resp) for (const l of this.respLabels(r)) out.add(l);
    return out;
  }

  /** Every label reachable from a value: itself, and every cell of every site it points to. */
  deepLabels(v: AbsVal): Set<string> {
    const out = new Set(this.effLabels(v));
    const seen = new Set<number>();
    const visit = (x: AbsVal) => {
      for (const l of this.effLabels(x)) out.add(l);
      for (const s of x.objs) {
        if (seen.has(s)) continue;
        seen.add(s);
        for (const c of this.heap[s].values()) visit(c.value);
      }
      for (const r of x.resp) {
        const e = this.parse(r);
        if (e && !seen.has(e.site)) {
          seen.add(e.site);
          for (const c of this.heap[e.site].values()) visit(c.value);
        }
      }
    };
    visit(v);
    return out;
  }

  /** Whether a value may reach a service object or an operation (through the heap too). */
  reachesApi(v: AbsVal): boolean {
    const seen = new Set<number>();
    const visit = (x: AbsVal): boolean => {
      if ([...x.svcs].some((s) => s !== '#console') || [...x.ops].some((o) => o !== '#console')) return true;
      for (const s of x.objs) {
        if (seen.has(s)) continue;
        seen.add(s);
        for (const c of this.heap[s].values()) if (visit(c.value)) return true;
      }
      return false;
    };
    return visit(v);
  }

  /** Labels deciding how many elements a collection has (iteration count). */
  shallowLabels(v: AbsVal): Set<string> {
    const out = new Set(v.labels);
    for (const r of v.resp) for (const l of this.respShallow(r)) out.add(l);
    for (const s of v.objs) for (const c of this.heap[s].values()) for (const l of this.deepLabels(c.value)) out.add(l);
    return out;
  }

  /** Marks a site as an iterator a built-in made (growth, for the fixed point). */
  markIterator(site: number): void {
    if (this.iterators.has(site)) return;
    this.iterators.add(site);
    this.changed = true;
  }

  /**
   * `v` is iterated (for-of, spread, array destructuring): a generator or iterator it may be
   * advances, so what it yields next depends on the branch that iterated it.
   */
  iterated(v: AbsVal, pc: ReadonlySet<string>): void {
    const labels = this.effLabels(v);
    if (!pc.size && !labels.size) return;
    for (const s of v.objs) if (this.siteGenerator.has(s) || this.iterators.has(s)) this.joinCell(this.heapCell(s, ANY_KEY), opaque(new Set([...pc, ...labels])));
  }

  /** Reads property `key` (`*` = a key that is not a constant). */
  readProp(v: AbsVal, key: string, seen = new Set<number>()): AbsVal {
    let out: AbsVal = v.labels.size ? opaque(v.labels) : BOTTOM;
    if (v.resp.size) {
      const resp = new Set<string>();
      for (const r of v.resp) {
        const e = this.parse(r);
        if (!e) continue;
        resp.add(this.respEntry(e.site, e.op.id, [...e.path, key]));
        if (e.path.length === 0 && key !== ANY_KEY) out = join(out, this.readSite(e.site, key, seen));
        else out = join(out, this.readSite(e.site, ANY_KEY, seen));
      }
      out = join(out, { ...BOTTOM, consts: null, resp });
    }
    for (const s of v.objs) out = join(out, this.readSite(s, key, seen));
    return out;
  }

  private readSite(site: number, key: string, seen: Set<number>): AbsVal {
    if (seen.has(site)) return BOTTOM;
    seen.add(site);
    const m = this.heap[site];
    let out = BOTTOM;
    if (key === ANY_KEY) for (const c of m.values()) out = join(out, c.value);
    else {
      out = join(out, m.get(key)?.value ?? BOTTOM);
      out = join(out, m.get(ANY_KEY)?.value ?? BOTTOM);
      if (key !== ELEM && /^\d+$/.test(key)) out = join(out, m.get(ELEM)?.value ?? BOTTOM);
    }
    const spread = m.get(SPREAD)?.value;
    if (spread) out = join(out, this.readProp(spread, key, seen));
    seen.delete(site);
    return out;
  }

  /** Writes `value` to property `key` of every site `target` may point to (response roots included). */
  writeProp(target: AbsVal, key: string, value: AbsVal): void {
    const v = withLabels(value, this.effLabels(target));
    for (const s of target.objs) this.joinCell(this.heapCell(s, key), v);
    for (const r of target.resp) {
      const e = this.parse(r);
      if (e) this.joinCell(this.heapCell(e.site, e.path.length === 0 ? key : ANY_KEY), v);
    }
  }

  /** The elements of a collection (array, Set, Map, iterator, response array, string). */
  elementsOf(v: AbsVal): AbsVal {
    let out: AbsVal = this.readProp(v, ELEM);
    for (const s of v.objs) out = join(out, this.readProp({ ...BOTTOM, objs: new Set([s]) }, ANY_KEY));
    if (v.consts === null || v.consts.size) out = join(out, opaque(v.labels));
    return out;
  }
}

/** Two field paths are comparable when one is a prefix of the other (`*` matches any step). */
function comparable(a: string[], b: string[]): boolean {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = normStep(a[i]);
    const y = normStep(b[i]);
    if (x !== y && x !== ANY_KEY && y !== ANY_KEY) return false;
  }
  return true;
}

function normStep(s: string): string {
  return /^\d+$/.test(s) ? ELEM : s;
}
