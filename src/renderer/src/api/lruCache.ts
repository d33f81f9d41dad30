// A promise cache with least-recently-used eviction: concurrent requests for one key share one
// call, a failed call is forgotten (so it can be retried), and at most `capacity` answers are kept.

export class PromiseLru<K, V> {
  private readonly entries = new Map<K, Promise<V>>();
  /** Answers already in: lets a render use them at once instead of waiting a task for the promise. */
  private readonly settled = new Map<K, V>();

  constructor(
    private readonly capacity: number,
    private readonly load: (key: K) => Promise<V>,
  ) {}

  get(key: K): Promise<V> {
    const hit = this.entries.get(key);
    if (hit) {
      this.entries.delete(key);
      this.entries.set(key, hit); // most recent last
      return hit;
    }
    const p = this.load(key);
    this.entries.set(key, p);
    p.then(
      (v) => {
        if (this.entries.get(key) === p) this.settled.set(key, v);
      },
      () => {
        if (this.entries.get(key) === p) this.entries.delete(key);
      },
    );
    while (this.entries.size > this.capacity) {
      const oldest = this.entries.keys().next().value as K;
      this.delete(oldest);
    }
    return p;
  }

  /** Start loading without waiting (prefetch); errors surface when the key is really asked for. */
  warm(key: K): void {
    this.get(key).catch(() => undefined);
  }

  /** The value if it has already arrived (no waiting), else undefined. */
  peek(key: K): V | undefined {
    return this.settled.get(key);
  }

  has(key: K): boolean {
    return this.entries.has(key);
  }

  delete(key: K): void {
    this.entries.delete(key);
    this.settled.delete(key);
  }

  clear(): void {
    this.entries.clear();
    this.settled.clear();
  }
}
