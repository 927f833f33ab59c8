/**
 * The print-format configurations LotSeal ships (issue 20 §1, D-060), one real model of each
 * kind of printing instrument, each with where its format comes from. `verification`:
 *
 * - `sourced`: the line shapes come from the vendor's manual pages named in `source`
 *   (docs/instrument-formats.md quotes them); details the pages leave open are listed in
 *   `open`.
 * - `unverified`: the vendor's manual says the output has no fixed format, or its RS-232
 *   section could not be retrieved. The configuration is LotSeal's TEMPLATE for that model,
 *   never the vendor's format: replace its patterns from a printout captured on site (the
 *   print-format tester) before the instrument fills results.
 *
 * Pure data plus the printout writers the simulators, tests and benches use; the driver
 * (src/main/instruments/drivers/print-format.ts) validates a configuration before use.
 */

export interface PrintFieldData {
  analyte: string;
  pattern: string;
  unit: string;
  role?: 'value' | 'sample_id' | 'temperature' | 'status';
  item?: string;
  optional?: boolean;
  okPattern?: string;
}

export interface PrintConfigData {
  recordStart?: string;
  recordEnd?: string;
  errorPattern?: string;
  fields: PrintFieldData[];
  checkSampleId?: boolean;
}

export interface ShippedFormat {
  id: ShippedFormatId;
  kind: 'balance' | 'moisture_analyser' | 'ph_meter' | 'milk_analyser' | 'cryoscope' | 'titrator' | 'other';
  make: string;
  model: string;
  verification: 'sourced' | 'unverified';
  /** Where the format comes from (manual and page), or why it could not be confirmed. */
  source: string;
  /** What the sources leave open, in English (docs/instrument-formats.md has both languages). */
  open: string[];
  config: PrintConfigData;
  /** Serial settings: the documented ones where sourced. */
  settings: { baudRate: number; dataBits: 7 | 8; parity: 'none' | 'odd' | 'even'; stopBits: 1 | 2 };
}

export const shippedFormatIds = ['sper-850055', 'ai-3320', 'ai-4250', 'lactoscan-sa'] as const;
export type ShippedFormatId = (typeof shippedFormatIds)[number];

const PH = '\\d{1,2}\\.\\d{1,3}';
const TEMP = '\\d{1,3}\\.\\d{1,2}';
const DATE = '@ ?\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}';
/**
 * Sper 850055, both documented line shapes: on-line (`p…pH: m…mV:T…C@…`) and memory
 * (`P…pH: T…C #n@…`); `unit` is the temperature letter (C, F, or either).
 */
const sper = (ph: string, t: string, unit: string) =>
  `^[pP]${ph}pH: ?(?:m[-+]?\\d{1,4}\\.\\d{1,3}mV: ?)?T${t}${unit} ?(?:#\\d{1,4} ?)?${DATE}`;

/** Sper Scientific 850055 pH meter ([S] user manual pp. 33–34, "PC connection"). */
export const sper850055: ShippedFormat = {
  id: 'sper-850055',
  kind: 'ph_meter',
  make: 'Sper Scientific',
  model: '850055',
  verification: 'sourced',
  source:
    'Sper Scientific 850055 user manual, pp. 33–34 "PC CONNECTION": 9600 bps, 8 data bits, no parity, ASCII every second; normal data pxx.xxpH: mxx.xxmV:Txxx.xC(F)@ yyyy-mm-dd hh:mm:ssLRC CR LF; memory transmit Pxx.xxpH: Txxx.xC(F)#xx@…; errors ExxNul: ExxNul: ExxNul @ …',
  open: [
    'Whether p/P and m/M are mode letters or signs: read as mode letters; the mV value is not read (its sign is not documented).',
    'The LRC checksum algorithm is not given: not checked.',
    'Digit counts widened (pH 1–2 . 1–3 digits, temperature 1–3 . 1–2).',
  ],
  config: {
    errorPattern: '^(E[0-9A-Za-z]{1,3}Nul.{0,80})$',
    fields: [
      { analyte: 'pH', pattern: sper(`(${PH})`, TEMP, '[CF]'), unit: 'pH', item: 'ph' },
      { analyte: 'temperature', pattern: sper(PH, `(${TEMP})`, 'C'), unit: '°C', role: 'temperature', optional: true },
      {
        analyte: 'temperature_f',
        pattern: sper(PH, `(${TEMP})`, 'F'),
        unit: '°F',
        role: 'temperature',
        optional: true,
      },
    ],
  },
  settings: { baudRate: 9600, dataBits: 8, parity: 'none', stopBits: 1 },
};

