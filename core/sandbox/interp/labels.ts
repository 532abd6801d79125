/**
 * Label sets, interned: a set is a small integer id, `0` is the empty set, and `join`/`subset`
 * are memoised. Label names come only from the host (catalog labels, labels at rest): a program
 * can combine them, never invent one.
 */
export const NONE = 0;

export class Labels {
  private readonly names: string[] = [];
  private readonly index = new Map<string, number>();
  /** id → sorted label indices. */
  private readonly sets: number[][] = [[]];
  private readonly byKey = new Map<string, number>([['', NONE]]);
  private readonly joins = new Map<number, number>();
  private readonly subsets = new Map<number, boolean>();

  /** The set of the given label names. */
  of(names: readonly string[]): number {
    let id = NONE;
    for (const name of names) id = this.join(id, this.single(name));
    return id;
  }

  private single(name: string): number {
    let i = this.index.get(name);
    if (i === undefined) {
      i = this.names.length;
      this.names.push(name);
      this.index.set(name, i);
    }
    return this.intern([i]);
  }

  private intern(indices: number[]): number {
    const key = indices.join(',');
    let id = this.byKey.get(key);
    if (id === undefined) {
      id = this.sets.length;
      this.sets.push(indices);
      this.byKey.set(key, id);
    }
    return id;
  }

  join(a: number, b: number): number {
    if (a === b || b === NONE) return a;
    if (a === NONE) return b;
    const key = a < b ? a * 4194304 + b : b * 4194304 + a;
    let out = this.joins.get(key);
    if (out === undefined) {
      const x = this.sets[a];
      const y = this.sets[b];
      const merged: number[] = [];
      let i = 0;
      let j = 0;
      while (i < x.length || j < y.length) {
        if (j >= y.length || (i < x.length && x[i] < y[j])) merged.push(x[i++]);
        else if (i >= x.length || y[j] < x[i]) merged.push(y[j++]);
        else {
          merged.push(x[i]);
          i++;
          j++;
        }
      }
      out = this.intern(merged);
      this.joins.set(key, out);
    }
    return out;
  }

  /** Whether every label of `a` is in `b`. */
  subset(a: number, b: number): boolean {
    if (a === NONE || a === b) return true;
    if (b === NONE) return false;
    const key = a * 4194304 + b;
    let out = this.subsets.get(key);
    if (out === undefined) {
      out = this.join(a, b) === b;
      this.subsets.set(key, out);
    }
    return out;
  }

  /** Label names of a set, sorted. */
  list(id: number): string[] {
    return this.sets[id].map((i) => this.names[i]).sort();
  }

  /** Labels in both sets. */
  both(a: number, b: number): string[] {
    if (a === NONE || b === NONE) return [];
    const inB = new Set(this.sets[b]);
    return this.sets[a].filter((i) => inB.has(i)).map((i) => this.names[i]).sort();
  }

  /** Labels of `a` that are not in `b`. */
  minus(a: number, b: number): string[] {
    const inB = new Set(this.sets[b]);
    return this.sets[a].filter((i) => !inB.has(i)).map((i) => this.names[i]).sort();
  }
}
