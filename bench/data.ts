/**
 * `npm run bench:data [-- --out DIR --scale 0.01…1 --seed N]`: a deterministic ten-year
 * dataset of a large infant-formula plant as the six ERP files (../shared/formats/README.md
 * §1), default bench-data/plant at scale 1:
 *   ~180,000 raw milk tankers, ~60,000 ingredient + ~10,000 packaging lots, ~15,000
 *   intermediate (base powder) batches, ~36,000 finished lots, ~2,000,000 consumption rows,
 *   ~80,000 shipments to 500 customers, and stock movements (samples, counts, waste,
 *   returns, adjustments).
 * Fan-in/fan-out follows a plant: each base-powder batch takes the raw milk of the two days
 * before it; each finished lot takes one or two batches of the last week, ~50 ingredient
 * lots (vitamins, minerals, oils, lactose, …) of the last month and its cans. Every lot's
 * consumption plus shipments stays within its quantity (integer quantities, tracked). Rows
 * are written as they are made (a day at a time): memory does not grow with the dataset.
 */
import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { CatalogService } from '../src/main/catalog/catalog-service';

/** The ingredient item codes of the dataset. */
export const PLANT_INGREDIENTS: readonly string[] = [
  'LACTOSE',
  'WPC80',
  'SMP',
  'DEMIN-WHEY',
  'GOS',
  'FOS',
  'VEG-OIL-BLEND',
  'SUNFLOWER-OIL',
  'COCONUT-OIL',
  'RAPESEED-OIL',
  'DHA-OIL',
  'ARA-OIL',
  'OPO',
  'MFGM',
  'ALPHA-LAC',
  'LACTOFERRIN',
  'NUCLEOTIDES',
  'CHOLINE',
  'INOSITOL',
  'TAURINE',
  'L-CARNITINE',
  'LUTEIN',
  'VIT-PREMIX',
  'MIN-PREMIX',
  'CA-CARBONATE',
  'K-CITRATE',
  'NA-CITRATE',
  'MG-CHLORIDE',
  'FE-SULPHATE',
  'ZN-SULPHATE',
  'CU-SULPHATE',
  'KI',
  'NA-SELENITE',
  'VIT-C',
  'VIT-E',
  'VIT-A',
  'VIT-D3',
  'VIT-K1',
  'LECITHIN',
  'B-LACTIS',
];

/** mulberry32: a small, fast, seeded PRNG (public domain, Tommy Ettinger). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

class CsvOut {
  private fd: number;
  private buf: string[] = [];
  private size = 0;
  rows = 0;
  constructor(file: string, header: string) {
    this.fd = openSync(file, 'w');
    this.buf.push(`${header}\n`);
  }
  row(line: string): void {
    this.buf.push(line, '\n');
    this.size += line.length + 1;
    this.rows++;
    if (this.size > 1 << 20) this.flush();
  }
  flush(): void {
    writeSync(this.fd, this.buf.join(''));
    this.buf = [];
    this.size = 0;
  }
  close(): void {
    this.flush();
    closeSync(this.fd);
  }
}

interface PoolLot {
  code: string;
  day: number;
  /** Remaining quantity in the unit consumption is written in (kg, g or pcs). */
  left: number;
}

export interface DataOptions {
  out: string;
  scale: number;
  seed?: number;
  years?: number;
}