const PIPE = '[^|]{0,60}';
/** Advanced Instruments 3320 micro-osmometer ([S] user's guide pp. 64–66, serial port messages). */
export const ai3320: ShippedFormat = {
  id: 'ai-3320',
  kind: 'other',
  make: 'Advanced Instruments',
  model: '3320 (osmometer)',
  verification: 'sourced',
  source:
    'Advanced Micro-Osmometer Model 3320 User’s Guide pp. 64–66: pipe-delimited messages ended by CR LF. RESULT: R|date|time|company|model|serial|sample ID (if any)|result|units, e.g. R|20120510|112632|Advanced Instruments Inc.|3320|03090845A|0123456789ABCDEFGHIJ|2000|mOsm/kg. ERROR: E|date|time|company|model|serial|sample ID|error code|text. STATUS (S) and CALIBRATION (C) messages carry no result.',
  open: ['This is an osmometer (mOsm/kg), not a milk cryoscope: it is shipped because its format is documented.'],
  config: {
    errorPattern: '^E\\|(.{1,200})$',
    checkSampleId: true,
    fields: [
      {
        analyte: 'sample_id',
        pattern: `^R\\|\\d{8}\\|\\d{6}\\|${PIPE}\\|${PIPE}\\|${PIPE}\\|([^|]{0,40})\\|`,
        unit: '',
        role: 'sample_id',
        optional: true,
      },
      {
        analyte: 'osmolality',
        pattern: `^R\\|\\d{8}\\|\\d{6}\\|${PIPE}\\|${PIPE}\\|${PIPE}\\|[^|]{0,40}\\|(-?\\d{1,6}(?:\\.\\d{1,3})?)\\|mOsm/kg`,
        unit: 'mOsm/kg',
        item: 'osmolality',
      },
    ],
  },
  settings: { baudRate: 9600, dataBits: 8, parity: 'none', stopBits: 1 },
};

const FP = '-?\\d{1,4}(?:\\.\\d{1,3})?';
/** Advanced Instruments 4250 milk cryoscope: a TEMPLATE ([U]; see `source`). */
export const ai4250: ShippedFormat = {
  id: 'ai-4250',
  kind: 'cryoscope',
  make: 'Advanced Instruments',
  model: '4250 (cryoscope)',
  verification: 'unverified',
  source:
    'Not confirmed. The Advanced Osmometer 3250 / Cryoscope 4250 user guide (Appendix E, p. 101) says the RS-232 port (DTE, 8N1, every message ended by CR LF) outputs free text with no fixed format, to be captured and parsed on site. What is sourced: the 4250 reports on the Hortvet (m°H) or Celsius (m°C) scale and its guide says to multiply Hortvet-scaled data by 0.9656 to compare with Celsius (p. 41).',
  open: [
    'The result line below is LotSeal’s template, not the vendor’s: capture a printout and replace the patterns.',
    'Which scale the instrument is set to: both m°C and m°H lines are read; the method names the Hortvet conversion.',
  ],
  config: {
    errorPattern: '^(?:ERROR|Error)[: ]+(.{1,120})$',
    fields: [
      { analyte: 'sample_id', pattern: '^Sample +([A-Za-z0-9-]{1,30}) ', unit: '', role: 'sample_id', optional: true },
      {
        analyte: 'freezing_point_mc',
        pattern: `^Sample +[A-Za-z0-9-]{1,30} +(${FP}) ?m°C`,
        unit: 'm°C',
        item: 'freezing_point',
        optional: true,
      },
      {
        analyte: 'freezing_point_mh',
        pattern: `^Sample +[A-Za-z0-9-]{1,30} +(${FP}) ?m°H`,
        unit: 'm°H',
        item: 'freezing_point',
        optional: true,
      },
    ],
  },
  settings: { baudRate: 9600, dataBits: 8, parity: 'none', stopBits: 1 },
};

const LS = (label: string) => `^${label} *: *(-?\\d{1,4}\\.\\d{1,3})`;
/** Milkotronic Lactoscan SA ultrasonic milk analyser: a TEMPLATE ([U]; see `source`). */
export const lactoscanSa: ShippedFormat = {
  id: 'lactoscan-sa',
  kind: 'milk_analyser',
  make: 'Milkotronic',
  model: 'Lactoscan SA',
  verification: 'unverified',
  source:
    'Not confirmed. The Lactoscan SA operation manual (11.04.19) lists what one measurement gives — fat, SNF, density, protein, lactose, added water, temperature, freezing point (calculated, not measured: Appendix 2) and salts — and an optional RS232 cable (LSSA006), but its RS-232 record layout was not retrieved.',
  open: [
    'The record below is LotSeal’s template, not the vendor’s: capture a printout and replace the patterns.',
    'Density is read in lactometer degrees (°L, the display unit the manuals name); the method names its conversion to relative density.',
    'The freezing point is calculated by the analyser: it is read but fills no item (a cryoscope method measures it).',
  ],
  config: {
    recordStart: '^LACTOSCAN',
    recordEnd: '^-{4,}$',
    fields: [
      {
        analyte: 'sample_no',
        pattern: '^LACTOSCAN.{0,20}No[.:]? *([0-9]{1,6})',
        unit: '',
        role: 'sample_id',
        optional: true,
      },
      { analyte: 'fat', pattern: LS('Fat'), unit: '%', item: 'fat' },
      { analyte: 'snf', pattern: LS('SNF'), unit: '%', item: 'non_fat_solids' },
      { analyte: 'density', pattern: LS('Density'), unit: '°L', item: 'relative_density' },
      { analyte: 'protein', pattern: LS('Protein'), unit: '%', item: 'protein' },
      { analyte: 'lactose', pattern: LS('Lactose'), unit: '%', item: 'lactose' },
      { analyte: 'added_water', pattern: LS('Water'), unit: '%', item: 'added_water' },
      { analyte: 'temperature', pattern: LS('Temp'), unit: '°C', role: 'temperature' },
      { analyte: 'freezing_point', pattern: LS('FrP'), unit: '°C', optional: true },
      { analyte: 'salts', pattern: LS('Salts'), unit: '%', optional: true },
    ],
  },
  settings: { baudRate: 9600, dataBits: 8, parity: 'none', stopBits: 1 },
};

