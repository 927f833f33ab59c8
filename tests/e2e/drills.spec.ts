import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { expect, PDF_TAB, shot, test } from './fixtures';
import { openApp } from './helpers';
import { QA } from './intake-seed';
import { seedDrills } from './drills-seed';
import { DRILL_STEPS, DrillsPage } from './pages/drills-page';
import { ShellPage } from './pages/shell-page';
import { SignInPage } from './pages/sign-in-page';

/*
 * Issue 12 journey: a QA manager runs a recall drill from a raw milk lot to the customers —
 * types the lot, runs the five steps against the clock, explains the finding (a customer
 * without contact details), completes with a signature and opens the evidence pack. What
 * came before (accounts, catalogue, tanker, batches, shipments) is seeded through the contract.
 */

// Two journeys, each with its own harness: they may run side by side.
test.describe.configure({ timeout: 150_000, mode: 'parallel' });

const screenshots = path.join(__dirname, '../../test-results/screenshots');

/** The same view in both languages: English, then Chinese, back to English. */
async function shotBoth(page: Page, name: string, zhCheck: () => Promise<void>): Promise<void> {
  const shell = new ShellPage(page);
  await page.evaluate('window.scrollTo(0, 0)');
  await page.mouse.move(0, 0);
  await shot(page, name, 'en');
  await shell.setLanguage('zh-CN');
  await zhCheck();
  await shot(page, name, 'zh-CN');
  await shell.setLanguage('en');
}

/** The first page of a PDF as a PNG beside the screenshots (poppler's pdftoppm), for people to look at. */
function pdfPage1(pdf: string, name: string): void {
  execFileSync('pdftoppm', [
    '-png',
    '-r',
    '110',
    '-f',
    '1',
    '-l',
    '1',
    '-singlefile',
    pdf,
    path.join(screenshots, name),
  ]);
}

