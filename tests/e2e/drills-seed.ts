import { people, type People } from './intake-seed';
import * as plant from '../fixtures/plant';
import { CUSTOMERS, MATERIALS, PRODUCTS, SUPPLIERS } from '../fixtures/plant';

export interface DrillSeed {
  p: People;
  /** The raw milk tanker (25 000 kg) the drill starts from. */
  rawMilk: string;
  /** Whole milk powder made from it, shipped to C001 and C002. */
  shippedLot: string;
  /** Whole milk powder made from it, still in the warehouse. */
  stockLot: string;
}

function today(): string {
  const d = new Date();
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`;
}

/**
 * The genealogy of tests/integration/drills.test.ts, through the contract: a raw milk tanker
 * accepted → two finished lots of whole milk powder (stage other_dairy, so a plain signed
 * release applies) → shipments to two customers, one of them without contact details (the
 * drill's finding). Plus this year's programme with one planned drill due on 1 January.
 */
export async function seedDrills(url: string): Promise<DrillSeed> {
  const p = await people(url);
  await plant.material(p.qa, MATERIALS.rawMilk);
  await plant.supplier(p.qa, SUPPLIERS.farm);
  await plant.product(p.qa, PRODUCTS.wmp);
  await plant.customer(p.prod, { ...CUSTOMERS.c001, address: '银川市金凤区' });
  await plant.customer(p.prod, CUSTOMERS.c002);

  const tanker = await plant.receiveTanker(p.prod, {
    farms: ['贺兰山第一牧场'],
    vehicle: '宁A·30417',
    compartments: [{ no: 1, seal: 'QF-20411', sealIntact: true }],
    temperature: '4.1',
  });
  await plant.decide(p.qa, tanker, 'accept', 'intake passed');

  const batch = async (qty: string, consumed: string) => {
    const { code } = await plant.makeLot(p.prod, {
      line: 'Line 1',
      itemCode: 'WMP',
      inputs: [{ lot: tanker, quantity: consumed }],
      quantity: qty,
      location: 'WH-A',
    });
    await plant.decide(p.qa, code, 'release', 'released');
    return code;
  };
  const shippedLot = await batch('3200', '20000');
  const stockLot = await batch('800', '5000');
  await plant.ship(p.prod, {
    code: 'SH-0801',
    customer: 'C001',
    date: today(),
    lines: [{ lot: shippedLot, quantity: '800' }],
  });
  await plant.ship(p.prod, {
    code: 'SH-0802',
    customer: 'C002',
    date: today(),
    lines: [{ lot: shippedLot, quantity: '1000' }],
  });
  const year = new Date().getFullYear();
  await p.qa.call('drills.plan.save', { year, productGroup: 'raw_milk', direction: 'both', dueOn: `${year}-01-01` });
  return { p, rawMilk: tanker, shippedLot, stockLot };
}
