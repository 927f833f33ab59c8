import type { Db } from '../db/database';
import { fail } from '../../shared/contract/errors';
import {
  QuantityDecimal as D,
  convertQuantity,
  isQuantityString,
  isQuantityUnit,
  sameDimension,
  type QuantityUnit,
} from '../../shared/domain/units';
import {
  traceQueries,
  type EpcisConsumptionRow,
  type EpcisLotRow,
} from './queries';
import { traceLot } from './trace';

/**
 * The traceability export (issue 12 §6): the events of one lot's trace, both directions, as a
 * GS1 EPCIS 2.0 JSON-LD document (EPCISDocument) for customers and platforms that exchange
 * traceability data. The lot set is the trace engine's (`traceLot`): the root, its backward
 * and forward genealogy. The events are read from the records:
 *
 * - receiving: an ObjectEvent per received lot in the set (raw milk, ingredient, packaging),
 *   action ADD (LotSeal names the lot at receipt: its code is commissioned here, the
 *   supplier's own lot number is kept as `lotseal:supplierLot`), bizStep `receiving`,
 *   disposition `in_progress` (the lot enters quarantine, under QA control), the supplier as
 *   the owning party of the source, the plant as the destination location. From the receipt;
 *   a received lot imported from the ERP (no receipt) is exported from its lot record.
 * - production: a TransformationEvent per lot of the set that was made from other lots
 *   (consumption rows grouped by output lot; all of its inputs, also those outside the set),
 *   bizStep `commissioning` (CBV 2.0 has no "transforming"; GS1's examples commission the
 *   outputs of a TransformationEvent), disposition `active`; inputs with the quantities
 *   consumed (rows of one input lot summed, exactly, in one unit per dimension), the output
 *   with the quantity produced (none while the batch is open: EPCIS reads a missing
 *   quantity as unknown), transformationID the batch.
 * - shipping: an ObjectEvent OBSERVE per shipment line of the root and of its forward lots
 *   (the trace engine's rule: the lots that may contain the root), bizStep `shipping`,
 *   disposition `in_transit`, the customer as the owning party of the destination, the
 *   shipment code as a despatch advice (`desadv`).
 *
 * Identifiers. LotSeal's catalogue has no GTINs and no GLNs, so every identifier is a private
 * URN, the same way everywhere (parts percent-encoded with encodeURIComponent):
 *   class of a lot   urn:lotseal:class:<itemCode>:lot:<lotCode>  (empty item code when the lot
 *                    has no record, only a consumption row naming it)
 *   supplier         urn:lotseal:party:supplier:<code>
 *   customer         urn:lotseal:party:customer:<code>
 *                    (the role is part of the URN: a supplier and a customer may share a code)
 *   plant            urn:lotseal:loc:<plant, default "plant">; a line urn:lotseal:loc:<plant>:line:<line>
 *   batch            urn:lotseal:batch:<batchCode>; an imported output lot without a batch
 *                    urn:lotseal:production:<lotCode>
 *   shipment         urn:lotseal:shipment:<shipmentCode>
 *   event            urn:lotseal:event:{receiving|transformation}:<lotCode>,
 *                    urn:lotseal:event:shipping:<shipmentCode>:<lotCode>
 * Once GTINs (and GLNs) are in the catalogue, the step is GS1 Digital Link URIs
 * (https://id.gs1.org/01/<GTIN>/10/<lot> as the epcClass, /414/<GLN> for locations).
 * The eventIDs are URNs built from the record codes, not the `ni:///sha-256` event hash: that
 * hash has a canonical form defined by GS1, and an ID that looks like it without following it
 * would mislead whoever verifies it.
 *
 * Quantities. EPCIS quantities are JSON numbers (Number of the stored decimal string; beyond
 * 15–17 significant digits a double rounds), with the UN/CEFACT Rec. 20 unit (`uomOf`). The
 * stored decimal strings and LotSeal units are kept exact beside them in `lotseal:` extension
 * fields (a quantityElement allows no extension). A quantity that is not a decimal, or whose
 * unit has no code, is given without quantity and uom (never as a count).
 *
 * Times. eventTime is the instant in UTC; eventTimeZoneOffset is the offset at that instant of
 * the time zone recorded in the audit entry that created the record (the workstation's zone).
 * Records dated by day only (shipments, imported consumption) are placed at the instant they
 * were recorded when that falls on their date in that zone, otherwise at the start of the
 * day; the date as recorded is kept in `lotseal:date`. A zone this runtime does not know is
 * taken as UTC.
 *
 * Output is deterministic for one database and `now`: events ordered by eventTime, then
 * receiving, production, shipping, then eventID (UTF-16 code unit order).
 */

