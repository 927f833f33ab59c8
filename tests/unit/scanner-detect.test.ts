import { describe, expect, it } from 'vitest';
import { ScanDetector, isEditableTarget } from '../../src/renderer/src/core/scanner-detect';

/** Feeds `text` then Enter, one key every `gap` ms from `start`; returns what Enter yields. */
function feed(d: ScanDetector, text: string, gap: number, start = 1000, enterGap = gap): string | null {
  let at = start;
  for (const ch of text) {
    expect(d.key(ch, at)).toBeNull();
    at += gap;
  }
  return d.key('Enter', at - gap + enterGap);
}

describe('scanner detection', () => {
  it('recognises fast keystrokes ending in Enter as a scan', () => {
    expect(feed(new ScanDetector(), 'S261122-0001', 5)).toBe('S261122-0001');
  });

  it('treats human typing (100 ms apart) as typing', () => {
    expect(feed(new ScanDetector(), 'S261122-0001', 100)).toBeNull();
  });

  it('needs at least 4 characters', () => {
    expect(feed(new ScanDetector(), 'ABC', 5)).toBeNull();
    expect(feed(new ScanDetector(), 'ABCD', 5)).toBe('ABCD');
  });

  it('a slow start followed by a fast burst keeps only the burst', () => {
    const d = new ScanDetector();
    expect(d.key('x', 0)).toBeNull();
    expect(d.key('y', 300)).toBeNull();
    expect(feed(d, 'LOT-1234', 8, 1000)).toBe('LOT-1234');
  });

  it('a pause before Enter is not a scan', () => {
    expect(feed(new ScanDetector(), 'LOT-1234', 5, 0, 400)).toBeNull();
  });

  it('modifier keys do not break a scan; Enter alone is nothing', () => {
    const d = new ScanDetector();
    let at = 0;
    for (const k of ['Shift', 'S', 'Shift', '2', '6', '1', '1']) {
      d.key(k, at);
      at += 4;
    }
    expect(d.key('Enter', at)).toBe('S2611');
    expect(d.key('Enter', at + 5)).toBeNull();
  });

  it('the average gap limit is configurable and inclusive', () => {
    expect(feed(new ScanDetector({ avgGapMs: 35 }), 'ABCDE', 35)).toBe('ABCDE');
    expect(feed(new ScanDetector({ avgGapMs: 35 }), 'ABCDE', 36)).toBeNull();
  });

  it('tolerates one delayed key event inside a fast burst (loaded machine)', () => {
    // Gaps measured in a loaded e2e run: one 51 ms hiccup, average 18 ms.
    const gaps = [17, 14, 9, 51, 11, 23, 16, 15, 10, 17, 16];
    const d = new ScanDetector();
    let at = 5000;
    const code = 'S261122-0001';
    for (let i = 0; i < code.length; i++) {
      expect(d.key(code[i] as string, at)).toBeNull();
      at += gaps[i] ?? 0;
    }
    expect(d.key('Enter', at - (gaps[code.length - 1] ?? 0) + 27)).toBe(code);
  });

  it('a typing pause (> 100 ms) inside the code starts over', () => {
    const d = new ScanDetector();
    for (const [k, at] of [['A', 0], ['B', 5], ['C', 10], ['D', 200], ['E', 205]] as const) d.key(k, at);
    expect(d.key('Enter', 210)).toBeNull();
  });

  it('knows which targets are editable', () => {
    expect(isEditableTarget(null)).toBe(false);
    expect(isEditableTarget({ tagName: 'BODY' } as unknown as EventTarget)).toBe(false);
    expect(isEditableTarget({ tagName: 'INPUT', type: 'text' } as unknown as EventTarget)).toBe(true);
    expect(isEditableTarget({ tagName: 'INPUT', type: 'checkbox' } as unknown as EventTarget)).toBe(false);
    expect(isEditableTarget({ tagName: 'TEXTAREA' } as unknown as EventTarget)).toBe(true);
    expect(isEditableTarget({ tagName: 'DIV', isContentEditable: true } as unknown as EventTarget)).toBe(true);
    expect(isEditableTarget({ tagName: 'BUTTON' } as unknown as EventTarget)).toBe(false);
  });
});
