import type { Page } from '@playwright/test';
import { expect, shot, test } from './fixtures';
import { openApp } from './helpers';
import { people, PROD, QA } from './intake-seed';
import { seedDrills } from './drills-seed';
import { DrillsPage } from './pages/drills-page';
import { ImportPage } from './pages/import-page';
import { ProductionPage } from './pages/production-page';
import { ShellPage } from './pages/shell-page';
import { SignInPage } from './pages/sign-in-page';
import { pick } from './pages/lots-page';

/*
 * Issue 19 journeys: a recall started from a partly shipped lot holds what is left of it and
 * the shipment screen refuses it; an ERP import that tries to release a lot shows the located
 * error ("decided in LotSeal by QA") in the preview. What came before is seeded through the
 * contract.
 */
test.describe.configure({ timeout: 200_000, mode: 'parallel' });

async function both(page: Page, name: string, zhCheck: () => Promise<void>): Promise<void> {
  const shell = new ShellPage(page);
  await page.evaluate('window.scrollTo(0, 0)');
  await page.mouse.move(0, 0);
  await shot(page, name, 'en');
  await shell.setLanguage('zh-CN');
  await zhCheck();
  await shot(page, name, 'zh-CN');
  await shell.setLanguage('en');
}

function today(): string {
  const d = new Date();
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`;
}

test('a recall started from a partly shipped lot holds its remaining stock and refuses a shipment', async ({
  page,
  harness,
}) => {
  const seed = await seedDrills(harness.url);
  seed.p.close();
  await openApp(page, harness.url, 'en');
  await new SignInPage(page).signInToApp(QA.userId, QA.newPassword);
  const drills = new DrillsPage(page);

  // From the trace of the partly shipped powder (3 200 kg made, 1 800 kg shipped to two customers).
  await page.getByTestId('nav-trace').click();
  await page.getByTestId('trace-input').fill(seed.shippedLot);
  await page.getByTestId('trace-input').press('Enter');
  await page.getByTestId('trace-start-drill').click();
  const code = await drills.startRecall('Customer complaint: foreign matter / 客户投诉：异物');
  await drills.runStep('affected_lots');
  // Its 1 400 kg still in the warehouse are held, shipped before or not.
  await expect(page.getByTestId('recall-holdable')).toContainText(seed.shippedLot);
  await expect(page.getByTestId('recall-holdable')).toContainText('1400');
  await drills.holdAll('Recall: foreign matter', QA.newPassword);
  await expect(page.getByTestId('recall-hold-none')).toContainText(`Affected lots on hold (1): ${seed.shippedLot}`);
  // What is at each customer: shipped, returned, still out.
  await expect(drills.recallCustomer('C001').getByTestId(`recall-line-SH-0801-${seed.shippedLot}`)).toHaveAttribute(
    'data-outstanding',
    '800',
  );
  await expect(drills.recallCustomer('C002').getByTestId(`recall-line-SH-0802-${seed.shippedLot}`)).toHaveAttribute(
    'data-outstanding',
    '1000',
  );
  await drills.recordReturn('C001', '300');
  await expect(drills.recallCustomer('C001').getByTestId(`recall-line-SH-0801-${seed.shippedLot}`)).toHaveAttribute(
    'data-outstanding',
    '500',
  );
  await both(page, 'controls-recall-partly-shipped', () =>
    expect(page.getByTestId('recall-customer-lines').first()).toContainText('尚在客户处'),
  );

  // The lot page says why nothing of it moves.
  await page.goto(`${harness.url.split('#')[0]}#/lots/${encodeURIComponent(seed.shippedLot)}`);
  await expect(page.getByTestId('lot-recalled')).toBeVisible();
  await expect(page.getByTestId('lot-held')).toBeVisible();
  await expect(page.getByTestId('lot-stop-recall')).toContainText(code);
  await both(page, 'controls-lot-under-recall', () => expect(page.getByTestId('lot-recalled')).toHaveText('召回中'));

  // Production tries to ship what is left: refused, with the reason.
  await new ShellPage(page).signOut();
  await new SignInPage(page).signInToApp(PROD.userId, PROD.newPassword);
  const prod = new ProductionPage(page);
  await prod.openShipment();
  const f = page.getByTestId('shipment-form');
  await f.getByTestId('shipment-code').fill('SH-0901');
  await pick(page, f.getByTestId('shipment-customer'), 'C001');
  await f.getByTestId('shipment-line-lot-0').fill(seed.shippedLot);
  await f.getByTestId('shipment-line-qty-0').fill('100');
  await f.getByTestId('shipment-submit').click();
  await expect(page.getByTestId('shipment-error')).toContainText('open recall');
  await expect(page.getByTestId('shipment-error')).toContainText(code);
  await both(page, 'controls-shipment-refused', () => expect(page.getByTestId('shipment-error')).toContainText('召回'));
});

