import { people, QA, type People } from './intake-seed';

export interface DrillSeed {
  p: People;
  /** The raw milk tanker (25 000 kg) the drill starts from. */
  rawMilk: string;
  /** Whole milk powder made from it, shipped to C001 and C002. */
  shippedLot: string;
  /** Whole milk powder made from it, still in the warehouse. */
  stockLot: string;
}

const sign = (meaning: 'accepted' | 'released') => ({ password: QA.newPassword, meaning });

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
  await p.qa.call('catalog.materials.save', {
    fields: { code: 'RAWMILK', name_zh: '生牛乳', name_en: 'Raw cow milk', kind: 'raw_milk', default_unit: 'kg' },
  });
  await p.qa.call('catalog.suppliers.save', {
    fields: {
      code: 'FARM-1',
      name: '贺兰山牧业 Helanshan Dairy Farm',
      kind: 'farm',
      approval_status: 'approved',
      approved_on: null,
      last_audit_on: null,
      next_audit_due: null,
      contact: null,
      phone: null,
    },
  });
  await p.qa.call('catalog.products.save', {
    fields: {
      code: 'WMP',
      name_zh: '全脂乳粉',
      name_en: 'Whole milk powder',
      stage: 'other_dairy',
      protein_base: 'cow',
      registration_no: null,
      shelf_life_days: 540,
      pack_sizes: [],
    },
  });
  await p.prod.call('catalog.customers.save', {
    fields: { code: 'C001', name: '银川母婴连锁', contact: '王经理', phone: '0951-1234567', address: '银川市金凤区' },
  } as never);
  await p.prod.call('catalog.customers.save', {
    fields: { code: 'C002', name: '石嘴山惠民超市', contact: null, phone: null, address: null },
  } as never);

  const tanker = await p.prod.call('lots.receiveTanker', {
    supplierCode: 'FARM-1',
    farms: ['贺兰山第一牧场'],
    vehicle: '宁A·30417',
    compartments: [{ no: 1, seal: 'QF-20411', sealIntact: true }],
    quantity: '25000',
    unit: 'kg',
    temperature: '4.1',
  });
  await p.qa.call('lots.decide', {
    code: tanker.code,
    decision: 'accept',
    reason: 'intake passed',
    signature: sign('accepted'),
  });

  const batch = async (qty: string, consumed: string) => {
    const b = await p.prod.call('batches.start', {
      line: 'Line 1',
      outputKind: 'finished',
      itemCode: 'WMP',
      unit: 'kg',
    });
    await p.prod.call('batches.consume', { batchId: b.id, inputLot: tanker.code, quantity: consumed, unit: 'kg' });
    await p.prod.call('batches.finish', { batchId: b.id, quantity: qty, location: 'WH-A' });
    await p.qa.call('lots.decide', {
      code: b.output.code,
      decision: 'release',
      reason: 'released',
      signature: sign('released'),
    });
    return b.output.code;
  };
  const shippedLot = await batch('3200', '20000');
  const stockLot = await batch('800', '5000');
  await p.prod.call('shipments.create', {
    shipmentCode: 'SH-0801',
    customerCode: 'C001',
    date: today(),
    lines: [{ lotCode: shippedLot, quantity: '800', unit: 'kg' }],
  });
  await p.prod.call('shipments.create', {
    shipmentCode: 'SH-0802',
    customerCode: 'C002',
    date: today(),
    lines: [{ lotCode: shippedLot, quantity: '1000', unit: 'kg' }],
  });
  const year = new Date().getFullYear();
  await p.qa.call('drills.plan.save', { year, productGroup: 'raw_milk', direction: 'both', dueOn: `${year}-01-01` });
  return { p, rawMilk: tanker.code, shippedLot, stockLot };
}
