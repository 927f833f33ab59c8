/** Hygiene zone colours: 1 product contact (red) … 4 outside the processing area (green). */
export const zoneColor: Record<number, string> = { 1: 'red', 2: 'orange', 3: 'yellow', 4: 'green' };

export function zoneColorOf(zone: number | null): string {
  return zone ? (zoneColor[zone] ?? 'gray') : 'blue';
}