export function generatePlantData(opts: DataOptions): Record<string, number> {
  const s = Math.min(1, Math.max(0.001, opts.scale));
  const rnd = mulberry32(opts.seed ?? 20260301);
  const int = (lo: number, hi: number): number => lo + Math.floor(rnd() * (hi - lo + 1));
  const pick = <T>(a: readonly T[]): T => a[Math.floor(rnd() * a.length)]!;
  mkdirSync(opts.out, { recursive: true });
  const days = Math.round(365.25 * (opts.years ?? 10));
  const t0 = Date.UTC(2016, 0, 1);
  const dayStr = (d: number): string => new Date(t0 + d * 86_400_000).toISOString().slice(0, 10);
  const ymd = (d: number): string => dayStr(d).replace(/-/g, '');
  const at = (d: number, h: number, m = 0): string =>
    `${dayStr(d)}T${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}:00+08:00`;
  const perDay = (total: number, d: number): number =>
    Math.floor(((d + 1) * total * s) / days) - Math.floor((d * total * s) / days);

  const suppliers = new CsvOut(join(opts.out, 'suppliers.csv'), 'supplier_code,name,kind,approved');
  const farms: string[] = [];
  const ingSup: string[] = [];
  const packSup: string[] = [];
  for (let i = 1; i <= 300; i++) farms.push(`F${String(i).padStart(4, '0')}`);
  for (let i = 1; i <= 200; i++) ingSup.push(`S${String(i).padStart(4, '0')}`);
  for (let i = 1; i <= 50; i++) packSup.push(`P${String(i).padStart(4, '0')}`);
  for (const f of farms) suppliers.row(`${f},Dairy farm ${f},farm,yes`);
  for (const f of ingSup)
    suppliers.row(`${f},"Ingredient supplier ${f}, Ltd",ingredient,${rnd() < 0.95 ? 'yes' : 'no'}`);
  for (const f of packSup) suppliers.row(`${f},Packaging supplier ${f},packaging,yes`);
  suppliers.close();

  const nCustomers = Math.max(20, Math.round(500 * s));
  const customers = new CsvOut(join(opts.out, 'customers.csv'), 'customer_code,name,contact,phone');
  for (let i = 1; i <= nCustomers; i++)
    customers.row(
      `C${String(i).padStart(4, '0')},Customer ${i} 母婴连锁,Contact ${i},+86 21 5555 ${String(i).padStart(4, '0')}`,
    );
  customers.close();

  const ingredients = PLANT_INGREDIENTS;
  const lots = new CsvOut(
    join(opts.out, 'lots.csv'),
    'lot_code,kind,item_code,item_name,quantity,unit,date,supplier_code,expiry_date,status',
  );
  const cons = new CsvOut(join(opts.out, 'consumption.csv'), 'input_lot,output_lot,quantity,unit,date');
  const ships = new CsvOut(join(opts.out, 'shipments.csv'), 'shipment_code,lot_code,customer_code,quantity,unit,date');
  const stock = new CsvOut(join(opts.out, 'stock.csv'), 'lot_code,movement,quantity,unit,date');

  let milk: PoolLot[] = [];
  let ing: PoolLot[] = [];
  let pack: PoolLot[] = [];
  let base: PoolLot[] = [];
  let shipmentNo = 0;
  const rmStatus = (): string => (rnd() < 0.003 ? 'rejected' : 'accepted');
  // Customers are skewed: a few national chains take most shipments.
  const customer = (): string => `C${String(1 + Math.floor(nCustomers * rnd() ** 2.5)).padStart(4, '0')}`;

  for (let d = 0; d < days; d++) {
    // Raw milk tankers (kg).
    const nT = perDay(180_000, d);
    for (let i = 0; i < nT; i++) {
      const code = `RM-${ymd(d)}-${String(i + 1).padStart(3, '0')}`;
      const q = int(20_000, 30_000);
      const status = rmStatus();
      lots.row(
        `${code},raw_milk,RAWMILK,Raw cow milk 生牛乳,${q},kg,${at(d, i % 24, (i * 7) % 60)},${pick(farms)},,${status}`,
      );
      if (status === 'accepted') milk.push({ code, day: d, left: q });
      else stock.row(`${code},waste,${q},kg,${at(d, i % 24, 59)}`);
    }
    // Ingredient lots (kg, consumed in g) and packaging (pcs).
    const nI = perDay(60_000, d);
    for (let i = 0; i < nI; i++) {
      const item = pick(ingredients);
      const code = `ING-${ymd(d)}-${String(i + 1).padStart(3, '0')}`;
      const q = int(500, 5_000);
      lots.row(
        `${code},ingredient,${item},${item} ingredient,${q},kg,${dayStr(d)},${pick(ingSup)},${dayStr(d + 540)},`,
      );
      ing.push({ code, day: d, left: q * 1000 });
      if (rnd() < 0.2) {
        stock.row(`${code},adjustment,${rnd() < 0.5 ? '-' : ''}${int(1, 20)}.${int(0, 9)},kg,${dayStr(d + 3)}`);
        ing[ing.length - 1]!.left -= 21_000; // keep room for a negative adjustment
      }
    }
    const nP = perDay(10_000, d);
    for (let i = 0; i < nP; i++) {
      const code = `PK-${ymd(d)}-${String(i + 1).padStart(3, '0')}`;
      const q = int(100_000, 300_000);
      lots.row(`${code},packaging,CAN800,800 g can with lid,${q},pcs,${dayStr(d)},${pick(packSup)},,`);
      pack.push({ code, day: d, left: q });
    }
    // Base powder batches: the raw milk of the two days before (about 12 tankers each).
    const nB = perDay(15_000, d);
    const milkPool = milk.filter((l) => l.day >= d - 2 && l.day < d && l.left > 0);
    for (let b = 0; b < nB; b++) {
      const code = `IB-${ymd(d)}-${String(b + 1).padStart(2, '0')}`;
      const when = at(d, 6 + b * 3);
      const want = Math.min(milkPool.length, int(9, 15));
      let milkKg = 0;
      const used = new Set<number>();
      for (let k = 0; k < want; k++) {
        let j = Math.floor(rnd() * milkPool.length);
        for (let tries = 0; tries < 5 && (used.has(j) || milkPool[j]!.left <= 0); tries++)
          j = Math.floor(rnd() * milkPool.length);
        if (used.has(j) || milkPool[j]!.left <= 0) continue;
        used.add(j);
        const lot = milkPool[j]!;
        const q = Math.min(lot.left, rnd() < 0.7 ? lot.left : int(5_000, lot.left));
        lot.left -= q;
        milkKg += q;
        cons.row(`${lot.code},${code},${q},kg,${when}`);
      }
      if (milkKg === 0) continue;
      const powder = Math.floor(milkKg * 0.125);
      lots.row(`${code},intermediate,BASE-1,Base powder 基粉,${powder},kg,${when},,${dayStr(d + 365)},`);
      base.push({ code, day: d, left: powder });
    }
    // Finished lots: batches of the last week, ingredients of the last month, cans.
    const nF = perDay(36_000, d);
    const basePool = base.filter((l) => l.day >= d - 7 && l.day < d && l.left > 0);
    const ingPool = ing.filter((l) => l.day >= d - 30 && l.day < d && l.left > 0);
    const packPool = pack.filter((l) => l.day >= d - 30 && l.day < d && l.left > 0);
    for (let f = 0; f < nF; f++) {
      if (basePool.length === 0 || packPool.length === 0) break;
      const code = `FG-${ymd(d)}-${String(f + 1).padStart(2, '0')}`;
      const date = dayStr(d);
      const lines: string[] = [];
      let cans = 0;
      for (const b of [pick(basePool), pick(basePool)]) {
        if (b.left <= 0 || lines.some((x) => x.startsWith(`${b.code},`))) continue;
        const q = Math.min(b.left, int(2_000, 6_000));
        b.left -= q;
        cans += Math.floor((q * 0.9) / 0.8);
        lines.push(`${b.code},${code},${q},kg,${date}`);
      }
      if (cans === 0) continue;
      const nIng = Math.min(ingPool.length, int(40, 62));
      const usedI = new Set<number>();
      for (let k = 0; k < nIng; k++) {
        const j = Math.floor(rnd() * ingPool.length);
        if (usedI.has(j)) continue;
        usedI.add(j);
        const lot = ingPool[j]!;
        const g = Math.min(lot.left, int(1_000, 150_000));
        if (g <= 0) continue;
        lot.left -= g;
        lines.push(
          g % 1000 === 0 ? `${lot.code},${code},${g / 1000},kg,${date}` : `${lot.code},${code},${g},g,${date}`,
        );
      }
      let need = cans;
      for (let tries = 0; need > 0 && tries < 3; tries++) {
        const p = pick(packPool);
        if (p.left <= 0 || lines.some((x) => x.startsWith(`${p.code},`))) continue;
        const q = Math.min(p.left, need);
        p.left -= q;
        need -= q;
        lines.push(`${p.code},${code},${q},pcs,${date}`);
      }
      for (const l of lines) cons.row(l);
      lots.row(
        `${code},finished,IMF-1-800,Stage 1 infant formula 800 g 婴儿配方奶粉,${cans},can,${date},,${dayStr(d + 540)},${rnd() < 0.004 ? 'rejected' : 'released'}`,
      );
      // Samples, shipments over the next weeks, a return now and then, a stock count.
      const sample = 6;
      stock.row(`${code},sample,${sample},can,${date}`);
      let left = cans - sample;
      const nShip = Math.max(1, Math.round((80_000 / 36_000) * (0.5 + rnd())));
      for (let k = 0; k < nShip && left > 0; k++) {
        const q = k === nShip - 1 ? Math.floor(left * 0.95) : Math.floor(left * (0.3 + rnd() * 0.4));
        if (q <= 0) break;
        left -= q;
        shipmentNo++;
        ships.row(
          `SH-${String(shipmentNo).padStart(7, '0')},${code},${customer()},${q},can,${dayStr(d + 2 + k * int(2, 9))}`,
        );
      }
      if (rnd() < 0.02) stock.row(`${code},return,${int(1, 24)},can,${dayStr(d + 40)}`);
      stock.row(`${code},on_hand,${left},can,${dayStr(d + 60)}`);
    }
    // Keep only what can still be used (the windows above): memory stays flat.
    if (d % 7 === 0) {
      milk = milk.filter((l) => l.day >= d - 3 && l.left > 0);
      ing = ing.filter((l) => l.day >= d - 31 && l.left > 0);
      pack = pack.filter((l) => l.day >= d - 31 && l.left > 0);
      base = base.filter((l) => l.day >= d - 8 && l.left > 0);
    }
  }
  const counts = {
    suppliers: 550,
    customers: nCustomers,
    lots: lots.rows,
    consumption: cons.rows,
    shipments: ships.rows,
    stock: stock.rows,
  };
  for (const f of [lots, cons, ships, stock]) f.close();
  return counts;
}

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

