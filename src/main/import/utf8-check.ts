/**
 * Streaming UTF-8 validation (RFC 3629 §4: no overlong forms, no surrogates, nothing above
 * U+10FFFF). The contract refuses a file that is not UTF-8 rather than guessing (a GBK
 * export read as UTF-8 would silently turn 批次 into mojibake). The state carries across
 * chunks, so a multi-byte sequence split by a chunk boundary is judged as a whole.
 */
export class Utf8Checker {
  private need = 0;
  private lo = 0x80;
  private hi = 0xbf;
  private offset = 0;
  private lines = 1;
  /** First invalid byte: its offset in the file and its (1-based, physical) line. */
  invalid: { offset: number; line: number } | null = null;

  /** Checks the next chunk; returns false (and sets `invalid`) at the first bad byte. */
  push(chunk: Uint8Array): boolean {
    if (this.invalid) return false;
    let need = this.need;
    let lo = this.lo;
    let hi = this.hi;
    const n = chunk.length;
    for (let i = 0; i < n; i++) {
      const b = chunk[i]!;
      if (need === 0) {
        if (b < 0x80) {
          if (b === 0x0a) this.lines++;
          continue;
        }
        if (b >= 0xc2 && b <= 0xdf) {
          need = 1;
          lo = 0x80;
          hi = 0xbf;
        } else if (b >= 0xe0 && b <= 0xef) {
          need = 2;
          lo = b === 0xe0 ? 0xa0 : 0x80;
          hi = b === 0xed ? 0x9f : 0xbf;
        } else if (b >= 0xf0 && b <= 0xf4) {
          need = 3;
          lo = b === 0xf0 ? 0x90 : 0x80;
          hi = b === 0xf4 ? 0x8f : 0xbf;
        } else {
          return this.fail(i);
        }
      } else {
        if (b < lo || b > hi) return this.fail(i);
        lo = 0x80;
        hi = 0xbf;
        need--;
      }
    }
    this.need = need;
    this.lo = lo;
    this.hi = hi;
    this.offset += n;
    return true;
  }

  /** At the end of the file: a sequence cut short is invalid too. */
  end(): boolean {
    if (this.invalid) return false;
    if (this.need > 0) {
      this.invalid = { offset: this.offset, line: this.lines };
      return false;
    }
    return true;
  }

  private fail(i: number): false {
    this.invalid = { offset: this.offset + i, line: this.lines };
    return false;
  }
}
