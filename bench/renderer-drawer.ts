/**
 * What one form costs the renderer while a person uses it (run by hand, not by `npm test` or
 * `npm run bench`):
 *
 *   npm run build && node --import tsx bench/renderer-drawer.ts [--rounds 15]
 *
 * Starts a browser harness with its own temporary data folder (test-only scrypt cost, D-066),
 * seeds through the contract (tests/fixtures/plant) a QA manager and a draft specification from
 * the GB 10765 pack (56 items), signs in on the screen in Debian's Chromium with the e2e flags,
 * opens the specification editor and then, `--rounds` times: opens an item's drawer, types its
 * unit and a reason, and closes it with Cancel. The specifications journey
 * does this ~30 times, and most forms look like it (a few Selects, Textareas and number fields
 * over a large page). Prints ONE JSON object with the renderer's CPU for the rounds, per round:
 * Chrome's Performance metrics in thread time (task, script, style, layout: they do not grow
 * with the machine's load as wall durations do) and the renderer process's CPU (SystemInfo).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as plant from '../tests/fixtures/plant';
import { E2E_PEOPLE, PRODUCTS } from '../tests/fixtures/plant';
import { ContractClient } from '../tests/e2e/contract-client';
import { arg, launchChromium, log, round, startHarness } from './browser-kit';

const ROUNDS = arg('rounds', 15);
const CODES = ['protein', 'fat', 'vit_a', 'vit_d', 'fe', 'zn', 'ca', 'inositol', 'taurine', 'nitrate', 'pb', 'apc'];

async function main(): Promise<void> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'lotseal-drawer-'));
  const { url, child } = await startHarness(dataDir);
  const browser = await launchChromium();
  try {
    log('seeding');
    const host = ContractClient.host(url);
    const admin = await plant.firstRun(host, plant.E2E_ADMIN);
    await plant.enrol(admin, [E2E_PEOPLE.qa]);
    admin.close();
    const qa = await plant.signIn(host, E2E_PEOPLE.qa);
    const productId = await plant.product(qa, PRODUCTS.if1);
    const versionId = await plant.packDraft(qa, {
      subjectId: productId,
      code: 'SPEC-IF1',
      packId: 'gb-10765-2021-milk',
      titleZh: 'GB 10765-2021 婴儿配方乳粉 1段',
      titleEn: 'GB 10765-2021 infant formula stage 1',
    });
    qa.close();

    const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, reducedMotion: 'reduce' });
    await context.addInitScript(
      `if (!localStorage.getItem('lotseal.locale')) localStorage.setItem('lotseal.locale', 'en');`,
    );
    const page = await context.newPage();
    // A cap for a hang, not a speed check: a loaded machine takes its time.
    page.setDefaultTimeout(300_000);
    const cdp = await context.newCDPSession(page);
    await cdp.send('Performance.enable', { timeDomain: 'threadTicks' });
    const browserCdp = await browser.newBrowserCDPSession();
    const metrics = async (): Promise<Record<string, number>> => {
      const { metrics: m } = (await cdp.send('Performance.getMetrics')) as {
        metrics: { name: string; value: number }[];
      };
      const info = (await browserCdp.send('SystemInfo.getProcessInfo')) as {
        processInfo: { type: string; cpuTime: number }[];
      };
      const byType: Record<string, number> = {};
      for (const p of info.processInfo) byType[`cpu ${p.type}`] = (byType[`cpu ${p.type}`] ?? 0) + p.cpuTime;
      return {
        ...Object.fromEntries(m.map((x) => [x.name, x.value])),
        ...byType,
        rendererCpu: info.processInfo.filter((p) => p.type === 'renderer').reduce((s, p) => s + p.cpuTime, 0),
      };
    };

    await page.goto(url);
    await page.locator('[data-app-state="ready"][data-screen="signin"]').waitFor();
    await page.getByTestId('signin-user').fill(E2E_PEOPLE.qa.userId);
    await page.getByTestId('signin-password').fill(E2E_PEOPLE.qa.newPassword);
    await page.getByTestId('signin-submit').click();
    await page.locator('[data-app-state="ready"][data-screen="app"]').waitFor();
    await page.goto(page.url().replace(/#.*$/, `#/specs/version/${versionId}`));
    await page.getByTestId('spec-item-protein').waitFor();

    const a = await metrics();
    log(`${ROUNDS} rounds`);
    for (let r = 0; r < ROUNDS; r++) {
      const code = CODES[r % CODES.length]!;
      const row = page.getByTestId(`spec-item-${code}`);
      await row.evaluate((el) => el.scrollIntoView({ block: 'center' }));
      await row.click();
      const drawer = page.getByTestId('item-editor');
      await drawer.waitFor();
      await drawer.getByTestId('item-unit').fill('mg/100 kJ');
      await drawer.getByTestId('item-reason').fill('Compared with the official text.');
      await drawer.getByRole('button', { name: 'Cancel' }).click();
      await drawer.waitFor({ state: 'hidden' });
    }
    const b = await metrics();
    const per = (k: string): number => round(((b[k] ?? 0) - (a[k] ?? 0)) / ROUNDS);
    process.stdout.write(
      `${JSON.stringify(
        {
          rounds: ROUNDS,
          perRoundCpuS: {
            rendererTask: per('TaskDuration'),
            script: per('ScriptDuration'),
            style: per('RecalcStyleDuration'),
            layout: per('LayoutDuration'),
            rendererProcess: per('rendererCpu'),
          },
          perRoundCpuSByProcessType: Object.fromEntries(
            Object.keys(b)
              .filter((k) => k.startsWith('cpu '))
              .map((k) => [k.slice(4), per(k)]),
          ),
          styleRecalcsPerRound: per('RecalcStyleCount'),
          layoutsPerRound: per('LayoutCount'),
          domNodes: b['Nodes'],
        },
        null,
        2,
      )}\n`,
    );
  } finally {
    await browser.close();
    child.kill('SIGTERM');
    rmSync(dataDir, { recursive: true, force: true });
  }
}

void main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exitCode = 1;
});
