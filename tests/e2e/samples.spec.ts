import type { Page } from '@playwright/test';
import { expect, shot, test } from './fixtures';
import * as plant from '../fixtures/plant';
import { E2E_PEOPLE } from '../fixtures/plant';
import { ContractClient } from './contract-client';
import { openApp, seedPeople } from './helpers';
import { CatalogEntryPage } from './pages/catalog-entry-page';
import { LotsPage } from './pages/lots-page';
import { SamplesPage } from './pages/samples-page';
import { ShellPage } from './pages/shell-page';
import { SignInPage } from './pages/sign-in-page';
import { SitesPage } from './pages/sites-page';

const { qa: QA, tech: TECH, prod: PROD } = E2E_PEOPLE;

test.describe.configure({ timeout: 360_000 });

async function signInAs(page: Page, u: { userId: string; newPassword: string; printedName: string }): Promise<void> {
  const shell = new ShellPage(page);
  if (await page.getByTestId('signout-button').isVisible()) await shell.signOut();
  await new SignInPage(page).signInToApp(u.userId, u.newPassword);
  await shell.expectSignedInAs(u.printedName);
}

/**
 * Production's part, through the contract as at its own workstation (on screen it is
 * lots.spec.ts's journey): WPC80 received and accepted, a batch of the finished lot made
 * from it. Returns the ingredient lot's code.
 */
async function seedFinishedLot(url: string, finished: string): Promise<string> {
  const host = ContractClient.host(url);
  const qa = await plant.signInAgain(host, QA);
  const prod = await plant.signInAgain(host, PROD);
  const ingredient = await plant.acceptedIngredient(
    prod,
    qa,
    { supplierLot: 'SW-24-0917', quantity: '1000', containers: 40 },
    'COA checked against spec.',
  );
  await plant.makeLot(prod, {
    itemCode: 'IF-1',
    line: 'L1',
    code: finished,
    inputs: [{ lot: ingredient, quantity: '300' }],
    quantity: '3200',
  });
  qa.close();
  prod.close();
  return ingredient;
}

