/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
import type { Locator } from '@playwright/test';
import { ContractClient } from './contract-client';
import { expect, shot, test } from './fixtures';
import { ADMIN, openApp } from './helpers';
import { SignInPage } from './pages/sign-in-page';
import { TestingPage } from './pages/testing-page';
import * as plant from '../fixtures/plant';
import { E2E_PEOPLE, IF1_RELEASE_SPEC, MATERIALS, PRODUCTS, SUPPLIERS } from '../fixtures/plant';

/*
 * The entry grid for gloves and scanners (issue 22 §7), in Chinese: a scan puts the cursor in
 * the first empty cell; 未保存 marks only the rows with unsaved values; the 结果 header and the
 * verdict chips stay on one line; a value that rounds to zero is reported below the step; every
 * value and limit carries its basis; what was typed as 未检出 shows as 未检出 again.
 */

const TECH = E2E_PEOPLE.tech;

async function seed(url: string): Promise<string> {
  const host = ContractClient.host(url, 'zh-CN');
  const admin = await plant.firstRun(host, ADMIN);
  await plant.enrol(admin, [E2E_PEOPLE.qa, TECH, E2E_PEOPLE.prod]);
  admin.close();
  const qa = await plant.signIn(host, E2E_PEOPLE.qa);
  const tech = await plant.signIn(host, TECH);
  const prod = await plant.signIn(host, E2E_PEOPLE.prod);
  const productId = await plant.product(qa, PRODUCTS.if1);
  await plant.material(qa, MATERIALS.wpc80);
  await plant.supplier(qa, SUPPLIERS.whey);
  await plant.approveSpec(qa, { subjectId: productId, code: 'SPEC-IF1', doc: IF1_RELEASE_SPEC });
  const wpc = await plant.acceptedIngredient(
    prod,
    qa,
    { supplierLot: 'SW-26-1201', quantity: '500', containers: 20 },
    '核对合格。',
  );
  const { code: lot } = await plant.makeLot(prod, {
    line: 'L1',
    itemCode: 'IF-1',
    code: 'IF1-2612-901',
    inputs: [{ lot: wpc, quantity: '100' }],
    quantity: '1000',
  });
  const sample = (await plant.releaseSample(tech, lot, { samplingPoint: '灌装线 L1', container: '密封罐 800 g' })).code;
  // The micro cultures were started when the sample came in (D-111).
  await plant.startIncubation(tech, sample);
  for (const c of [qa, tech, prod]) c.close();
  return sample;
}

/** True when the element's text is laid out on one line and not cut (no ellipsis, no one-character columns). */
async function oneLine(el: Locator): Promise<boolean> {
  return el.evaluate((node) => {
    // The lines the words are laid out on: the tops of their text's boxes.
    const lines = new Set<number>();
    const walker = document.createTreeWalker(node, NodeFilter.SHOW_TEXT);
    for (let t = walker.nextNode(); t; t = walker.nextNode()) {
      const range = document.createRange();
      range.selectNodeContents(t);
      for (const r of range.getClientRects()) if (r.width > 0) lines.add(Math.round(r.top));
    }
    // Cut: a box narrower than its content (inline boxes have no client width of their own).
    const cut = [node, ...node.querySelectorAll('*')].some((n) => {
      const e = n as HTMLElement;
      return e.clientWidth > 0 && e.scrollWidth > e.clientWidth + 1;
    });
    return lines.size === 1 && !cut;
  });
}

test('the entry grid for gloves and scanners', async ({ page, harness }) => {
  test.setTimeout(240_000);
  const sample = await seed(harness.url);
  await openApp(page, harness.url, 'zh-CN');
  await new SignInPage(page).signInToApp(TECH.userId, TECH.newPassword);
  const testing = new TestingPage(page);

  // A scan opens the grid with the cursor in the first empty cell, not on <body>.
  await testing.openSample(sample);
  await expect(page.getByTestId('entry-grid')).toBeVisible();
  await expect(page.locator(':focus')).toHaveAttribute('data-testid', 'entry-input-protein-0');

  // Typing into one row marks that row unsaved, and no other.
  await page.keyboard.type('11.8');
  await expect(page.getByTestId('not-saved-protein')).toBeVisible();
  await expect(page.locator('[data-testid^="not-saved-"]')).toHaveCount(1);
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('status-protein')).toHaveAttribute('data-status', 'entered');
  await expect(page.locator('[data-testid^="not-saved-"]')).toHaveCount(0);

  // Lead 0.001 mg/kg at two decimals: below what the report can state, not "0.00".
  await testing.enterValues('pb', ['0.001']);
  await expect(page.getByTestId('reported-pb')).toContainText('<0.01');
  await expect(page.getByTestId('verdict-pb')).toHaveAttribute('data-verdict', 'pass');

  // Salmonella typed in the lab's words, shown again in them after the save (never "absent").
  await testing.enterValues('salmonella', ['未检出', '阴性', '未检出', '未检出', '未检出']);
  await expect(page.getByTestId('status-salmonella')).toHaveAttribute('data-status', 'entered');
  // Opened afresh (a reload signs out in the harness): the values come from the server's record.
  await testing.openWorklist();
  await testing.openSample(sample);
  await expect(page.getByTestId('entry-input-salmonella-1')).toHaveValue('未检出');
  await expect(page.getByTestId('entry-unit-salmonella')).toHaveText('/25 g');

  // Every value and limit with its basis.
  await expect(page.getByTestId('entry-unit-protein')).toHaveText('g/100 g');
  await expect(page.getByTestId('limit-protein')).toContainText('g/100 g');
  await expect(page.getByTestId('reported-protein')).toContainText('g/100 g');

  // The 结果 header and the chips on one line, whole.
  expect(await oneLine(page.getByTestId('entry-header-result'))).toBe(true);
  for (const item of ['protein', 'pb', 'fat'])
    expect(await oneLine(page.getByTestId(`verdict-${item}`)), item).toBe(true);
  await shot(page, 'entry-grid-gloves', 'zh-CN');
});
