/**
 * "Did this identifier already come in this harvest?" in constant memory, whatever the size of the catalogue: a Bloom
 * filter of `bytes` bytes (default 4 MiB, allocated on the first add, outside the JS heap) probed `hashes` times.
 *
 * Use it only where a false "already seen" is safe. The CSW harvester counts identifiers that come twice (a server
 * whose ordering is unstable across pages, which also means some records were skipped) and yields every record
 * regardless: a false alarm only inflates a count. The harvest pipeline removes as stale only the indexed records
 * that its run did NOT see: a false "seen" only keeps a stale record one run longer (the next run hashes with another
 * seed), it never removes a record. A Set of the identifiers grows by ~75 bytes a record (15 MB at 200,000 records,
 * measured); this does not grow at all.
 *
 * No false negatives: an identifier added before is always reported as seen. False positives: after n distinct
 * identifiers, the next one is wrongly reported with probability (1 - e^(-k·n/m))^k (m bits, k hashes); with the
 * defaults (m = 2^25, k = 5): 7e-10 at 100,000, 2e-8 at 200,000, 5e-5 at 1,000,000. `expectedFalse()` gives the
 * expected number of false reports so far, for the warning that quotes the count.
 */
export class SeenIds {
  private bits: Uint8Array | undefined;
  private readonly mask: number;
  /** Distinct identifiers added so far (those not reported as seen). */
  private added = 0;
  private falseExpected = 0;
  private readonly seed1: number;
  private readonly seed2: number;

  /**
   * `bytes`: a power of two between 1 KiB and 256 MiB (default 4 MiB); `hashes`: 1 to 16 (default 5); `seed`: any
   * string (default none), so that two filters (two runs) make their rare false alarms on different identifiers.
   */
  constructor(
    private readonly bytes = 4 * 2 ** 20,
    private readonly hashes = 5,
    seed = '',
  ) {
    if (!Number.isInteger(bytes) || bytes < 1024 || bytes > 2 ** 28 || (bytes & (bytes - 1)) !== 0) {
      throw new RangeError(`bytes must be a power of two between 1024 and 2^28, got ${bytes}`);
    }
    if (!Number.isInteger(hashes) || hashes < 1 || hashes > 16)
      throw new RangeError(`hashes must be an integer from 1 to 16, got ${hashes}`);
    this.mask = bytes * 8 - 1;
    this.seed1 = fmix32(stringHash(seed, 0x811c9dc5));
    this.seed2 = fmix32(stringHash(seed, 0x9747b28c) ^ 0x5bd1e995);
  }

  /** Records `id`; true when it (most probably) came before. */
  check(id: string): boolean {
    return this.probe(id, true);
  }

  /** Records `id`. */
  add(id: string): void {
    this.probe(id, true);
  }

  /** Whether `id` (most probably) was added; false is certain. Records nothing. */
  has(id: string): boolean {
    return this.probe(id, false);
  }

  private probe(id: string, add: boolean): boolean {
    if (!this.bits) {
      if (!add) return false;
      this.bits = new Uint8Array(this.bytes);
    }
    const bits = this.bits;
    // two independent 32-bit hashes of the UTF-16 code units (FNV-1a and a multiply-xorshift), seeded, finalised
    // (murmur3 fmix32), combined by double hashing: probe i is h1 + i·h2
    let h1 = this.seed1;
    let h2 = this.seed2;
    for (let i = 0; i < id.length; i++) {
      const c = id.charCodeAt(i);
      h1 = Math.imul(h1 ^ c, 0x01000193);
      h2 = Math.imul(h2 ^ c, 0x5bd1e995);
      h2 ^= h2 >>> 15;
    }
    h1 = fmix32(h1 ^ id.length);
    h2 = fmix32(h2 ^ id.length) | 1; // odd: the probes never collapse onto one bit
    let present = true;
    for (let i = 0; i < this.hashes; i++) {
      const bit = (h1 + Math.imul(i, h2)) & this.mask;
      const byte = bit >>> 3;
      const flag = 1 << (bit & 7);
      if ((bits[byte] & flag) === 0) {
        if (!add) return false;
        present = false;
        bits[byte] |= flag;
      }
    }
    if (add && !present) {
      this.falseExpected += this.falseRate();
      this.added++;
    }
    return present;
  }

  /** Distinct identifiers added so far, as far as the filter can tell (a false "seen" makes it one less, never more). */
  get size(): number {
    return this.added;
  }

  /** Probability that an identifier never added is reported as seen, now. */
  falseRate(): number {
    return (1 - Math.exp((-this.hashes * this.added) / (this.bytes * 8))) ** this.hashes;
  }

  /** Expected number of false "already seen" reports so far (the sum of falseRate at each check of a new identifier). */
  expectedFalse(): number {
    return this.falseExpected;
  }
}

/** FNV-1a of a string's UTF-16 code units from `basis` (the seeds). */
function stringHash(text: string, basis: number): number {
  let h = basis;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h;
}

function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}