test(
  'a QA manager runs a recall drill from a raw milk lot, completes it with a signature and opens the evidence pack',
  PDF_TAB,
  async ({ page, harness }) => {
    const seed = await seedDrills(harness.url);
    seed.p.close();
    await openApp(page, harness.url, 'en');
    await new SignInPage(page).signInToApp(QA.userId, QA.newPassword);
    const drills = new DrillsPage(page);

    // Home: this year's programme has a raw milk drill due on 1 January, not done.
    const due = page.getByTestId('card-drills-due');
    await expect(due).toContainText('Raw milk');
    if (new Date().getMonth() > 0 || new Date().getDate() > 1) await expect(due).toHaveAttribute('data-overdue', '1');

    // Start: the raw milk lot typed in, both directions, the default 4 h target.
    await drills.open();
    const code = await drills.startFromTypedLot(seed.rawMilk);
    expect(code).toMatch(/^DRL-\d{4}-\d{4}$/);
    await expect(page.getByTestId('mode-badge').first()).toHaveAttribute('data-mode', 'drill');
    await expect(page.getByTestId('drill-clock')).toHaveAttribute('data-running', 'true');
    // The clock runs while the view is open.
    const t0 = await drills.elapsedMs();
    await expect.poll(() => drills.elapsedMs()).toBeGreaterThan(t0);
    await expect(drills.completeButton()).toBeDisabled();
    await expect(page.getByTestId('drill-complete-reasons')).toContainText('Steps not run yet');

    // The five steps, each recorded with who and when.
    for (const s of DRILL_STEPS) await drills.runStep(s);
    await expect(drills.step('affected_lots')).toContainText('0 lots backward, 2 lots forward');
    await expect(drills.step('affected_lots')).toContainText(`Recorded by ${QA.userId}`);
    await expect(page.getByTestId(`drill-lot-${seed.shippedLot}`)).toContainText('1400 kg');
    await expect(page.getByTestId(`drill-lot-${seed.stockLot}`)).toContainText('WH-A');
    await expect(page.getByTestId('drill-customer-C001')).toContainText('0951-1234567');
    await expect(page.getByTestId('drill-customer-C002')).toContainText('no contact person');
    await expect(page.getByTestId('accounted-pct').first()).toHaveText('100.0 %');
    await expect(page.getByTestId('tolerance-band').first()).toHaveAttribute('data-tone', 'green');
    await expect(page.getByTestId('drill-documents')).toContainText('SH-0802');

    // The finding: C002 has no contact details; completion waits for its explanation.
    const finding = drills.finding('customer_no_contact', 'C002');
    await expect(finding).toHaveAttribute('data-explained', 'false');
    await expect(page.getByTestId('drill-complete-reasons')).toContainText('Findings without an explanation: 1');
    await shotBoth(page, 'drill-open', () => expect(page.getByTestId('drill-steps')).toContainText('已完成 5 / 5'));
    await drills.explain(
      'customer_no_contact',
      'C002',
      '联系人见销售系统：李店长 0952-7654321，已补录客户目录 / contact found in the sales system, catalogue updated',
    );

    // Completion with the signature "drill completed": the clock stops, the result is frozen.
    await expect(drills.completeButton()).toBeEnabled();
    await drills.complete(QA.newPassword);
    await expect(page.getByTestId('drill-clock')).toHaveAttribute('data-running', 'false');
    await expect(page.getByTestId('drill-signature')).toHaveAttribute('data-meaning', 'drill_completed');
    await expect(page.getByTestId('drill-signature')).toContainText(QA.printedName);
    await expect(page.getByTestId('drill-run-stock')).toHaveCount(0);
    const frozen = await drills.elapsedMs();
    // A frozen clock must not move: let the page's own timers run past one tick (1 s) and two
    // frames. A running clock's interval is due before this timeout and would have rendered,
    // however slow the machine (the page's timers keep their order; no wall-clock pause here).
    await page.evaluate(() => {
      const w = globalThis as unknown as { requestAnimationFrame(cb: () => void): number };
      return new Promise<void>((done) =>
        setTimeout(() => w.requestAnimationFrame(() => w.requestAnimationFrame(() => done())), 1100),
      );
    });
    expect(await drills.elapsedMs()).toBe(frozen);
    // The confirmation toast would cover the header: wait until it has closed by itself (on a
    // loaded machine it may already be gone; clicking it raced its 4 s auto-close).
    await expect(page.getByRole('alert').filter({ hasText: 'completed and signed' })).toBeHidden();
    await shotBoth(page, 'drill-completed', () =>
      expect(page.getByTestId('drill-complete-done')).toContainText('演练已完成'),
    );

    // The evidence pack in both languages: the recorded PDF opens in its own window and downloads.
    for (const locale of ['en', 'zh-CN'] as const) {
      const ev = await drills.makeEvidence(locale);
      expect(ev.popupUrl).toMatch(/^blob:/);
      expect(ev.fileName).toContain(code);
      const pdf = path.join(screenshots, `drill-evidence-${locale}.pdf`);
      mkdirSync(screenshots, { recursive: true });
      await ev.pdf.saveAs(pdf);
      const text = execFileSync('pdftotext', ['-enc', 'UTF-8', pdf, '-']).toString('utf8');
      for (const s of [code, seed.rawMilk, seed.shippedLot, 'C001', '银川母婴连锁', '100.0', '李店长'])
        expect(text, s).toContain(s);
      // The scope names the record for what it is (an exercise, not a real recall).
      expect(text).toContain(locale === 'en' ? 'Recall drill (exercise)' : '模拟召回演练');
      pdfPage1(pdf, `drill-evidence-${locale}`);
    }
    await expect(page.getByTestId('drill-evidence-kind')).toHaveText('Recorded');

    // The same data as a spreadsheet: one row per affected lot and shipment.
    const csv = await drills.downloadCsv();
    expect(csv.suggestedFilename()).toBe(`drill-${code}.csv`);
    const [head, ...rows] = readFileSync((await csv.path())!, 'utf8')
      .trim()
      .split(/\r?\n/);
    expect(head).toMatch(/^drill,mode,root_lot,record,/);
    expect(rows.filter((r) => r.includes(',lot,'))).toHaveLength(3);
    expect(rows.filter((r) => r.includes(',shipment,'))).toHaveLength(2);

    // EPCIS 2.0 JSON-LD of the root lot's trace.
    const epcis = await drills.exportEpcis();
    expect(epcis.suggestedFilename()).toBe(`epcis-${seed.rawMilk}.jsonld`);
    const doc = JSON.parse(readFileSync((await epcis.path())!, 'utf8')) as { type?: string };
    expect(doc.type).toBe('EPCISDocument');

    // The list shows the completed drill; the programme's KPIs count it.
    await drills.open();
    await expect(drills.row(code)).toHaveAttribute('data-mode', 'drill');
    await expect(drills.row(code).getByTestId('drill-status')).toHaveAttribute('data-status', 'completed');
    await drills.openProgramme();
    await expect(page.getByTestId(`kpi-row-${code}`)).toContainText('100.0 %');
    await expect(page.getByTestId('plan-row-raw_milk-both')).toBeVisible();
    await shotBoth(page, 'drill-programme', () =>
      expect(page.getByTestId('programme-kpis')).toContainText('已完成演练的指标'),
    );
  },
);