test('an ERP import that tries to release a lot shows the located error in the preview', async ({ page, harness }) => {
  const p = await people(harness.url);
  await p.qa.call('catalog.materials.save', {
    fields: {
      code: 'WPC80',
      nameZh: '浓缩乳清蛋白',
      nameEn: 'Whey protein concentrate 80',
      kind: 'ingredient',
      defaultUnit: 'kg',
    },
  });
  await p.qa.call('catalog.suppliers.save', {
    fields: {
      code: 'SUP-W',
      name: 'Whey Co. 乳清公司',
      kind: 'ingredient',
      approvalStatus: 'approved',
      approvedOn: null,
      lastAuditOn: null,
      nextAuditDue: null,
      contact: null,
      phone: null,
    },
  });
  await p.qa.call('catalog.products.save', {
    fields: {
      code: 'WMP',
      nameZh: '全脂乳粉',
      nameEn: 'Whole milk powder',
      stage: 'other_dairy',
      proteinBase: 'cow',
      registrationNo: null,
      shelfLifeDays: 540,
      packSizes: [],
    },
  });
  const ig = await p.prod.call('lots.receive', {
    kind: 'ingredient',
    materialCode: 'WPC80',
    supplierCode: 'SUP-W',
    supplierLot: 'W-1',
    quantity: '1000',
    unit: 'kg',
    containers: 10,
    condition: 'intact',
  });
  await p.qa.call('lots.decide', {
    code: ig.code,
    decision: 'accept',
    reason: 'inspection passed',
    signature: { password: QA.newPassword, meaning: 'accepted' },
  });
  const b = await p.prod.call('batches.start', { line: 'Line 1', outputKind: 'finished', itemCode: 'WMP', unit: 'kg' });
  await p.prod.call('batches.consume', { batchId: b.id, inputLot: ig.code, quantity: '100', unit: 'kg' });
  await p.prod.call('batches.finish', { batchId: b.id, quantity: '800' });
  const lot = b.output.code; // on hold, awaiting QA's release
  p.close();

  await openApp(page, harness.url, 'en');
  await new SignInPage(page).signInToApp(PROD.userId, PROD.newPassword);
  const imp = new ImportPage(page);
  await imp.open();
  await expect(page.getByTestId('import-rules')).toContainText(`Go-live date: ${today()}`);
  await imp.choose(
    'lots',
    [
      'lot_code,kind,item_code,item_name,quantity,unit,date,status',
      `${lot},finished,WMP,Whole milk powder,800,kg,${today()},released`,
    ].join('\n') + '\n',
  );
  await page.getByTestId('import-reason').fill('ERP status sync');
  await imp.validate();
  const preview = page.getByTestId('import-preview');
  await expect(preview).toHaveAttribute('data-ok', 'false');
  const row = page.getByTestId('import-error-row').first();
  await expect(row).toHaveAttribute('data-file', 'lots.csv');
  await expect(row).toHaveAttribute('data-row', '1');
  await expect(row).toContainText('status');
  await expect(row).toContainText('Decided in LotSeal by QA');
  await expect(page.getByTestId('import-run')).toBeDisabled();
  await page.getByTestId('import-errors').scrollIntoViewIfNeeded();
  await shot(page, 'controls-import-release-refused', 'en');
  await new ShellPage(page).setLanguage('zh-CN');
  await expect(row).toContainText('由质量部在 LotSeal 中决定');
  await page.getByTestId('import-errors').scrollIntoViewIfNeeded();
  await shot(page, 'controls-import-release-refused', 'zh-CN');
});
