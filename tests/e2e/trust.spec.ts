import type { Page } from '@playwright/test';
import * as plant from '../fixtures/plant';
import { E2E_PEOPLE, MATERIALS, PRODUCTS, SUPPLIERS } from '../fixtures/plant';
import { ContractClient } from './contract-client';
import { expect, shot, test } from './fixtures';
import { ADMIN, dismissNotifications, openApp } from './helpers';
import { AuditPage } from './pages/audit-page';
import { LotsPage } from './pages/lots-page';
import { ShellPage } from './pages/shell-page';
import { SignInPage } from './pages/sign-in-page';

const QA = E2E_PEOPLE.qa;
const PROD = E2E_PEOPLE.prod;

test.describe.configure({ timeout: 300_000 });

/**
 * Waits until the language switch's sliding indicator rests on `lang` (it moves with a CSS
 * transition after <html lang> changes; a shot taken meanwhile shows the other language chosen).
 */
async function languageSwitchAt(page: Page, lang: 'en' | 'zh-CN'): Promise<void> {
  const sw = page.getByTestId('lang-switch');
  const indicator = sw.locator('.mantine-SegmentedControl-indicator');
  const label = sw.getByText(lang === 'en' ? 'English' : '中文', { exact: true });
  await expect
    .poll(async () => {
      const [a, b] = await Promise.all([indicator.boundingBox(), label.boundingBox()]);
      if (!a || !b) return false;
      const cx = b.x + b.width / 2;
      const resting = await indicator.evaluate((el) => el.getAnimations().length === 0);
      return resting && a.x <= cx && cx <= a.x + a.width;
    })
    .toBe(true);
}

/** The same view in both languages: English, then Chinese (checked by `zhCheck`), back to English. */
async function shotBoth(page: Page, name: string, zhCheck: () => Promise<void>): Promise<void> {
  const shell = new ShellPage(page);
  await dismissNotifications(page);
  await page.mouse.move(0, 0);
  await languageSwitchAt(page, 'en');
  await shot(page, name, 'en');
  await shell.setLanguage('zh-CN');
  await zhCheck();
  await languageSwitchAt(page, 'zh-CN');
  await shot(page, name, 'zh-CN');
  await shell.setLanguage('en');
}

/**
 * Issue 18: a QA manager signs a release with her personal key; the audit screen shows the
 * signature verified with her key's fingerprint; a printed ledger head is checked on the
 * verification screen; the administrator sees this workstation and the keys on record.
 * The accounts, catalogue and lot are made through the contract first, as people would have
 * done on their own workstations.
 */