test('register a release sample with its retention sample, print its label, scan it, swab a zone 1 site', async ({
  page,
  harness,
}) => {
  // The accounts exist (made on screen in identity.spec.ts).
  await seedPeople(harness.url, [QA, TECH, PROD]);
  await openApp(page, harness.url);

  // The catalogue, on screen: this journey is the one that makes materials, suppliers and
  // customers through the catalogue form.
  await signInAs(page, QA);
  const catalog = new CatalogEntryPage(page);
  await catalog.createMaterial({ code: 'WPC80', nameZh: '浓缩乳清蛋白80', nameEn: 'Whey protein concentrate 80' });
  await catalog.createProduct({ code: 'IF-1', nameZh: '婴儿配方乳粉 1段', nameEn: 'Infant formula stage 1' });
  await catalog.createApprovedSupplier({ code: 'SUP-W', name: 'Whey Co. 乳清公司' });
  await catalog.createCustomer({ code: 'C001', name: '华东母婴连锁', contact: '陈丽', phone: '021-5555-0101' });

  // A finished lot made from an accepted ingredient; it is flagged: no retention sample yet.
  const finished = 'IF1-E2E-0001';
  await seedFinishedLot(harness.url, finished);
  const lots = new LotsPage(page);
  await lots.openLot(finished);
  await expect(page.getByTestId('lot-no-retention')).toBeVisible();

  // Technician at the reception desk: a finished-lot release sample.
  await signInAs(page, TECH);
  await expect(page.getByTestId('card-samples-unreceived')).toBeVisible();
  await expect(page.getByTestId('card-swabs-due')).toBeVisible();
  const samples = new SamplesPage(page);
  await samples.openReception();
  await samples.chooseKind('finished_release');

  // An unknown lot is refused next to the field, and nothing is saved.
  await samples.fill({
    target: 'NO-SUCH-LOT',
    samplingPoint: 'Filler L1, start / middle / end',
    container: 'Sealed can 800 g',
    storage: 'Fridge F2',
  });
  await samples.submit();
  await expect(samples.form().getByText('Lot NO-SUCH-LOT was not found')).toBeVisible();
  // The lot has no expiry date: the keep-until date of its retention sample is asked for.
  await samples.fill({ target: finished });
  await samples.submit();
  await expect(samples.form().getByText(`Lot ${finished} has no expiry date`)).toBeVisible();
  await samples.fill({ keepUntil: '2029-06-30', retentionLocation: 'Retention room R1' });
  await expect(page.getByTestId('reception-error')).toHaveCount(0);
  await page.getByTestId('samples-tabs').scrollIntoViewIfNeeded();
  await shot(page, 'samples-reception', 'en');
  const shell = new ShellPage(page);
  await shell.setLanguage('zh-CN');
  await expect(page.getByTestId('reception-submit')).toHaveText('登记样品');
  await shot(page, 'samples-reception', 'zh-CN');
  await shell.setLanguage('en');

  const code = await samples.register();
  expect(code).toMatch(/^S\d{6}-\d{4}$/);
  const retention = (await page.getByTestId('reception-retention-code').innerText()).trim();
  expect(retention).toMatch(/^R\d{6}-\d{4}$/);
  await expect(page.getByTestId('reception-keep-until-result')).toContainText('2029-06-30');

  // Print its label: the server returns the recorded PDF; the page shows its file name and SHA-256.
  const label = await samples.printLabel(page.getByTestId('label-print'), '60x40');
  expect(label.sha256).toMatch(/^[0-9a-f]{64}$/);
  expect(label.fileName).toMatch(/\.pdf$/);
  expect(label.fileName).toContain(code);
  await expect(page.getByTestId('label-print').getByTestId('label-kind')).toHaveText('Label printed');
  await expect(page.getByTestId('label-print').getByTestId('label-download')).toHaveAttribute('href', /^blob:/);
  await shot(page, 'samples-label', 'en');

  // Open it by scanning its label anywhere (focus on the page, not in a field).
  await page.getByTestId('reception-next').click();
  // "Next sample" puts the cursor back in the lot field (a scan there would fill it); scan with focus on the page.
  await expect(samples.form().getByTestId('reception-target')).toBeFocused();
  await samples.scan(code);
  await expect(page.getByTestId('sample-page')).toHaveAttribute('data-sample', code);
  await expect(page.getByTestId('sample-status')).toHaveAttribute('data-status', 'registered');
  await expect(page.getByTestId('sample-event-label_printed')).toBeVisible();
  await expect(page.getByTestId('sample-documents')).toContainText(label.fileName);
  await expect(page.getByTestId('sample-tests')).toContainText('No tests planned for this sample.');
  await expect(page.getByTestId('sample-enter-results')).toHaveAttribute('href', `#/testing/sample/${code}`);
  await shot(page, 'samples-sample-page', 'en');

  // QA manager: a zone 1 site with a schedule due today.
  await signInAs(page, QA);
  await expect(page.getByTestId('card-retention-missing')).toContainText('Every finished lot has its retention sample');
  const sites = new SitesPage(page);
  await sites.open();
  await sites.create({
    code: 'ES-L1-FIL-01',
    zone: 1,
    nameZh: '灌装机料斗内壁',
    nameEn: 'Filler hopper inner wall',
    line: 'L1',
    room: 'Filling room',
  });
  await sites.schedule('ES-L1-FIL-01', '7', ['cronobacter', 'salmonella']);
  await expect(page.getByTestId('swab-due-ES-L1-FIL-01')).toBeVisible();

  // Technician: the swab is due; register it from there (prefilled).
  await signInAs(page, TECH);
  await sites.open();
  await page.getByTestId('swab-register-ES-L1-FIL-01').click();
  await expect(samples.form().getByTestId('reception-target')).toHaveValue('ES-L1-FIL-01');
  await samples.fill({ samplingPoint: 'Hopper inner wall, 10×10 cm', container: 'Swab tube with neutraliser' });
  const swab = await samples.register();
  expect(swab).toMatch(/^ES\d{6}-\d{4}$/);
  await expect(page.getByTestId('reception-result-site')).toContainText('ES-L1-FIL-01');
  await expect(page.getByTestId('reception-result-targets')).toContainText('cronobacter, salmonella');
  await shot(page, 'samples-swab', 'en');
  await sites.open();
  await expect(page.getByTestId('swabs-due-none')).toBeVisible();

  // The sample list (virtualised): filter by kind, keep the filter as a saved view.
  await page.getByTestId('samples-tab-list').click();
  await expect(page.getByTestId(`sample-row-${code}`)).toBeVisible();
  await expect(page.getByTestId(`sample-row-${swab}`)).toBeVisible();
  await page.getByTestId('samples-filter-q').fill('ES');
  await page.getByTestId('samples-filter-apply').click();
  await expect(page.getByTestId(`sample-row-${code}`)).toHaveCount(0);
  await expect(page.getByTestId(`sample-row-${swab}`)).toBeVisible();
  await page.getByTestId('saved-view-name').fill('Swabs');
  await page.getByTestId('saved-view-save').click();
  await expect(page.getByTestId('saved-view-Swabs')).toBeChecked();

  // The retention store holds the retention sample.
  await samples.openRetention();
  await expect(page.getByTestId('retention-store-table').getByTestId(`retention-row-${retention}`)).toContainText(
    finished,
  );
  await expect(page.getByTestId('retention-missing-none')).toBeVisible();
  await shot(page, 'samples-retention', 'en');
  await shell.setLanguage('zh-CN');
  await expect(page.getByTestId('retention-page')).toContainText('留样室');
  await shot(page, 'samples-retention', 'zh-CN');
});
