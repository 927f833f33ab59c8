/** The zone names of China's single time zone (北京时间). */
const CHINA_ZONES = new Set(['Asia/Shanghai', 'Asia/Chongqing', 'Asia/Chungking', 'Asia/Harbin', 'Asia/Urumqi', 'PRC']);

const formats = new Map<string, Intl.DateTimeFormat | null>();

function formatFor(timeZone: string): Intl.DateTimeFormat | null {
  let f = formats.get(timeZone);
  if (f === undefined) {
    try {
      f = new Intl.DateTimeFormat('en-CA', {
        timeZone,
        year: 'numeric',
        month: '2-digit',
        day: '2-digit',
        hour: '2-digit',
        minute: '2-digit',
        hourCycle: 'h23',
        timeZoneName: 'longOffset',
      });
    } catch {
      f = null; // an unknown zone name in an old record
    }
    formats.set(timeZone, f);
  }
  return f;
}

/**
 * A recorded instant as a reader of a printed record needs it: the local wall time of the
 * zone the record names, with that zone's offset, e.g. `2026-11-22 13:20 GMT+08:00
 * (Asia/Shanghai)`. An unknown zone falls back to UTC, said so. Never a UTC time under a
 * local zone's name.
 */
export function zonedTime(iso: string | null | undefined, timeZone: string, locale: 'en' | 'zh-CN' = 'en'): string {
  if (!iso) return '—';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const f = formatFor(timeZone);
  if (!f) return `${date.toISOString().replace('T', ' ').slice(0, 16)} UTC`;
  const parts = Object.fromEntries(f.formatToParts(date).map((p) => [p.type, p.value]));
  const offset = parts['timeZoneName'] === 'GMT' ? 'GMT+00:00' : parts['timeZoneName'];
  if (locale === 'zh-CN') {
    // 北京时间 for China's zone, else the offset alone: a Chinese reader gets no zone database names.
    const utc = (offset ?? 'GMT+00:00').replace(/^GMT/, 'UTC');
    const label = CHINA_ZONES.has(timeZone) ? `北京时间（${utc}）` : utc;
    return `${parts['year']}-${parts['month']}-${parts['day']} ${parts['hour']}:${parts['minute']} ${label}`;
  }
  return `${parts['year']}-${parts['month']}-${parts['day']} ${parts['hour']}:${parts['minute']} ${offset} (${timeZone})`;
}

/**
 * The manifestation of an e-signature's time (21 CFR 11.50): the signed instant in the zone
 * the signature recorded, with that zone's offset and name. The ONE formatter for every
 * screen and every document, so a signature made in Beijing reads the same everywhere (e.g.
 * `2026-11-22 13:20 GMT+08:00 (Asia/Shanghai)`), whatever the zone of the workstation that
 * shows it.
 */
export function signatureTime(s: { signedAt: string; timeZone: string }, locale: 'en' | 'zh-CN' = 'en'): string {
  return zonedTime(s.signedAt, s.timeZone, locale);
}
