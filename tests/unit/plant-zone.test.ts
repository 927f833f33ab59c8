import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';

vi.mock('../../src/renderer/src/core/i18n', () => ({ currentLocale: () => 'zh-CN' }));

const ui = await import('../../src/renderer/src/ui/format');
const dates = await import('../../src/renderer/src/ui/dates');
const sample = await import('../../src/renderer/src/ui/sample');

/**
 * Times and calendar days on screen are the plant's (D-113): a workstation in UTC (a server
 * room, a laptop set wrong) still shows Beijing time and the plant's day for a licensed plant.
 */
describe('the plant zone on screen (D-113)', () => {
  afterEach(() => ui.setPlantZone(null));

  it('times, days, the zone label and datetime inputs follow the plant, not the workstation', () => {
    ui.setPlantZone('Asia/Shanghai');
    const at = new Date('2026-12-05T20:30:15Z');
    expect(ui.formatTime(at.toISOString())).toBe('2026-12-06 04:30:15');
    expect(ui.plantDate(at)).toBe('2026-12-06');
    expect(ui.plantOffsetMinutes(at)).toBe(480);
    expect(ui.zoneLabel(at)).toBe('北京时间 UTC+08:00');
    expect(ui.plantLocalInput(at)).toBe('2026-12-06T04:30');
    expect(sample.localToInstant('2026-12-06T04:30')).toBe('2026-12-05T20:30:00.000Z');
    expect(ui.localTimeZone()).toBe('Asia/Shanghai');
    expect(dates.todayIso()).toBe(ui.plantDate(new Date()));
  });

  it('an unknown zone falls back to the workstation’s, never throws', () => {
    ui.setPlantZone('Mars/Olympus');
    expect(ui.localTimeZone()).toBe(Intl.DateTimeFormat().resolvedOptions().timeZone);
  });

  it('a wall time in the plant and its instant go back and forth (zones without a change of offset)', () => {
    for (const zone of ['Asia/Shanghai', 'Asia/Kolkata', 'UTC']) {
      ui.setPlantZone(zone);
      fc.assert(
        fc.property(fc.integer({ min: Date.UTC(2000, 0, 1), max: Date.UTC(2090, 0, 1) }), (ms) => {
          const minute = new Date(Math.floor(ms / 60_000) * 60_000);
          expect(sample.localToInstant(ui.plantLocalInput(minute))).toBe(minute.toISOString());
        }),
      );
    }
  });
});
