/** Append-only typed arrays that double their capacity (index building without number[] boxes). */

type TypedArrayCtor<T> = { new (length: number): T; BYTES_PER_ELEMENT: number };
type Typed = Float64Array | Uint32Array | Uint8Array;

export class Growable<T extends Typed> {
  private data: T;
  length = 0;
  private readonly ctor: TypedArrayCtor<T>;

  constructor(ctor: TypedArrayCtor<T>, initial?: T) {
    this.ctor = ctor;
    this.data = new ctor(Math.max(1024, initial ? initial.length * 2 : 0));
    if (initial) {
      this.data.set(initial as never);
      this.length = initial.length;
    }
  }

  push(value: number): void {
    if (this.length === this.data.length) {
      const bigger = new this.ctor(this.data.length * 2);
      bigger.set(this.data as never);
      this.data = bigger;
    }
    this.data[this.length++] = value;
  }

  get(i: number): number {
    return this.data[i];
  }

  set(i: number, value: number): void {
    this.data[i] = value;
  }

  /** A view of the used part. */
  view(): T {
    return this.data.subarray(0, this.length) as T;
  }
}
