import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Page } from '@playwright/test';
import type { SpecDocument } from '../../src/shared/catalog/spec-schema';
import { runSimulator, type RunningSimulator } from '../../src/main/instruments/simulator';
// Loaded here, not only by the simulator's `await import('./serial-port')` (serialport loads
// when a simulator runs, D-116): Node's ESM loader compiles an import()ed CommonJS file itself,
// past the require hook through which Playwright turns TypeScript into JavaScript, so the
// import() failed with "Cannot use import statement outside a module" unless the module was
// already loaded. In the full run it happened to be (the site journeys' helpers loaded the whole
// app into the runner and workers); run alone, this file failed.
import '../../src/main/instruments/serial-port';
import { shippedFormats } from '../../src/shared/domain/print-formats';
import { IntakePage } from './pages/intake-page';
import { ptyPair, type PtyPair } from '../helpers/pty';
import * as plant from '../fixtures/plant';
import { E2E_PEOPLE, FILLER_SAMPLE, MATERIALS, PRODUCTS, SUPPLIERS } from '../fixtures/plant';
import { ContractClient } from './contract-client';
import { expect, shot, test } from './fixtures';
import { ADMIN, openApp } from './helpers';
import { InstrumentsPage } from './pages/instruments-page';
import { ShellPage } from './pages/shell-page';
import { SignInPage } from './pages/sign-in-page';
import { TestingPage } from './pages/testing-page';

/*
 * Issue 10 journey: a simulated Mettler-Toledo moisture analyser (MT-SICS) on a real
 * pseudo-terminal pair (socat), the simulator running in this test process, the app's end
 * registered as the instrument's port. The technician does the daily check through the
 * instrument (the 100.00 g check weight), sees the lock lift, diagnoses in the terminal, and
 * captures the moisture reading into a release sample's entry grid: with the capture button,
 * with the instrument's print key, and types over one value with a reason.
 */

const QA = E2E_PEOPLE.qa;
const TECH = E2E_PEOPLE.tech;
const PROD = E2E_PEOPLE.prod;
const CODE = 'HB43-01';
const SERIAL = 'B123456789';

const SPEC: SpecDocument = {
  schema: 'lotseal.specification/1',
  title_zh: '婴儿配方乳粉 1段 放行规格（水分）',
  title_en: 'Infant formula stage 1 release specification (moisture)',
  subject_kind: 'product',
  applies_to: 'infant',
  standard: 'GB 10765-2021',
  version_note: null,
  items: [
    plant.gbItem({
      code: 'moisture',
      name_zh: '水分',
      name_en: 'Moisture',
      group: 'other',
      method_code: 'GB 5009.3',
      unit: 'g/100 g',
      basis: 'per_100g',
      limit_form: 'maximum',
      max: '5.0',
      precision: 1,
    }),
  ],
};