if (require.main === module) {
  const out = arg('out') ?? join(process.cwd(), 'bench-data', 'plant');
  const scale = Number(arg('scale') ?? '1');
  if (!(scale >= 0.001 && scale <= 1)) {
    process.stderr.write('--scale must be between 0.001 and 1\n');
    process.exit(2);
  }
  const t = performance.now();
  const counts = generatePlantData({ out, scale, ...(arg('seed') ? { seed: Number(arg('seed')) } : {}) });
  process.stdout.write(
    `${JSON.stringify({ out, scale, rows: counts, seconds: Math.round((performance.now() - t) / 100) / 10 }, null, 2)}\n`,
  );
}

/**
 * The catalogue the dataset's item codes name (an import refuses item codes that are not in
 * the catalogue, issue 19 §1): raw milk, the ingredients, the can, the base powder and the
 * stage 1 formula. Written through the catalogue service, as a QA manager would enter them.
 */
export function seedPlantCatalog(catalog: CatalogService, actor: { id: string; name: string }): void {
  const material = (code: string, name: string, kind: 'raw_milk' | 'ingredient' | 'packaging', unit: string) =>
    catalog.save(actor, 'materials', {
      fields: { code, nameZh: name, nameEn: name, kind, defaultUnit: unit } as never,
    });
  material('RAWMILK', 'Raw cow milk 生牛乳', 'raw_milk', 'kg');
  for (const i of PLANT_INGREDIENTS) material(i, `${i} ingredient`, 'ingredient', 'kg');
  material('CAN800', '800 g can with lid', 'packaging', 'pcs');
  const product = (code: string, name: string, stage: string) =>
    catalog.save(actor, 'products', {
      fields: {
        code,
        nameZh: name,
        nameEn: name,
        stage,
        proteinBase: 'cow',
        registrationNo: null,
        shelfLifeDays: 540,
        packSizes: [],
      } as never,
    });
  product('BASE-1', 'Base powder 基粉', 'other_dairy');
  product('IMF-1-800', 'Stage 1 infant formula 800 g 婴儿配方奶粉', 'infant');
}
