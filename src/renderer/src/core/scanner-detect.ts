/**
 * Barcode scanners act as keyboards: the characters of a code arrive a few milliseconds
 * apart and end with Enter. A person types far slower. This detector is fed every keydown
 * (key + time) and answers the scanned code when Enter completes a fast enough sequence.
 */
export interface ScanDetectorOptions {
  /** Longest average gap between the characters of one scan (ms). */
  avgGapMs?: number;
  /** Longest single gap inside one scan (ms): tolerates a hiccup of the OS, not a typing pause. */
  maxGapMs?: number;
  /** Longest gap between the last character and Enter (ms). */
  maxEnterGapMs?: number;
  /** Shortest code accepted as a scan. */
  minLength?: number;
}

export class ScanDetector {
  private buffer = '';
  private first = 0;
  private last = Number.NEGATIVE_INFINITY;
  private readonly avgGapMs: number;
  private readonly maxGapMs: number;
  private readonly maxEnterGapMs: number;
  private readonly minLength: number;

  constructor(options: ScanDetectorOptions = {}) {
    this.avgGapMs = options.avgGapMs ?? 35;
    this.maxGapMs = options.maxGapMs ?? 100;
    this.maxEnterGapMs = options.maxEnterGapMs ?? 100;
    this.minLength = options.minLength ?? 4;
  }

  /** Feeds one keydown; returns the code when this key (Enter) completes a scan, else null. */
  key(key: string, at: number): string | null {
    if (key === 'Enter') {
      const code = this.buffer;
      const fastEnter = at - this.last <= this.maxEnterGapMs;
      const avg = code.length > 1 ? (this.last - this.first) / (code.length - 1) : Number.POSITIVE_INFINITY;
      this.reset();
      return fastEnter && code.length >= this.minLength && avg <= this.avgGapMs ? code : null;
    }
    // Shift, Control… are not characters; they neither add to nor break a scan.
    if (key.length !== 1) return null;
    if (at - this.last > this.maxGapMs) {
      this.buffer = '';
      this.first = at;
    }
    this.buffer += key;
    this.last = at;
    return null;
  }

  reset(): void {
    this.buffer = '';
    this.first = 0;
    this.last = Number.NEGATIVE_INFINITY;
  }
}

/** Is focus in a place where typed text belongs (so a scan there just fills the field)? */
export function isEditableTarget(target: EventTarget | null): boolean {
  if (!target || typeof (target as { tagName?: unknown }).tagName !== 'string') return false;
  // Structural (no DOM types): this module is also unit-tested under Node.
  const el = target as unknown as { tagName: string; type?: string; isContentEditable?: boolean };
  const tag = el.tagName.toLowerCase();
  if (tag === 'textarea' || tag === 'select') return true;
  if (tag === 'input') {
    const type = (el.type || 'text').toLowerCase();
    return !['button', 'submit', 'reset', 'checkbox', 'radio', 'file', 'image', 'range', 'color'].includes(type);
  }
  return el.isContentEditable === true;
}
