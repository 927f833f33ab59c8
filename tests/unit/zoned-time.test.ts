import { describe, expect, it } from 'vitest';
import { zonedTime } from '../../src/main/documents/zoned-time';

describe('zonedTime (times printed on records)', () => {
  it('shows the local wall time of the recorded zone with its offset', () => {
    expect(zonedTime('2026-11-22T05:20:31.123Z', 'Asia/Shanghai')).toBe('2026-11-22 13:20 GMT+08:00 (Asia/Shanghai)');
    expect(zonedTime('2026-11-21T23:59:00Z', 'Asia/Shanghai')).toBe('2026-11-22 07:59 GMT+08:00 (Asia/Shanghai)');
    expect(zonedTime('2026-07-01T12:00:00Z', 'Europe/Berlin')).toBe('2026-07-01 14:00 GMT+02:00 (Europe/Berlin)');
    expect(zonedTime('2026-07-01T12:00:00Z', 'UTC')).toBe('2026-07-01 12:00 GMT+00:00 (UTC)');
  });
  it('says UTC when the zone is unknown, and never invents a time', () => {
    expect(zonedTime('2026-11-22T05:20:00Z', 'Mars/Olympus')).toBe('2026-11-22 05:20 UTC');
    expect(zonedTime(null, 'Asia/Shanghai')).toBe('—');
    expect(zonedTime('not a time', 'Asia/Shanghai')).toBe('not a time');
  });
});
