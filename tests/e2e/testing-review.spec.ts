import type { Page } from '@playwright/test';
import { expect, shot, test } from './fixtures';
import { openApp } from './helpers';
import { LotsPage } from './pages/lots-page';
import { OosPage } from './pages/oos-page';
import { ReviewPage } from './pages/review-page';
import { ShellPage } from './pages/shell-page';
import { SignInPage } from './pages/sign-in-page';
import { TrendsPage } from './pages/trends-page';
import { PRODUCT, QA, REVIEWER, TECH_REVIEWER, seedTesting } from './testing-seed';

test.describe.configure({ timeout: 240_000 });

async function signInAs(page: Page, u: { userId: string; newPassword: string; printedName: string }): Promise<void> {
  const shell = new ShellPage(page);
  if (await page.getByTestId('signout-button').isVisible()) await shell.signOut();
  await new SignInPage(page).signInToApp(u.userId, u.newPassword);
  await shell.expectSignedInAs(u.printedName);
}

/** Puts an element at the top of the view, below the app's fixed header. */
async function toTop(page: Page, testId: string): Promise<void> {
  await page.getByTestId(testId).evaluate((el) => {
    el.scrollIntoView({ block: 'start' });
    (globalThis as unknown as { scrollBy: (x: number, y: number) => void }).scrollBy(0, -76);
  });
}

/**
 * Everything a result view tells the screen about who took part in it (the analyst, the
 * submitter and, since independent review (issue 19 §3), every contributor of any revision),
 * with `userId` replaced: the screen no longer knows the result is theirs; the server does.
 */
function hideAuthor(value: unknown, userId: string): unknown {
  if (Array.isArray(value)) return value.map((v) => hideAuthor(v, userId));
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    if ((k === 'analystId' || k === 'submittedBy') && v === userId) out[k] = 'someone.else';
    else if (k === 'contributors' && Array.isArray(v)) out[k] = v.map((c) => (c === userId ? 'someone.else' : c));
    else out[k] = hideAuthor(v, userId);
  }
  return out;
}

/** Both languages of the same screen, for people to look at. */
async function shots(page: Page, name: string): Promise<void> {
  const shell = new ShellPage(page);
  await shot(page, name, 'en');
  await shell.setLanguage('zh-CN');
  await shot(page, name, 'zh-CN');
  await shell.setLanguage('en');
}