export const shippedFormats: Record<ShippedFormatId, ShippedFormat> = {
  'sper-850055': sper850055,
  'ai-3320': ai3320,
  'ai-4250': ai4250,
  'lactoscan-sa': lactoscanSa,
};

/** What a simulated instrument prints: values by analyte (decimal strings), the sample id. */
export interface PrintoutValues {
  values?: Record<string, string>;
  sampleId?: string;
  /** ISO local date-time 'yyyy-mm-dd hh:mm:ss' printed where the format has one. */
  at?: string;
}

const pad = (v: string, n: number) => v.padStart(n, ' ');
const stamp = (at: string) => ({ ymd: at.slice(0, 10).replace(/-/g, ''), hms: at.slice(11, 19).replace(/:/g, '') });

/** Default values of each format's simulated record. */
export const defaultPrintoutValues: Record<ShippedFormatId, Record<string, string>> = {
  'sper-850055': { pH: '6.72', temperature: '25.0', mV: '12.34' },
  'ai-3320': { osmolality: '290' },
  'ai-4250': { freezing_point_mc: '-521' },
  'lactoscan-sa': {
    fat: '3.62',
    snf: '8.71',
    density: '29.30',
    protein: '3.18',
    lactose: '4.79',
    added_water: '0.00',
    temperature: '18.4',
    freezing_point: '-0.541',
    salts: '0.71',
  },
};

/**
 * The lines a model prints for one measurement (each ended by CR LF), in its documented shape
 * (sourced formats) or LotSeal's template (unverified ones).
 */
export function printout(id: ShippedFormatId, p: PrintoutValues = {}): string {
  // A cryoscope prints one scale: values given replace the default reading, not add to it.
  const v = id === 'ai-4250' && p.values ? { ...p.values } : { ...defaultPrintoutValues[id], ...(p.values ?? {}) };
  const at = p.at ?? '2026-06-01 09:30:00';
  switch (id) {
    case 'sper-850055': {
      const ph = v['pH']!.padStart(5, '0');
      const t = v['temperature']!.padStart(5, '0');
      return `p${ph}pH: m${v['mV']}mV:T${t}C@ ${at}Z\r\n`;
    }
    case 'ai-3320': {
      const s = stamp(at);
      return `R|${s.ymd}|${s.hms}|Advanced Instruments Inc.|3320|03090845A|${p.sampleId ?? ''}|${v['osmolality']}|mOsm/kg\r\n`;
    }
    case 'ai-4250': {
      const sid = p.sampleId ?? '0001';
      const lines: string[] = [];
      if (v['freezing_point_mc'] !== undefined) lines.push(`Sample ${sid}  ${v['freezing_point_mc']} m°C`);
      if (v['freezing_point_mh'] !== undefined) lines.push(`Sample ${sid}  ${v['freezing_point_mh']} m°H`);
      return lines.map((l) => `${l}\r\n`).join('');
    }
    case 'lactoscan-sa': {
      const row = (label: string, key: string, unit: string) => `${label.padEnd(8)}: ${pad(v[key]!, 7)}${unit}`;
      return [
        `LACTOSCAN SA  No: ${(p.sampleId ?? '7').padStart(4, '0')}`,
        row('Fat', 'fat', ' %'),
        row('SNF', 'snf', ' %'),
        row('Density', 'density', ''),
        row('Protein', 'protein', ' %'),
        row('Lactose', 'lactose', ' %'),
        row('Water', 'added_water', ' %'),
        row('Temp', 'temperature', ' C'),
        row('FrP', 'freezing_point', ' C'),
        row('Salts', 'salts', ' %'),
        '--------',
      ]
        .map((l) => `${l}\r\n`)
        .join('');
    }
  }
}

/** What the model prints when the measurement fails (sourced error shapes; templates for the others). */
export function errorPrintout(id: ShippedFormatId, at = '2026-06-01 09:30:00'): string {
  switch (id) {
    case 'sper-850055':
      return `E01Nul: E01Nul: E01Nul @ ${at}Z\r\n`;
    case 'ai-3320': {
      const s = stamp(at);
      return `E|${s.ymd}|${s.hms}|Advanced Instruments |3320|03090845A||1000|Sample Pre Freeze\r\n`;
    }
    case 'ai-4250':
      return 'ERROR: Sample pre-freeze\r\n';
    case 'lactoscan-sa':
      // The template has no error record: an interrupted measurement never reaches its end line.
      return 'LACTOSCAN SA  No: 0008\r\nFat     :    3.6\r\nLACTOSCAN SA  No: 0009\r\n';
  }
}