export const EPCIS_CONTEXT = 'https://ref.gs1.org/standards/epcis/epcis-context.jsonld';
/** The JSON-LD namespace of the `lotseal:` extension fields (declared in the document's @context). */
export const LOTSEAL_NAMESPACE = 'urn:lotseal:epcis:';

/** UN/CEFACT Recommendation 20 codes of LotSeal's units (counts are pieces: H87). */
export const UOM: Readonly<Record<QuantityUnit, string>> = {
  kg: 'KGM',
  g: 'GRM',
  t: 'TNE',
  L: 'LTR',
  mL: 'MLT',
  can: 'H87',
  bag: 'H87',
  pcs: 'H87',
};

/** The Rec. 20 code of a LotSeal unit, or null for a unit LotSeal does not know. */
export function uomOf(unit: string): string | null {
  return isQuantityUnit(unit) ? UOM[unit] : null;
}

const enc = encodeURIComponent;
export const epcisIds = {
  lotClass: (itemCode: string | null, lotCode: string) =>
    `urn:lotseal:class:${enc(itemCode ?? '')}:lot:${enc(lotCode)}`,
  supplier: (code: string) => `urn:lotseal:party:supplier:${enc(code)}`,
  customer: (code: string) => `urn:lotseal:party:customer:${enc(code)}`,
  plant: (plant: string | null | undefined) => `urn:lotseal:loc:${enc(plant || 'plant')}`,
  line: (plant: string | null | undefined, line: string) =>
    `urn:lotseal:loc:${enc(plant || 'plant')}:line:${enc(line)}`,
  batch: (code: string) => `urn:lotseal:batch:${enc(code)}`,
  production: (lotCode: string) => `urn:lotseal:production:${enc(lotCode)}`,
  shipment: (code: string) => `urn:lotseal:shipment:${enc(code)}`,
};

type Json = Record<string, unknown>;

const RECEIVED_KINDS = new Set(['raw_milk', 'ingredient', 'packaging']);

type LotRow = EpcisLotRow;
type ConsumptionRow = EpcisConsumptionRow;

// ------------------------------------------------------------------------------ time

const offsetFormats = new Map<string, Intl.DateTimeFormat | null>();

/** Minutes east of UTC of the zone at the instant; null for a zone this runtime does not know. */
function zoneOffset(tz: string, at: number): number | null {
  let f = offsetFormats.get(tz);
  if (f === undefined) {
    try {
      f = new Intl.DateTimeFormat('en-US', { timeZone: tz, timeZoneName: 'longOffset' });
    } catch {
      f = null;
    }
    offsetFormats.set(tz, f);
  }
  if (!f) return null;
  const name = f.formatToParts(at).find((p) => p.type === 'timeZoneName')?.value ?? 'GMT';
  // "GMT+08:00"; seconds (local mean time before 1900) are dropped.
  const m = /^GMT([+-])(\d{2}):(\d{2})(?::\d{2})?$/.exec(name);
  if (!m) return 0; // "GMT": UTC itself
  return (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3]));
}

function formatOffset(minutes: number): string {
  const sign = minutes < 0 ? '-' : '+';
  const a = Math.abs(minutes);
  return `${sign}${String(Math.floor(a / 60)).padStart(2, '0')}:${String(a % 60).padStart(2, '0')}`;
}

interface When {
  at: number;
  offset: string;
}

function instantIn(tz: string, at: number): When {
  return { at, offset: formatOffset(zoneOffset(tz, at) ?? 0) };
}

/** The instant of a wall-clock time in the zone (the earlier one in a DST fold). */
function wallToInstant(tz: string, wall: number): number {
  const first = wall - (zoneOffset(tz, wall) ?? 0) * 60_000;
  return wall - (zoneOffset(tz, first) ?? 0) * 60_000;
}

const DATE_ONLY = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/;

function localDate(tz: string, at: number): string {
  const shifted = new Date(at + (zoneOffset(tz, at) ?? 0) * 60_000);
  return shifted.toISOString().slice(0, 10);
}

