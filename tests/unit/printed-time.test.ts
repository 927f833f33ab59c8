import { describe, expect, it } from 'vitest';
import {
  BEIJING_ZONE,
  documentZone,
  printedLocalTime,
  printedTime,
  printedZoneLabel,
} from '../../src/shared/domain/printed-time';

describe('times on printed documents (D-078)', () => {
  it('prints a UTC-recorded instant in Beijing time with an honest label', () => {
    expect(printedTime('2026-12-05T01:22:00.000Z', BEIJING_ZONE, 'zh-CN')).toBe(
      '2026-12-05 09:22 北京时间（UTC+08:00）',
    );
    expect(printedTime('2026-12-05T01:22:00.000Z', BEIJING_ZONE, 'en')).toBe(
      '2026-12-05 09:22 Beijing time (UTC+08:00)',
    );
    // Across midnight the date follows the plant's wall clock.
    expect(printedLocalTime('2026-12-05T16:30:00.000Z', BEIJING_ZONE)).toBe('2026-12-06 00:30');
    expect(printedLocalTime(Date.parse('2026-12-05T16:30:00.000Z'), BEIJING_ZONE)).toBe('2026-12-06 00:30');
  });

  it('never calls UTC "GMT+00:00 (UTC)", and names other zones with their offset', () => {
    expect(printedZoneLabel('UTC', 'zh-CN')).toBe('UTC');
    expect(printedTime('2026-07-01T10:00:00Z', 'Europe/Paris', 'en')).toBe('2026-07-01 12:00 UTC+02:00 (Europe/Paris)');
    expect(printedTime('2026-07-01T10:00:00Z', 'Not/AZone', 'en')).toBe('2026-07-01 10:00 UTC');
    expect(printedTime(null, BEIJING_ZONE, 'en')).toBe('—');
  });

  it('a plant with an SC licence prints in Beijing time whatever the workstation zone', () => {
    expect(documentZone({ scNumber: 'SC10664010012345' }, 'UTC')).toBe(BEIJING_ZONE);
    expect(documentZone(null, 'Europe/Paris')).toBe('Europe/Paris');
  });
});

describe('printedOffsetTime', () => {
  it('names the offset without words', async () => {
    const { printedOffsetTime } = await import('../../src/shared/domain/printed-time');
    expect(printedOffsetTime('2026-12-05T01:22:00Z', 'Asia/Shanghai')).toBe('2026-12-05 09:22 UTC+08:00');
    expect(printedOffsetTime(Date.parse('2026-12-05T01:22:00Z'), 'UTC')).toBe('2026-12-05 01:22 UTC');
  });
});