test('a QA manager signs a release; the audit screen shows it verified with her key fingerprint', async ({
  page,
  harness,
}) => {
  const host = ContractClient.host(harness.url);
  const admin = await plant.firstRun(host, ADMIN);
  await plant.enrol(admin, [QA, PROD]);
  const qa = await plant.signIn(host, QA);
  const prod = await plant.signIn(host, PROD);
  await plant.material(qa, MATERIALS.wpc80);
  await plant.product(qa, PRODUCTS.wmp);
  await plant.supplier(qa, SUPPLIERS.whey);
  const wpc = await plant.acceptedIngredient(
    prod,
    qa,
    { supplierLot: 'SW-24-0917', containers: 40, temperature: '18', expiryDate: '2099-12-31' },
    'COA checked',
  );
  const fg = (
    await plant.makeLot(prod, {
      itemCode: PRODUCTS.wmp.code,
      line: 'Line 2',
      inputs: [{ lot: wpc, quantity: '300' }],
      quantity: '3200',
      location: 'WH-A-01',
    })
  ).code;
  const qaKey = (await admin.call('users.list', {})).find((u) => u.userId === QA.userId)!.keyFingerprint!;
  expect(qaKey).toMatch(/^[0-9a-f]{64}$/);

  // The QA manager releases the lot in the browser, re-entering her password.
  await openApp(page, harness.url);
  await new SignInPage(page).signInToApp(QA.userId, QA.newPassword);
  const shell = new ShellPage(page);
  await shell.expectSignedInAs(QA.printedName);
  const lots = new LotsPage(page);
  await lots.openLot(fg);
  const dialog = await lots.openDecision('release');
  await expect(dialog.getByTestId('signature-meaning')).toHaveText('Released');
  await lots.sign(dialog, 'All results reviewed; batch record complete.', QA.newPassword);
  await expect(lots.status()).toHaveText('Released');
  const signatureRow = page.getByTestId('lot-signature').filter({ hasText: 'Released' });
  await expect(signatureRow).toContainText(QA.printedName);
  await expect(signatureRow).toContainText('All results reviewed; batch record complete.');
  await shotBoth(page, 'trust-release-signed', async () => {
    await expect(lots.status()).toHaveText('已放行');
    await expect(page.getByTestId('lot-signature').filter({ hasText: '放行' })).toContainText(QA.printedName);
  });

  // The audit screen: the release's signature entry (hers, meaning `released`), verified with her key.
  const hers = await qa.call('audit.query', {
    filter: { entity: 'signature', actorId: QA.userId },
    offset: 0,
    limit: 50,
  });
  const releaseSig = [];
  for (const e of hers.entries) {
    const d = await qa.call('audit.entry', { seq: e.seq });
    if (d.after['meaning'] === 'released') releaseSig.push(e);
  }
  expect(releaseSig).toHaveLength(1);
  const sig = releaseSig[0]!;
  const audit = new AuditPage(page);
  const openSignatureEntry = async (): Promise<void> => {
    await audit.filterRecord('signature', sig.entityId);
    // A signature is created once and never changed: its history is one entry.
    await expect(audit.rows()).toHaveCount(1);
    await expect(audit.rows().first()).toContainText(String(sig.seq));
    await audit.openEntry(/./);
    await expect(page.getByTestId('audit-detail-panel')).toContainText(`#${sig.seq}`);
    await expect(audit.detail().getByTestId('audit-detail-record')).toContainText(sig.entityId);
  };
  await audit.open();
  await openSignatureEntry();
  const detail = audit.detail();
  await expect(detail.getByTestId('audit-change-meaning')).toContainText('released');
  await expect(detail.getByTestId('audit-signature-state')).toHaveAttribute('data-state', 'verified');
  await expect(detail.getByTestId('audit-signature-state')).toHaveText('Personal signature verified');
  await expect(detail.getByTestId('audit-signature-fingerprint')).toHaveText(qaKey);
  await shotBoth(page, 'trust-audit-signature-verified', async () => {
    await expect(audit.detail().getByTestId('audit-signature-state')).toHaveText('个人签名已验证');
    await expect(audit.detail().getByTestId('audit-signature-fingerprint')).toHaveText(qaKey);
  });

  // A printed head (a COA's QR text) checked on the verification screen, and a forged one.
  const head = await qa.call('ledger.status', {});
  await audit.openTab('verification');
  await page.getByTestId('witness-input').fill(`LOTSEAL|COA|${fg}|${head.headSeq}|${head.headHash}`);
  await page.getByTestId('witness-check').click();
  await expect(page.getByTestId('witness-result')).toHaveAttribute('data-holds', 'yes');
  await expect(page.getByTestId('witness-result')).toContainText(
    `The audit trail holds this head at #${head.headSeq}.`,
  );
  await shotBoth(page, 'trust-witness-holds', async () => {
    await expect(page.getByTestId('witness-result')).toContainText(`审计追踪在第 #${head.headSeq} 条包含此末条。`);
  });
  await page.getByTestId('witness-input').fill(`LOTSEAL|COA|${fg}|${head.headSeq}|${'0'.repeat(64)}`);
  await page.getByTestId('witness-check').click();
  await expect(page.getByTestId('witness-result')).toHaveAttribute('data-holds', 'no');
  await expect(page.getByTestId('witness-result')).toContainText(`entry #${head.headSeq} has another hash`);

  // The administrator: this workstation, enrolled; every key on record with its fingerprint.
  await shell.signOut();
  await new SignInPage(page).signInToApp(ADMIN.userId, ADMIN.password);
  await page.getByTestId('nav-admin').click();
  await page.getByTestId('admin-tab-workstation').click();
  await expect(page.getByTestId('workstation-enrolled')).toHaveText('Enrolled');
  const qaKeyRow = page.getByTestId(`personal-key-${qaKey.slice(0, 16)}`);
  await expect(qaKeyRow).toContainText(QA.userId);
  // Shown as its first 16 hex digits in groups of four, the whole fingerprint on hover.
  await expect(qaKeyRow.getByTitle(qaKey)).toHaveText(qaKey.slice(0, 16).replace(/(.{4})(?!$)/g, '$1 '));
  await shotBoth(page, 'trust-workstation', async () => {
    await expect(page.getByTestId('workstation-enrolled')).toHaveText('已登记');
    await expect(qaKeyRow).toContainText('由系统管理员登记');
  });
  admin.close();
  qa.close();
  prod.close();
});