/**
 * The event time of a TEXT date of a record created at `created` (see the header): a time with
 * an offset is that instant; a time without one is wall-clock time in the record's zone; a
 * date alone is the recording instant when it falls on that date, else the start of the day.
 * null for text that is no date.
 */
function textTime(text: string, created: { at: number; tz: string }): When | null {
  const d = DATE_ONLY.exec(text);
  if (d) {
    if (localDate(created.tz, created.at) === text) return instantIn(created.tz, created.at);
    const wall = Date.UTC(Number(d[1]), Number(d[2]) - 1, Number(d[3]));
    return instantIn(created.tz, wallToInstant(created.tz, wall));
  }
  const t = DATE_TIME.exec(text);
  if (!t) return null;
  const [, y, mo, da, h, mi, s, frac, zone] = t;
  const wall = Date.UTC(
    Number(y),
    Number(mo) - 1,
    Number(da),
    Number(h),
    Number(mi),
    Number(s ?? 0),
    Math.round(Number(frac ?? 0) * 1000),
  );
  if (Number.isNaN(wall)) return null;
  if (!zone) return instantIn(created.tz, wallToInstant(created.tz, wall));
  if (zone === 'Z') return { at: wall, offset: '+00:00' };
  const z = /^([+-])(\d{2}):?(\d{2})$/.exec(zone)!;
  const minutes = (z[1] === '-' ? -1 : 1) * (Number(z[2]) * 60 + Number(z[3]));
  return { at: wall - minutes * 60_000, offset: formatOffset(minutes) };
}

// ------------------------------------------------------------------------------ quantities

type Dec = InstanceType<typeof D>;

function quantityElement(epcClass: string, quantity: string | null, unit: string | null): Json {
  const el: Json = { epcClass };
  if (quantity === null || unit === null) return el;
  const uom = uomOf(unit);
  const n = Number(quantity);
  if (uom && isQuantityString(quantity) && Number.isFinite(n)) {
    el['quantity'] = n;
    el['uom'] = uom;
  }
  return el;
}

function exact(lot: string, quantity: string, unit: string): Json {
  return { 'lotseal:lot': lot, 'lotseal:quantity': quantity, 'lotseal:unit': unit };
}

/**
 * The consumed quantity of each input lot: rows of one lot in units of one dimension are
 * summed exactly in the unit of the first of them; rows in other units stay apart. A row that
 * is not a decimal makes its group's quantity unknown (null).
 */
function sumInputs(rows: ConsumptionRow[]): Array<{ lot: string; quantity: string | null; unit: string }> {
  const groups: Array<{ lot: string; unit: string; sum: Dec | null }> = [];
  for (const r of rows) {
    const g = groups.find((x) => x.lot === r.input_lot && convertible(r.unit, x.unit));
    const value = isQuantityString(r.quantity) ? r.quantity : null;
    if (!g) {
      groups.push({ lot: r.input_lot, unit: r.unit, sum: value === null ? null : new D(value) });
    } else if (g.sum !== null) {
      const v =
        value === null
          ? null
          : g.unit === r.unit
            ? value
            : convertQuantity(value, r.unit as QuantityUnit, g.unit as QuantityUnit);
      g.sum = v === null ? null : g.sum.plus(v);
    }
  }
  return groups.map((g) => ({ lot: g.lot, unit: g.unit, quantity: g.sum === null ? null : g.sum.toFixed() }));
}

function convertible(from: string, to: string): boolean {
  return from === to || (isQuantityUnit(from) && isQuantityUnit(to) && sameDimension(from, to));
}

// ------------------------------------------------------------------------------ document

interface Built {
  when: When;
  rank: number;
  event: Json;
}

/**
 * The lot's trace as an EPCIS 2.0 document (see the header), or null when no lot has this
 * code. `now` is the document's creationDate; `plant` names the plant in location URNs.
 */