/** The date `years` from today, as the calendar shows it here (yyyy-mm-dd, local time). */
function isoDay(years = 0): string {
  const t = new Date();
  const d = new Date(t.getFullYear() + years, t.getMonth(), t.getDate());
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

/** Accounts, the moisture specification, a received release sample, the instrument and its calibration. */
async function seed(url: string, port: string): Promise<{ sample: string }> {
  const host = ContractClient.host(url);
  const admin = await plant.firstRun(host, ADMIN);
  await plant.enrol(admin, [QA, TECH, PROD]);
  await admin.call('instruments.save', {
    fields: {
      ...plant.moistureAnalyser(port),
      code: CODE,
      name: 'Halogen moisture analyser 卤素水分仪',
      serialNo: SERIAL,
      location: 'Lab 2 bench 3',
    },
  });
  admin.close();

  const qa = await plant.signIn(host, QA);
  const tech = await plant.signIn(host, TECH);
  const prod = await plant.signIn(host, PROD);
  const productId = await plant.product(qa, PRODUCTS.if1);
  await plant.approveSpec(qa, { subjectId: productId, code: 'SPEC-IF1', doc: SPEC });
  // Moisture in duplicate: replicate 1 by the capture button, replicate 2 by the print key.
  await qa.call('methods.rules.save', {
    methodCode: 'GB 5009.3',
    replicates: 2,
    repeatability: 'absolute',
    limit: '0.2',
    note: null,
  });
  const hb43 = (await qa.call('instruments.list', { includeInactive: false })).find((i) => i.code === CODE)!.id;
  // The daily-check plan a QA manager fixes: the 100 g check weight with its certificate.
  await qa.call('instruments.checkPlan.save', {
    id: hb43,
    points: [
      {
        standard: 'E2 check weight 100 g',
        certificateNo: 'NXJL-W-2026-0412',
        certificateValidUntil: null,
        nominal: '100.00',
        tolerance: '0.05',
        unit: 'g',
      },
    ],
  });
  await qa.call('instruments.calibration', {
    id: hb43,
    kind: 'calibration',
    performedOn: isoDay(),
    dueOn: isoDay(1),
    certificateNo: 'CAL-2026-118',
    provider: '宁夏计量测试院',
  });

  await plant.makeLot(prod, { itemCode: PRODUCTS.if1.code, code: 'IF1-2611-001' });
  const s = await plant.releaseSample(tech, 'IF1-2611-001', FILLER_SAMPLE);
  for (const c of [qa, tech, prod]) c.close();
  return { sample: s.code };
}

/** Both languages of the same screen, for people to look at. */
async function shots(page: Page, name: string): Promise<void> {
  const shell = new ShellPage(page);
  await shot(page, name, 'en');
  await shell.setLanguage('zh-CN');
  await shot(page, name, 'zh-CN');
  await shell.setLanguage('en');
}

test.describe.configure({ timeout: 150_000 });

test('daily check through the instrument, terminal diagnosis, capture into the entry grid', async ({
  page,
  harness,
}) => {
  const dir = mkdtempSync(path.join(tmpdir(), 'lotseal-e2e-pty-'));
  let pty: PtyPair | null = null;
  let sim: RunningSimulator | null = null;
  const simulate = async (weight: string, unit: string) => {
    await sim?.close();
    sim = await runSimulator({ port: pty!.b, driver: 'mt-sics', scenario: 'stable', weight, unit, serial: SERIAL });
  };
  try {
    pty = await ptyPair(dir, 'hb43');
    const { sample } = await seed(harness.url, pty.a);
    // The 100.00 g check weight on the pan.
    await simulate('100.00', 'g');

    await openApp(page, harness.url);
    await new SignInPage(page).signInToApp(TECH.userId, TECH.newPassword);
    await expect(page.getByTestId('card-instruments')).toContainText(CODE);
    await shot(page, 'instruments-home-card', 'en');

    // The list: calibrated but no daily check yet, so captures are locked; not connected.
    const ins = new InstrumentsPage(page);
    await ins.openList();
    await expect(ins.listState(CODE)).toHaveAttribute('data-state', 'disconnected');
    await expect(ins.listLock(CODE)).toHaveAttribute('data-locked', 'true');
    await expect(ins.row(CODE)).toContainText('No daily check on record');
    // Connect from the list: the status turns live (instruments.status events), identity checked.
    await page.getByTestId(`instrument-connect-${CODE}`).click();
    await expect(ins.listState(CODE)).toHaveAttribute('data-state', 'connected');
    await ins.dismissNotifications();
    await shots(page, 'instruments-list');

    // The daily check, read through the instrument itself.
    await ins.open(CODE);
    await ins.tab('calibration');
    await expect(page.getByTestId('plan-point-0')).toContainText('NXJL-W-2026-0412');
    const passed = await ins.dailyCheck(1);
    expect(passed).toBe(true);
    await expect(ins.lock()).toHaveAttribute('data-locked', 'false');
    await expect(page.getByTestId('events-table').getByTestId('event-daily_check')).toContainText('100.00 g');
    await expect(ins.checkVerdict(0)).toHaveAttribute('data-pass', 'true');
    await ins.dismissNotifications();
    await ins.toTop();
    await shots(page, 'instrument-page');

    // Into the entry grid. The check weight is still on the pan: grams, not g/100 g, so the
    // reading is refused with the reason and nothing is stored.
    const testing = new TestingPage(page);
    await testing.openSample(sample);
    const refusal = await ins.captureRefused('moisture', 0);
    await expect(refusal).toContainText('this result needs g/100 g');
    await expect(testing.input('moisture', 0)).toHaveValue('');
    await shot(page, 'instrument-capture-refused', 'en');
    await new ShellPage(page).setLanguage('zh-CN');
    await expect(await ins.captureRefused('moisture', 0)).toContainText('该结果需要 g/100 g');
    await shot(page, 'instrument-capture-refused', 'zh-CN');
    await new ShellPage(page).setLanguage('en');

    // The sample on the pan now: the analyser reads 2.45 % (accepted as g/100 g).
    await simulate('2.45', '%');
    await ins.captureInto('moisture', 0, CODE);
    await expect(testing.input('moisture', 0)).toHaveValue('2.45');
    await expect(testing.status('moisture')).toHaveAttribute('data-status', 'entered');

    // The print key while replicate 2 has the focus offers its reading.
    await testing.input('moisture', 1).click();
    sim!.print();
    await ins.useOfferedReading('Use reading 2.45 %');
    await expect(testing.input('moisture', 1)).toHaveValue('2.45');
    await expect(ins.captureButton('moisture', 1)).toHaveAttribute('data-captured', 'used');
    await expect(testing.reported('moisture')).toHaveText(/2\.4/);
    await expect(testing.verdict('moisture')).toHaveAttribute('data-verdict', 'pass');
    await page.getByTestId('entry-keys-help').click();
    await ins.dismissNotifications();
    await shots(page, 'instrument-capture-grid');

    // Typing over a captured value asks for a reason; the capture stays, marked typed over.
    await testing.input('moisture', 1).click();
    await testing.typeAndEnter('2.40');
    await ins.typedOverReason('Analyser printout shows 2.40; the link dropped a digit.');
    await expect(ins.captureButton('moisture', 1)).toHaveAttribute('data-captured', 'typed_over');
    await expect(testing.input('moisture', 1)).toHaveValue('2.40');

    // Terminal: a raw SI request and the serial-number command, every byte visible.
    await ins.openList();
    await ins.open(CODE);
    await ins.tab('terminal');
    await ins.sendLine('SI');
    await expect(ins.terminalLines('tx').last()).toContainText('SI<0d><0a>');
    await expect(ins.terminalLines('rx').last()).toContainText('2.45 %<0d><0a>');
    await expect(await ins.command('serial')).toContainText(SERIAL);
    await expect(ins.terminalLines('rx').last()).toContainText(`I4 A "${SERIAL}"<0d><0a>`);
    await ins.toTop();
    await shots(page, 'instrument-terminal');

    // The capture log keeps the raw bytes and the typed-over mark.
    await ins.tab('captures');
    await expect(ins.captureRows()).toHaveCount(3);
    // Exactly as received: the line ending is kept (<0d><0a>).
    await expect(ins.captureRows().first().getByTestId('capture-raw')).toContainText('S S');
    await expect(ins.captureRows().first().getByTestId('capture-raw')).toContainText('<0d><0a>');
    await expect(page.getByTestId('capture-typed-over')).toHaveCount(1);
    await shot(page, 'instrument-captures', 'en');
  } finally {
    await (sim as RunningSimulator | null)?.close();
    await pty?.unplug();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('an administrator registers a print-format instrument and tests its configuration on a pasted printout', async ({
  page,
  harness,
}) => {
  (await plant.firstRun(ContractClient.host(harness.url), ADMIN)).close();
  await openApp(page, harness.url);
  await new SignInPage(page).signInToApp(ADMIN.userId, ADMIN.password);

  const ins = new InstrumentsPage(page);
  await ins.openList();
  await expect(page.getByTestId('instruments-empty')).toBeVisible();
  await page.getByTestId('instruments-new').click();
  await ins.fillRegistry({
    code: 'LS-01',
    name: 'Lactoscan milk analyser 乳成分分析仪',
    kind: 'Milk analyser',
    portPath: '/dev/ttyUSB7',
    driver: 'Print format (configured)',
  });
  // Finding the port lists what the OS sees, or says clearly why it cannot.
  await ins.findPort();
  await ins.printConfig({
    recordStart: '^=+ RESULT',
    recordEnd: '^=+$',
    fields: [
      { analyte: 'fat', pattern: '^Fat\\s*:\\s*(\\S+)', unit: '%' },
      { analyte: 'snf', pattern: '^SNF\\s*:\\s*(\\S+)', unit: '%' },
    ],
  });
  await ins.saveRegistry();
  await expect(page.getByTestId('instrument-page')).toHaveAttribute('data-instrument', 'LS-01');
  await expect(ins.lock()).toHaveAttribute('data-locked', 'true');
  await ins.toTop();
  await shots(page, 'instrument-settings');

  // The tester: two records read, and the damaged one named with its line.
  await ins.tab('print');
  const out = await ins.testPrintout(
    [
      '== RESULT',
      'Fat: 3.52',
      'SNF : 8.61',
      '====',
      '== RESULT',
      'Fat: 3,5',
      'SNF: 8.60',
      '====',
      '== RESULT',
      'Fat: 3.49',
      'SNF: 8.58',
      '====',
    ].join('\n'),
  );
  await expect(out.getByTestId('print-records-count')).toHaveText('2 record(s)');
  await expect(out.getByTestId('print-records')).toContainText('3.52');
  await expect(out.getByTestId('print-errors')).toContainText('line 8: fat: "3,5" is not a decimal number');
  await ins.showFromTop('print-tester');
  await shots(page, 'instrument-print-tester');
});

/*
 * Issue 20 §1 journey: a Lactoscan SA milk analyser (the shipped template, played by its
 * simulator on a socat pseudo-terminal) prints one record, and it fills five checks of a raw
 * milk tanker's sample on the intake bench — fat, protein, non-fat solids, relative density
 * (°L converted as the plant's rapid method names it) and lactose — at once, each with the
 * record's bytes behind it.
 */
test('a milk analyser record fills five items of a raw milk sample at intake', async ({ page, harness }) => {
  const dir = mkdtempSync(path.join(tmpdir(), 'lotseal-e2e-ls-'));
  let pty: PtyPair | null = null;
  let sim: RunningSimulator | null = null;
  try {
    pty = await ptyPair(dir, 'lactoscan');
    const host = ContractClient.host(harness.url);
    const admin = await plant.firstRun(host, ADMIN);
    await plant.enrol(admin, [QA, TECH, PROD]);
    const p = {
      qa: await plant.signIn(host, QA),
      tech: await plant.signIn(host, TECH),
      prod: await plant.signIn(host, PROD),
    };
    const ls = await admin.call('instruments.save', {
      fields: {
        ...plant.printingInstrument(pty.a, shippedFormats['lactoscan-sa']),
        code: 'LS-01',
        name: 'Lactoscan SA 乳成分分析仪',
        location: 'Milk reception lab',
      },
    });
    admin.close();

    // QA: the raw milk, the farm, the plant's panel (fat, protein, SNF and density by the
    // analyser's rapid method, lactose added), what that method names, calibration and check plan.
    await plant.material(p.qa, MATERIALS.rawMilk);
    await plant.supplier(p.qa, SUPPLIERS.farm);
    const RAPID = 'Q/LS-001 超声波法';
    const builtIn = (await p.qa.call('intake.panels.list', {})).find((x) => x.builtIn)!;
    const fat = builtIn.items.find((i) => i.code === 'fat')!;
    const items = [
      ...builtIn.items.map((i) =>
        ['fat', 'protein', 'non_fat_solids', 'relative_density'].includes(i.code) ? { ...i, method_code: RAPID } : i,
      ),
      {
        ...fat,
        code: 'lactose',
        name_zh: '乳糖',
        name_en: 'Lactose',
        limit_form: 'report_only' as const,
        min: null,
        max: null,
        precision: 2,
        method_code: RAPID,
      },
    ];
    await p.qa.call('intake.panels.save', {
      fields: {
        code: 'PLANT-LS',
        nameZh: '生乳进厂检验（乳成分分析仪快速法）',
        nameEn: 'Raw milk intake (milk analyser rapid method)',
        supplierCode: null,
        items,
        active: true,
      },
    });
    await p.qa.call('instruments.methods.save', {
      methodCode: RAPID,
      instrumentKind: 'milk_analyser',
      conversions: [
        { from: '°L', factor: '0.001', offset: '1', note: 'plant method: relative density = 1 + °L / 1000' },
      ],
      note: 'Lactoscan SA, calibrated against GB 5009.5 / 5009.6 monthly',
    });
    await p.qa.call('instruments.calibration', {
      id: ls.id,
      kind: 'calibration',
      performedOn: isoDay(),
      dueOn: isoDay(1),
      certificateNo: 'LS-CAL-2026-07',
      provider: 'Milkotronic service',
    });
    await p.qa.call('instruments.checkPlan.save', {
      id: ls.id,
      points: [
        {
          standard: 'Reference milk (fat)',
          certificateNo: 'RM-2026-A',
          certificateValidUntil: null,
          nominal: '3.50',
          tolerance: '0.05',
          unit: '%',
        },
      ],
    });
    const lotCode = await plant.receiveTanker(p.prod, {
      farms: ['贺兰山第一牧场'],
      vehicle: '宁A·30417',
      compartments: [{ no: 1, seal: 'QF-20411', sealIntact: true }],
      quantity: '24860',
      temperature: '4.1',
    });
    // The bench's morning: connected, and the reference milk printed within tolerance.
    sim = await runSimulator({
      port: pty.b,
      driver: 'print',
      scenario: 'stable',
      format: 'lactoscan-sa',
      values: { fat: '3.62', snf: '8.71', density: '29.30', protein: '3.18', lactose: '4.79', added_water: '0.00' },
      sampleId: '12',
    });
    await p.tech.call('instruments.connect', { id: ls.id });
    await p.tech.call('instruments.dailyCheck', { id: ls.id, readings: [{ point: 0, reading: '3.51' }] });
    for (const m of [admin, p.qa, p.tech, p.prod]) m.close();

    await openApp(page, harness.url);
    await new SignInPage(page).signInToApp(TECH.userId, TECH.newPassword);
    const intake = new IntakePage(page);
    await intake.openQueue();
    await intake.openFromQueue(lotCode);
    await intake.declare({ noColostrum: true, noTreatment: true, withdrawalRespected: true, healthCertificates: true });
    await intake.startIntake();
    const ins = new InstrumentsPage(page);
    await expect(ins.recordCapture()).toHaveAttribute('data-instrument', 'LS-01');
    await expect(page.getByTestId('record-state')).toContainText('Waiting for LS-01');

    // The analyser finishes the tanker's sample and prints its record.
    sim.print();
    await expect(page.getByTestId('record-offer')).toBeVisible();
    for (const [field, item] of [
      ['fat', 'fat'],
      ['snf', 'non_fat_solids'],
      ['density', 'relative_density'],
      ['protein', 'protein'],
      ['lactose', 'lactose'],
    ] as const)
      await expect(page.getByTestId(`record-field-${field}`)).toHaveAttribute('data-fills', item);
    // The calculated freezing point and the added water fill nothing here.
    await expect(page.getByTestId('record-field-freezing_point')).toHaveAttribute('data-fills', '');
    await ins.recordCapture().scrollIntoViewIfNeeded();
    await shots(page, 'instrument-record-offer');

    await ins.useRecord(5);
    await expect(intake.checkRow('fat')).toHaveAttribute('data-verdict', 'pass');
    await expect(page.getByTestId('check-input-fat')).toHaveValue('3.62');
    await expect(page.getByTestId('check-input-protein')).toHaveValue('3.18');
    await expect(page.getByTestId('check-input-non_fat_solids')).toHaveValue('8.71');
    await expect(page.getByTestId('check-input-relative_density')).toHaveValue('1.0293');
    await expect(page.getByTestId('check-reported-relative_density')).toContainText('1.029');
    await expect(page.getByTestId('check-input-lactose')).toHaveValue('4.79');
    await expect(intake.checkRow('relative_density')).toHaveAttribute('data-verdict', 'pass');
    // The freezing point is still to be measured (on a cryoscope).
    await expect(page.getByTestId('check-input-freezing_point')).toHaveValue('');
    await ins.dismissNotifications();
    await shots(page, 'instrument-record-filled');

    // The instrument's capture log: five captures, each keeping the whole record as printed.
    await ins.openList();
    await ins.open('LS-01');
    await ins.tab('captures');
    await expect(page.locator('[data-testid="capture-row"][data-purpose="result"]')).toHaveCount(5);
    await expect(ins.captureRows().first().getByTestId('capture-raw')).toContainText('LACTOSCAN SA  No: 0012<0d><0a>');
    await expect(page.getByTestId('capture-conversion')).toHaveCount(1);
    await shot(page, 'instrument-record-captures', 'en');
  } finally {
    await (sim as RunningSimulator | null)?.close();
    await pty?.unplug();
    rmSync(dir, { recursive: true, force: true });
  }
});