test('review submitted results, investigate the OOS, conclude it, see completeness and the trend', async ({
  page,
  harness,
  browser,
}) => {
  // A technician entered and submitted results on another workstation (through the contract).
  const seed = await seedTesting(harness.url);
  await openApp(page, harness.url);
  const review = new ReviewPage(page);

  // A technician who also reviews sees their own submission as theirs: not theirs to review.
  await signInAs(page, TECH_REVIEWER);
  await expect(page.getByTestId('card-results-review-count')).toHaveAttribute('data-count', '1');
  await review.openQueue();
  await expect(review.row(seed.ownSample)).toHaveAttribute('data-mine', 'true');
  await expect(review.row(seed.ownSample).getByTestId('review-mine')).toBeVisible();
  await expect(page.getByTestId(`review-open-${seed.ownSample}`)).toBeDisabled();
  await review.openSampleDirect(seed.ownSample);
  await expect(page.getByTestId('review-own-warning')).toBeVisible();
  await expect(page.getByTestId('review-select-protein')).toBeDisabled();

  // Even if the screen did not know (here the author is hidden from it), the server refuses
  // a self-review and the page says so plainly; nothing is signed.
  const blind = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  const other = await blind.newPage();
  await other.routeWebSocket(/\/ws/, (ws) => {
    const server = ws.connectToServer();
    ws.onMessage((m) => server.send(m));
    server.onMessage((m) => ws.send(JSON.stringify(hideAuthor(JSON.parse(String(m)), TECH_REVIEWER.userId))));
  });
  await openApp(other, harness.url);
  await new SignInPage(other).signInToApp(TECH_REVIEWER.userId, TECH_REVIEWER.newPassword);
  const blindReview = new ReviewPage(other);
  await blindReview.openSampleDirect(seed.ownSample);
  await blindReview.approve(TECH_REVIEWER.newPassword);
  await expect(other.getByTestId('review-self-refusal')).toContainText('Protein (protein)');
  await expect(blindReview.result('protein')).toHaveAttribute('data-status', 'submitted');
  await blind.close();

  // The reviewer: both samples wait; the failing one is marked.
  await signInAs(page, REVIEWER);
  await expect(page.getByTestId('card-results-review-count')).toHaveAttribute('data-count', '2');
  await expect(page.getByTestId('card-oos-open-count')).toHaveAttribute('data-count', '1');
  await review.openQueue();
  await expect(review.row(seed.reviewSample).getByTestId('review-row-failed')).toBeVisible();

  // Return the technician-reviewer's protein with a reason.
  await review.openSample(seed.ownSample);
  await review.returnSelected('Only one determination: run the duplicate as GB 5009.5 requires.', REVIEWER.newPassword);
  await expect(review.result('protein')).toHaveCount(0);
  await page
    .getByTestId('review-view')
    .getByText(/^All tests/)
    .click();
  await expect(review.result('protein')).toHaveAttribute('data-status', 'returned');

  // The lot under review: every result with its raw data, and the audit trail of each.
  await review.openQueue();
  await review.openSample(seed.reviewSample);
  await expect(page.getByTestId('review-summary-submitted')).toHaveText('9');
  await expect(review.result('vit_a').getByTestId('result-verdict')).toHaveAttribute('data-verdict', 'fail');
  await expect(review.result('vit_a').getByTestId('review-result-oos')).toHaveText(seed.openOos);
  await expect(review.result('salmonella').getByTestId('result-raw')).toContainText('5 × absent');
  await expect(review.result('nitrite').getByTestId('review-result-external')).toBeVisible();
  const trail = await review.openTrail('vit_a');
  await expect(trail.getByTestId('trail-entry')).toHaveCount(5);
  await expect(trail.getByTestId('trail-signatures').getByTestId('signature-line')).toHaveAttribute(
    'data-meaning',
    'authored',
  );
  await expect(trail.getByTestId('trail-oos-link')).toHaveText(seed.openOos);
  // A result under an OOS investigation cannot be returned, only approved as correctly obtained.
  await expect(page.getByTestId('review-return')).toBeDisabled();
  await expect(page.getByTestId('review-oos-note')).toBeVisible();
  await toTop(page, 'review-sample-code');
  await shots(page, 'review');

  await review.approve(REVIEWER.newPassword, 'Raw data, calculations and limits checked.');
  await expect(page.getByTestId('review-done')).toBeVisible();
  await page
    .getByTestId('review-view')
    .getByText(/^All tests/)
    .click();
  await expect(review.result('protein')).toHaveAttribute('data-status', 'reviewed');
  await expect(review.result('vit_a')).toHaveAttribute('data-status', 'reviewed');

  // Opening a result shows where it sits: the protein of this lot on the product's control chart.
  await page.getByTestId('review-trend-protein').click();
  const trends = new TrendsPage(page);
  await expect(trends.chart()).toBeVisible();
  await expect(trends.highlightPoint()).toHaveAttribute('data-lot', seed.reviewLot);
  await expect(page.getByTestId('trend-highlight-info')).toContainText(seed.reviewLot);
  await expect(trends.chart()).toHaveAttribute('data-points', String(seed.trendLots.length + 1));
  await expect(trends.row('IF1-2611-015')).toHaveAttribute('data-level', 'violation');
  await expect(trends.row('IF1-2611-017')).toHaveAttribute('data-level', 'warning');
  await expect(page.getByTestId('trend-rule-1_3s')).toBeVisible();
  await toTop(page, 'trend-highlight-info');
  await shots(page, 'trends');

  // Phase I by the reviewer: sample preparation was not OK.
  const oos = new OosPage(page);
  await oos.openList();
  await expect(oos.row(seed.openOos)).toHaveAttribute('data-status', 'open');
  await oos.open(seed.openOos);
  await expect(page.getByTestId('oos-reported')).toHaveText('268');
  await expect(page.getByTestId('oos-limit')).toHaveText('300–800');
  // Signing needs every check answered with a note.
  await page.getByTestId('oos-phase1-sign').click();
  await expect(page.getByTestId('oos-phase1-incomplete')).toBeVisible();
  await oos.fillPhase1('Saponification was cut short: the extraction was incomplete. Laboratory error.', {
    preparation: { ok: false, note: 'Saponification ran 20 min instead of 45 min (bath timer log).' },
  });
  await expect(page.getByTestId('oos-phase1-error-hint')).toBeVisible();
  await oos.signPhase1(REVIEWER.newPassword);
  await expect(page.getByTestId('oos-page')).toHaveAttribute('data-status', 'phase1_done');
  await expect(page.getByTestId('oos-conclusion-waiting')).toBeVisible();
  await expect(page.getByTestId('oos-answer-preparation')).toHaveAttribute('data-ok', 'false');

  // The QA manager concludes: laboratory error → the result is invalidated and a retest ordered.
  await signInAs(page, QA);
  await expect(page.getByTestId('card-oos-confirmed-count')).toHaveAttribute('data-count', '1');
  await expect(page.getByTestId('card-oos-open')).toContainText(seed.openOos);
  await oos.open(seed.openOos);
  await oos.conclude(
    'assignable_cause',
    'Phase I found the sample preparation error; the result is invalid. Retest.',
    QA.newPassword,
  );
  await expect(page.getByTestId('oos-page')).toHaveAttribute('data-status', 'invalidated');
  await expect(page.getByTestId('oos-retest-link')).toHaveAttribute('href', `#/testing/sample/${seed.reviewSample}`);
  await expect(page.getByTestId('oos-signatures').getByTestId('signature-line')).toHaveCount(2);
  await toTop(page, 'oos-result');
  await shots(page, 'oos');

  // The confirmed OOS of an earlier lot points the QA manager to that lot's decision.
  await oos.open(seed.confirmedOos);
  await expect(page.getByTestId('oos-confirmed')).toBeVisible();
  await expect(page.getByTestId('oos-lot-decision-link')).toHaveAttribute('href', `#/lots/${seed.confirmedLot}`);

  // The lot page: what is still missing before release.
  const lots = new LotsPage(page);
  await lots.openLot(seed.reviewLot);
  const panel = page.getByTestId('completeness-panel');
  await expect(panel).toHaveAttribute('data-complete', 'false');
  await expect(panel.getByTestId('completeness-external')).toContainText('Nitrite');
  await expect(panel.getByTestId('completeness-group-macronutrients')).toHaveAttribute('data-missing', '0');
  await expect(panel.getByTestId('completeness-group-contaminants')).toHaveAttribute('data-missing', '1');
  await expect(panel.getByTestId('completeness-group-vitamins')).toHaveAttribute('data-missing', '1');
  await panel.getByTestId('completeness-toggle').click();
  await expect(panel.getByTestId('completeness-item-protein')).toHaveAttribute('data-state', 'reviewed');
  await expect(panel.getByTestId('completeness-item-vit_a')).toHaveAttribute('data-state', 'pending');
  await expect(panel.getByTestId('completeness-item-nitrite')).toHaveAttribute('data-state', 'external_not_counted');
  await toTop(page, 'completeness-panel');
  await shots(page, 'lot-completeness');

  // Trends through the pickers.
  await trends.choose(PRODUCT, 'Protein');
  await expect(trends.chart()).toHaveAttribute('data-points', String(seed.trendLots.length + 1));
});
