/**
 * Times on the documents a plant hands out (issue 22 §3, D-078): the local wall time of the
 * plant with an honest zone label, whatever zone the workstation that recorded or prints it
 * runs in. China keeps one time, 北京时间 (UTC+08:00), by law: a plant with a 食品生产许可证 prints
 * in it. Elsewhere the zone's own offset is printed with its name (`UTC+02:00 (Europe/Paris)`),
 * and UTC is called UTC. Never a UTC time under a local name, never "GMT+00:00 (UTC)" on a
 * Chinese certificate because the harness ran in UTC.
 */

/** The zone of every plant in China (China Standard Time). */
export const BEIJING_ZONE = 'Asia/Shanghai';

const CHINA_ZONES = new Set(['Asia/Shanghai', 'Asia/Chongqing', 'Asia/Chungking', 'Asia/Harbin', 'PRC', 'Asia/Urumqi']);

const formats = new Map<string, Intl.DateTimeFormat | null>();
function formatFor(zone: string): Intl.DateTimeFormat | null {
  let f = formats.get(zone);
  if (f === undefined) {
    try {
      f = new Intl.DateTimeFormat('en-CA', {
        timeZone: zone,
        year: 'numeric',
        month: '2-digit',
        day: '2-digit',
        hour: '2-digit',
        minute: '2-digit',
        hourCycle: 'h23',
        timeZoneName: 'longOffset',
      });
    } catch {
      f = null;
    }
    formats.set(zone, f);
  }
  return f;
}

interface Parts {
  date: string;
  time: string;
  /** "+08:00", "+00:00" */
  offset: string;
}

function parts(instant: Date, zone: string): Parts & { zone: string } {
  const f = formatFor(zone);
  if (!f) {
    const iso = instant.toISOString();
    return { date: iso.slice(0, 10), time: iso.slice(11, 16), offset: '+00:00', zone: 'UTC' };
  }
  const p = Object.fromEntries(f.formatToParts(instant).map((x) => [x.type, x.value]));
  const name = p['timeZoneName'] ?? 'GMT';
  const offset = name === 'GMT' ? '+00:00' : name.replace(/^GMT/, '');
  return { date: `${p['year']}-${p['month']}-${p['day']}`, time: `${p['hour']}:${p['minute']}`, offset, zone };
}

/** The zone label a document prints: 北京时间（UTC+08:00）/ Beijing time (UTC+08:00), `UTC`, or `UTC+02:00 (Europe/Paris)`. */
export function printedZoneLabel(zone: string, locale: 'en' | 'zh-CN', at: Date = new Date()): string {
  const p = parts(at, zone);
  if (CHINA_ZONES.has(zone) && p.offset === '+08:00')
    return locale === 'zh-CN' ? '北京时间（UTC+08:00）' : 'Beijing time (UTC+08:00)';
  if (p.zone === 'UTC' || zone === 'Etc/UTC' || zone === 'UTC') return 'UTC';
  return `UTC${p.offset} (${zone})`;
}

/** A recorded instant as a document prints it: `2026-12-05 17:22`, in the plant's zone, without the label. */
export function printedLocalTime(iso: string | number | null | undefined, zone: string): string {
  if (iso === null || iso === undefined || iso === '') return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return String(iso);
  const p = parts(d, zone);
  return `${p.date} ${p.time}`;
}

/** A recorded instant with its zone label: `2026-12-05 17:22 北京时间（UTC+08:00）`. */
export function printedTime(iso: string | number | null | undefined, zone: string, locale: 'en' | 'zh-CN'): string {
  if (iso === null || iso === undefined || iso === '') return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return String(iso);
  return `${printedLocalTime(d.toISOString(), zone)} ${printedZoneLabel(zone, locale, d)}`;
}

/**
 * The zone a plant's documents print in: Beijing time when the company is a Chinese licence
 * holder (an SC number), else the zone of the workstation.
 */
export function documentZone(company: { scNumber: string } | null, workstationZone: string): string {
  return company && /^SC\d{14}$/.test(company.scNumber) ? BEIJING_ZONE : workstationZone;
}

/**
 * A recorded instant with its offset and no words, for text that is not in one language (a
 * drill's document list): `2026-12-05 17:22 UTC+08:00`, or `… UTC`.
 */
export function printedOffsetTime(iso: string | number | null | undefined, zone: string): string {
  if (iso === null || iso === undefined || iso === '') return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return String(iso);
  const p = parts(d, zone);
  return `${p.date} ${p.time} ${p.zone === 'UTC' || p.offset === '+00:00' ? 'UTC' : `UTC${p.offset}`}`;
}