test('a real recall from the trace page: one signed hold, customer calls logged, a return recorded', async ({
  page,
  harness,
}) => {
  const seed = await seedDrills(harness.url);
  seed.p.close();
  await openApp(page, harness.url, 'en');
  await new SignInPage(page).signInToApp(QA.userId, QA.newPassword);
  const drills = new DrillsPage(page);

  // From the trace of the raw milk lot: the start dialog opens with the lot filled in.
  await page.getByTestId('nav-trace').click();
  await page.getByTestId('trace-input').fill(seed.rawMilk);
  await page.getByTestId('trace-input').press('Enter');
  await page.getByTestId('trace-start-drill').click();
  const code = await drills.startRecall('Farm notice: antibiotic treatment not declared / 牧场通报：用药未申报');
  expect(code).toMatch(/^RCL-\d{4}-\d{4}$/);
  await expect(page.getByTestId('mode-badge').first()).toHaveAttribute('data-mode', 'recall');

  // One signed hold of every affected lot with stock left (issue 19 §2 — the rule changed: the
  // partly shipped powder's 1 400 kg are held too; the raw milk has nothing left to hold).
  await drills.runStep('affected_lots');
  await drills.holdAll('Recall: suspect raw milk', QA.newPassword);
  await expect(page.getByTestId('recall-hold-none')).toContainText(
    `Affected lots on hold (2): ${seed.shippedLot}, ${seed.stockLot}`,
  );
  await expect(page.getByTestId(`drill-lot-${seed.stockLot}`).getByTestId('lot-status')).toHaveAttribute(
    'data-status',
    'on_hold',
  );
  await drills.logContact('C001', 'Reached', '王经理: 800 kg in their warehouse, quarantined');
  await drills.recordReturn('C001', '800');
  await expect(drills.recallCustomer('C001').getByTestId('recall-returns')).toContainText('800 kg');
  await expect(drills.recallCustomer('C002').getByTestId('recall-customer-outcome')).toHaveText('not contacted yet');
  await shotBoth(page, 'recall', () => expect(page.getByTestId('recall-panel')).toContainText('需通知的客户'));

  // Everyone sees the open recall on the home page; the list shows it in red.
  await page.getByTestId('nav-home').click();
  await expect(page.getByTestId('card-open-recalls')).toContainText(code);
  await drills.open();
  await expect(drills.row(code)).toHaveAttribute('data-mode', 'recall');
});
