import type { Page } from '@playwright/test';
import { expect, shot, test } from './fixtures';
import { openApp } from './helpers';
import { seedMicroHold } from './micro-seed';
import { DispositionPage } from './pages/disposition-page';
import { goHash } from './pages/review-page';
import { ShellPage } from './pages/shell-page';
import { SignInPage } from './pages/sign-in-page';
import { TestingPage } from './pages/testing-page';
import { QA, TECH } from './testing-seed';

test.describe.configure({ timeout: 240_000 });

async function signInAs(page: Page, u: { userId: string; newPassword: string; printedName: string }): Promise<void> {
  const shell = new ShellPage(page);
  if (await page.getByTestId('signout-button').isVisible()) await shell.signOut();
  await new SignInPage(page).signInToApp(u.userId, u.newPassword);
  await shell.expectSignedInAs(u.printedName);
}

/** Both languages of the same screen, for people to look at. */
async function shots(page: Page, name: string): Promise<void> {
  const shell = new ShellPage(page);
  await shot(page, name, 'en');
  await shell.setLanguage('zh-CN');
  await shot(page, name, 'zh-CN');
  await shell.setLanguage('en');
}

test('a presumptive Cronobacter positive holds a finished infant-formula lot at once; QA reviews the hold, release stays blocked', async ({
  page,
  harness,
}) => {
  // Every other item of the release sample is in specification and reviewed; on the
  // technician's workstation unit 2 of the Cronobacter plan read presumptive positive.
  const seed = await seedMicroHold(harness.url);
  await openApp(page, harness.url);

  // The technician's sample: the unit waits for its confirmation and the lot is already held.
  await signInAs(page, TECH);
  const testing = new TestingPage(page);
  await testing.openSample(seed.releaseSample);
  const panel = page.getByTestId('micro-panel');
  await expect(panel.getByTestId('micro-stage-cronobacter')).toHaveText('Presumptive positive');
  await expect(panel.getByTestId('micro-confirm-cronobacter-2')).toBeVisible();
  await expect(panel.getByTestId('micro-confirm-cronobacter-1')).toHaveCount(0);
  await expect(panel.getByTestId('micro-held')).toContainText(`Lot ${seed.lot} held automatically`);
  await panel.evaluate((el) => el.scrollIntoView({ block: 'center' }));
  await shots(page, 'micro-presumptive');

  // The QA manager: the hold was raised by the system rule, unsigned, in the same write as the entry.
  await signInAs(page, QA);
  await goHash(page, '#/oos/micro');
  const hold = page.getByTestId(`micro-hold-${seed.lot}`);
  await expect(hold).toContainText(seed.releaseSample);
  await expect(hold).toContainText('cronobacter');
  await expect(hold).toContainText('unit(s) 2');
  await expect(hold).toContainText('System rule: presumptive positive');
  await expect(hold).toContainText('unsigned');
  await expect(page.getByTestId(`micro-hold-outcome-${seed.lot}`)).toHaveText('Waiting for confirmation');
  await shots(page, 'micro-hold');

  // The lot's decision page: the micro line fails on the presumptive and the open hold; no release.
  const d = new DispositionPage(page);
  await d.openFromLotPage(seed.lot);
  await expect(d.line('micro')).toHaveAttribute('data-ok', 'false');
  await expect(d.line('micro')).toContainText('Presumptive positive waiting for confirmation: cronobacter');
  await expect(d.line('micro')).toContainText('1 automatic micro hold(s) not yet reviewed by QA');
  await expect(d.line('micro')).toContainText(
    // The evidence names the sample in the reader's words (D-089): "cronobacter (sample S…)".
    new RegExp(`cronobacter \\(sample ${seed.releaseSample}\\)\\s*· automatic hold, not reviewed`),
  );
  await expect(d.line('micro')).not.toContainText('micro.presumptive_positive');
  expect(await d.failingLines()).toContain('micro');
  await expect(d.decisionButton('release')).toBeDisabled();
  await d.toTop('readiness');
  await shots(page, 'micro-hold-lot');

  // QA reviews the automatic hold with a signature: it moves to the reviewed list with the note.
  await goHash(page, '#/oos/micro');
  await page.getByTestId(`micro-hold-review-${seed.lot}`).click();
  await d.signDialog('Lot stays held until the Cronobacter confirmation; warehouse informed.', QA.newPassword);
  await expect(page.getByTestId('micro-holds-empty')).toBeVisible();
  await page.getByTestId('micro-holds-status').getByText('Reviewed').click();
  await expect(hold).toContainText(QA.printedName);
  await expect(hold).toContainText('warehouse informed');

  // A reviewed hold does not clear the lot: the presumptive still waits for its confirmation.
  await d.openFromLotPage(seed.lot);
  await expect(d.line('micro')).toHaveAttribute('data-ok', 'false');
  await expect(d.line('micro')).not.toContainText('not yet reviewed by QA');
  await expect(d.decisionButton('release')).toBeDisabled();
});
