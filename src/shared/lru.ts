/**
 * Entries by key in least- to most-recently-used order, each with its size in bytes; the least
 * recently used are dropped past `maxBytes` (an entry larger than that is not kept).
 */
export class Lru<V> {
  private readonly map = new Map<string, { bytes: number; value: V }>();
  private used = 0;

  constructor(private readonly maxBytes: number) {}

  /** The entry, now the most recently used. */
  touch(key: string): V | undefined {
    const e = this.map.get(key);
    if (!e) return undefined;
    this.map.delete(key);
    this.map.set(key, e);
    return e.value;
  }

  add(key: string, bytes: number, value: V): void {
    const old = this.map.get(key);
    if (old) {
      this.map.delete(key);
      this.used -= old.bytes;
    }
    if (bytes > this.maxBytes) return;
    this.map.set(key, { bytes, value });
    this.used += bytes;
    for (const [k, e] of this.map) {
      if (this.used <= this.maxBytes) break;
      this.map.delete(k);
      this.used -= e.bytes;
    }
  }

  clear(): void {
    this.map.clear();
    this.used = 0;
  }

  /** The keys, least recently used first. */
  keys(): string[] {
    return [...this.map.keys()];
  }

  /** The entries and their order now, to go back to with `restore`. */
  snapshot(): { map: Map<string, { bytes: number; value: V }>; used: number } {
    return { map: new Map(this.map), used: this.used };
  }

  restore(s: { map: Map<string, { bytes: number; value: V }>; used: number }): void {
    this.map.clear();
    for (const [k, e] of s.map) this.map.set(k, e);
    this.used = s.used;
  }

  get bytes(): number {
    return this.used;
  }
}