export function epcisDocument(db: Db, lotCode: string, opts: { now: number; plant?: string | null }): Json | null {
  const plantLoc = epcisIds.plant(opts.plant);
  // One read transaction: the trace and the records are one consistent picture.
  const q = traceQueries(db);
  const read = q.read(() => {
    const trace = traceLot(db, lotCode);
    if (!trace) return null;
    const setCodes = [lotCode, ...trace.backward.map((l) => l.lot), ...trace.forward.map((l) => l.lot)];
    const lots = new Map<string, LotRow>();
    for (const l of q.lots(setCodes)) lots.set(l.code, l);

    const fallbackTz = q.latestTz() ?? 'UTC';
    const created = (entity: string, id: string): { at: number; tz: string } => {
      const e = q.created(entity, id);
      return e ?? { at: opts.now, tz: fallbackTz };
    };
    const out: Built[] = [];

    // Receiving.
    for (const code of setCodes) {
      const lot = lots.get(code);
      if (!lot || !RECEIVED_KINDS.has(lot.kind)) continue;
      const receipt = lot.receipt_id ? q.receipt(lot.receipt_id) : undefined;
      let when: When | null;
      let supplier: string | null;
      let quantity: string;
      let unit: string;
      const ext: Json = {};
      if (receipt) {
        when = instantIn(created('receipt', receipt.id).tz, receipt.received_at);
        supplier = receipt.supplier_code;
        quantity = receipt.quantity;
        unit = receipt.unit;
        ext['lotseal:receiptKind'] = receipt.kind;
        if (receipt.supplier_lot) ext['lotseal:supplierLot'] = receipt.supplier_lot;
      } else {
        // A received lot without a receipt: imported from the ERP, dated by its lot date.
        when = textTime(lot.lot_date, created('lot', lot.id));
        supplier = lot.supplier_code;
        quantity = lot.quantity;
        unit = lot.unit;
        ext['lotseal:date'] = lot.lot_date;
        if (lot.supplier_lot) ext['lotseal:supplierLot'] = lot.supplier_lot;
      }
      if (!when) continue;
      const event: Json = {
        type: 'ObjectEvent',
        eventTime: new Date(when.at).toISOString(),
        eventTimeZoneOffset: when.offset,
        eventID: `urn:lotseal:event:receiving:${enc(code)}`,
        action: 'ADD',
        quantityList: [quantityElement(epcisIds.lotClass(lot.item_code, code), quantity, unit)],
        bizStep: 'receiving',
        disposition: 'in_progress',
        readPoint: { id: plantLoc },
        bizLocation: { id: plantLoc },
        ...(supplier ? { sourceList: [{ type: 'owning_party', source: epcisIds.supplier(supplier) }] } : {}),
        destinationList: [{ type: 'location', destination: plantLoc }],
        ilmd: ilmd(lot),
        ...exact(code, quantity, unit),
        ...ext,
      };
      out.push({ when, rank: 0, event });
    }

    // Production: consumption rows grouped by output lot.
    const byOutput = new Map<string, ConsumptionRow[]>();
    for (const c of q.consumptionInto(setCodes)) {
      const list = byOutput.get(c.output_lot) ?? [];
      list.push(c);
      byOutput.set(c.output_lot, list);
    }
    const inputCodes = [...new Set([...byOutput.values()].flat().map((c) => c.input_lot))].filter((c) => !lots.has(c));
    const inputItems = new Map<string, string>();
    for (const l of lots.values()) inputItems.set(l.code, l.item_code);
    if (inputCodes.length) {
      for (const l of q.lots(inputCodes)) inputItems.set(l.code, l.item_code);
    }
    for (const [outCode, rows] of byOutput) {
      const lot = lots.get(outCode);
      const batch = lot?.batch_id ? q.batch(lot.batch_id) : undefined;
      let when: When | null = null;
      if (batch) {
        when = instantIn(created('batch', batch.id).tz, batch.ended_at ?? batch.started_at);
      } else {
        for (const r of rows) {
          const t = textTime(r.date, created('consumption', r.id));
          if (t && (!when || t.at > when.at)) when = t;
        }
        if (!when && lot) when = textTime(lot.lot_date, created('lot', lot.id));
      }
      if (!when) continue;
      const open = batch?.status === 'open';
      const inputs = sumInputs(rows);
      const event: Json = {
        type: 'TransformationEvent',
        eventTime: new Date(when.at).toISOString(),
        eventTimeZoneOffset: when.offset,
        eventID: `urn:lotseal:event:transformation:${enc(outCode)}`,
        inputQuantityList: inputs.map((i) =>
          quantityElement(epcisIds.lotClass(inputItems.get(i.lot) ?? null, i.lot), i.quantity, i.unit),
        ),
        outputQuantityList: [
          quantityElement(
            epcisIds.lotClass(lot?.item_code ?? null, outCode),
            open || !lot ? null : lot.quantity,
            lot?.unit ?? null,
          ),
        ],
        transformationID: batch ? epcisIds.batch(batch.code) : epcisIds.production(outCode),
        bizStep: 'commissioning',
        disposition: 'active',
        readPoint: { id: batch ? epcisIds.line(opts.plant, batch.line) : plantLoc },
        bizLocation: { id: plantLoc },
        ...(lot ? { ilmd: ilmd(lot) } : {}),
        'lotseal:inputs': rows.map((r) => ({ ...exact(r.input_lot, r.quantity, r.unit), 'lotseal:date': r.date })),
        'lotseal:output': lot && !open ? exact(outCode, lot.quantity, lot.unit) : { 'lotseal:lot': outCode },
        ...(batch
          ? { 'lotseal:batch': batch.code, 'lotseal:line': batch.line, 'lotseal:batchStatus': batch.status }
          : {}),
      };
      out.push({ when, rank: 1, event });
    }

    // Shipping: the root's and its forward lots' shipments (the trace engine's rule).
    const shipped = [lotCode, ...trace.forward.map((l) => l.lot)];
    for (const s of q.shipmentLines(shipped)) {
      const when = textTime(s.date, created('shipment', s.id));
      if (!when) continue;
      const event: Json = {
        type: 'ObjectEvent',
        eventTime: new Date(when.at).toISOString(),
        eventTimeZoneOffset: when.offset,
        eventID: `urn:lotseal:event:shipping:${enc(s.shipment_code)}:${enc(s.lot_code)}`,
        action: 'OBSERVE',
        quantityList: [
          quantityElement(epcisIds.lotClass(lots.get(s.lot_code)?.item_code ?? null, s.lot_code), s.quantity, s.unit),
        ],
        bizStep: 'shipping',
        disposition: 'in_transit',
        readPoint: { id: plantLoc },
        bizTransactionList: [{ type: 'desadv', bizTransaction: epcisIds.shipment(s.shipment_code) }],
        sourceList: [{ type: 'location', source: plantLoc }],
        destinationList: [{ type: 'owning_party', destination: epcisIds.customer(s.customer_code) }],
        ...exact(s.lot_code, s.quantity, s.unit),
        'lotseal:shipment': s.shipment_code,
        'lotseal:customer': s.customer_code,
        'lotseal:date': s.date,
      };
      out.push({ when, rank: 2, event });
    }
    return { events: out, depthLimitReached: trace.depth_limit_reached };
  });
  if (!read) return null;
  const events = read.events;

  events.sort((a, b) => {
    if (a.when.at !== b.when.at) return a.when.at - b.when.at;
    if (a.rank !== b.rank) return a.rank - b.rank;
    const x = a.event['eventID'] as string;
    const y = b.event['eventID'] as string;
    return x < y ? -1 : x > y ? 1 : 0;
  });

  return {
    '@context': [EPCIS_CONTEXT, { lotseal: LOTSEAL_NAMESPACE }],
    type: 'EPCISDocument',
    schemaVersion: '2.0',
    creationDate: new Date(opts.now).toISOString(),
    epcisBody: { eventList: events.map((e) => e.event) },
    'lotseal:rootLot': lotCode,
    'lotseal:depthLimitReached': read.depthLimitReached,
  };
}

/** Instance/lot master data of a lot commissioned by the event (CBV master data attributes). */
function ilmd(lot: LotRow): Json {
  return {
    'cbvmda:lotNumber': lot.code,
    ...(lot.expiry_date && DATE_ONLY.test(lot.expiry_date) ? { 'cbvmda:itemExpirationDate': lot.expiry_date } : {}),
  };
}

/** The EPCIS export as the drill page downloads it. */
export interface EpcisExport {
  fileName: string;
  json: string;
  events: number;
}

/** The EPCIS document of a lot's trace as a download (refused for an unknown lot). */
export function epcisExport(db: Db, lotCode: string, opts: { now: number; plant?: string | null }): EpcisExport {
  const doc = epcisDocument(db, lotCode, opts);
  if (!doc) fail('not_found', { entity: 'lot', id: lotCode }, 'errors.lot_not_found');
  const list = ((doc['epcisBody'] as { eventList?: unknown[] } | undefined)?.eventList ?? []).length;
  return { fileName: `epcis-${lotCode}.jsonld`, json: JSON.stringify(doc, null, 2), events: list };
}
