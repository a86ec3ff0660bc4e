import { createHash } from 'node:crypto';

/** Hashes kept by a sketch: counts below this are exact; above, the estimate's standard error is about 1/√(k−2) ≈ 6 %. */
export const SKETCH_SIZE = 256;

const HASH_SPACE = 2 ** 52;
const PREFIX = 'kmv1:';

/**
 * A mergeable estimate of how many distinct values were seen: the k smallest
 * 52-bit hashes of the values (K-minimum values). Two sketches merge by
 * keeping the k smallest of both, in any order and any number of times, so
 * processes can each sketch what they saw and merge into one stored row.
 * Below k values the count is exact.
 *
 * It stores hashes, never values: salted by workspace and key (see
 * {@link hashValue}), only the k smallest, so the text lists no value; a hash
 * can at most confirm a value someone already guessed.
 *
 * @example
 * const sketch = new DistinctSketch();
 * for (const plan of ['free', 'pro', 'free']) sketch.add(hashValue('ws_1:plan', plan));
 * sketch.estimate(); // 2
 */
export class DistinctSketch {
  // Sorted ascending, no repeats, at most SKETCH_SIZE long.
  private hashes: number[];

  constructor(hashes: readonly number[] = []) {
    this.hashes = [...new Set(hashes)].sort((a, b) => a - b).slice(0, SKETCH_SIZE);
  }

  /** Reads a sketch written by {@link toText}; an unreadable text gives an empty sketch (counting restarts). */
  static parse(text: string): DistinctSketch {
    if (!text.startsWith(PREFIX)) return new DistinctSketch();
    const hashes = text
      .slice(PREFIX.length)
      .split(',')
      .filter((part) => part !== '')
      .map((part) => parseInt(part, 36))
      .filter((hash) => Number.isSafeInteger(hash) && hash >= 0 && hash < HASH_SPACE);
    return new DistinctSketch(hashes);
  }

  /** Counts one value's hash (see {@link hashValue}). */
  add(hash: number): void {
    const hashes = this.hashes;
    if (hashes.length >= SKETCH_SIZE && hash >= hashes[hashes.length - 1]!) return;
    let low = 0;
    let high = hashes.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (hashes[mid]! < hash) low = mid + 1;
      else high = mid;
    }
    if (hashes[low] === hash) return;
    hashes.splice(low, 0, hash);
    if (hashes.length > SKETCH_SIZE) hashes.pop();
  }

  /** Adds everything another sketch saw. */
  merge(other: DistinctSketch): void {
    for (const hash of other.hashes) this.add(hash);
  }

  /** Distinct values seen: exact below {@link SKETCH_SIZE}, an estimate from there on. */
  estimate(): number {
    const n = this.hashes.length;
    if (n < SKETCH_SIZE) return n;
    // The k-th smallest of n uniform hashes sits near k/n of the space: n ≈ (k − 1) / its position (unbiased form).
    return Math.round(((SKETCH_SIZE - 1) * HASH_SPACE) / (this.hashes[n - 1]! + 1));
  }

  /** The stored form: a version prefix and the hashes in base 36. */
  toText(): string {
    return PREFIX + this.hashes.map((hash) => hash.toString(36)).join(',');
  }
}

/** A value's 52-bit hash, salted so the same value hashes differently per workspace and key. */
export function hashValue(salt: string, value: string): number {
  const digest = createHash('sha256').update(salt).update('\u0000').update(value).digest();
  // 6 bytes are 48 bits; 4 more from the seventh make 52, exact in a double.
  return digest.readUIntBE(0, 6) * 16 + (digest[6]! >>> 4);
}
