/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
import type { Page } from '@playwright/test';
import { expect, shot, test, waitForScreen } from './fixtures';
import { openApp } from './helpers';
import { ShellPage } from './pages/shell-page';
import { SignInPage } from './pages/sign-in-page';
import { seedSweep, SWEEP_PEOPLE, type SweepRole, type SweepSeed } from './sweep-seed';
import { leaksIn, type Leak } from './sweep-words';

/*
 * The language sweep (issue 22 §6): every screen the journeys reach, for every role, in
 * Chinese, on a plant with data on it (tests/e2e/sweep-seed.ts). A screen fails on a Latin
 * word outside the small whitelist of tests/e2e/sweep-words.ts, on a raw UUID and on an
 * epoch-millisecond number in its visible text (text, placeholders, and the values shown in
 * inputs and selects). The failure lists route, role and word with the words around it, so
 * whoever adds a screen sees at once what to translate.
 *
 * Waits are on the app's own markers: `main[data-route]` (the screen the router shows) and
 * `main[data-fetching="0"]` (no contract query in flight), then no loader on screen.
 */

function routes(s: SweepSeed): string[] {
  const e = encodeURIComponent;
  return [
    '/home',
    '/samples',
    `/samples/${e(s.readySample)}`,
    `/samples/${e(s.openSample)}`,
    '/sample-list',
    '/retention',
    '/sites',
    '/testing',
    `/testing/sample/${e(s.openSample)}`,
    `/testing/sample/${e(s.readySample)}`,
    '/testing/methods',
    '/review',
    `/review/${e(s.readySample)}`,
    '/oos',
    '/trends?product=IF-1&item=protein',
    '/intake',
    `/intake/${e(s.tanker)}`,
    '/intake/panels',
    '/appeals',
    '/appeals/calendar',
    '/suppliers',
    '/environment',
    '/environment?tab=heatmap',
    '/lots',
    `/lots/${e(s.readyLot)}`,
    `/lots/${e(s.openLot)}`,
    `/lots/${e(s.shippedLot)}`,
    `/lots/${e(s.tanker)}`,
    `/lots/${e(s.ingredient)}`,
    '/receiving',
    '/batches',
    '/shipments',
    '/stock',
    '/import',
    `/trace?lot=${e(s.shippedLot)}`,
    '/drills',
    '/drills/programme',
    `/drills/${e(s.drill)}`,
    '/instruments',
    '/release',
    `/release/${e(s.readyLot)}`,
    `/release/${e(s.shippedLot)}`,
    '/specifications',
    '/labels?product=IF-1',
    `/catalog/product/${e(s.productId)}`,
    `/specs/version/${e(s.specVersionId)}`,
    '/audit?tab=trail',
    '/audit?tab=verification',
    '/audit?tab=review',
    '/audit?tab=export',
    `/audit?tab=trail&entity=lot&id=${e(s.shippedLot)}`,
    '/admin?tab=accounts',
    '/admin?tab=settings',
    '/admin?tab=workstation',
    '/admin?tab=backup',
    '/account',
  ];
}

/** Everything a person reads on the screen: text, placeholders, the values inputs show. */
async function visibleText(page: Page): Promise<string> {
  return page.evaluate(() => {
    // Shown as typed, never translated: codes (<code>: item codes, host names, commands), key
    // names (<kbd>), and text marked as another language (the English name of a bilingual
    // record, the language switch's "English").
    const asTyped = Array.from(document.querySelectorAll<HTMLElement>('code, kbd, [lang]:not([lang|="zh"]):not(html)'));
    let body = document.body.innerText;
    for (const el of asTyped) if (el.innerText) body = body.replace(el.innerText, ' ');
    const parts = [body];
    for (const el of Array.from(document.querySelectorAll<HTMLInputElement | HTMLTextAreaElement>('input, textarea'))) {
      const r = el.getBoundingClientRect();
      if (r.width === 0 || r.height === 0 || el.type === 'password' || el.type === 'hidden') continue;
      if (el.placeholder) parts.push(el.placeholder);
      // A code field (a record-type code typed into a filter) shows its code as typed.
      if (el.closest('[data-kind="code"]') || el.dataset['kind'] === 'code') continue;
      if (el.value && el.type !== 'checkbox' && el.type !== 'radio') parts.push(el.value);
    }
    return parts.join('\n');
  });
}

async function visit(page: Page, route: string): Promise<void> {
  const path = route.split('?')[0]!;
  await page.evaluate((r) => {
    window.location.hash = `#${r}`;
  }, route);
  const main = page.locator(`main[data-route="${path}"]`);
  await expect(main).toBeVisible();
  await expect(main).toHaveAttribute('data-fetching', '0');
  // A screen that keeps a loader (a PDF being made) is read as it is; nothing here fails on time.
  await expect(page.locator('main .mantine-Loader:visible'))
    .toHaveCount(0, { timeout: 10_000 })
    .catch(() => undefined);
  await expect(main).toHaveAttribute('data-fetching', '0');
}

test('every screen of every role reads in Chinese: no stray English, no raw ids or epoch numbers', async ({
  page,
  harness,
}) => {
  test.setTimeout(30 * 60_000);
  const seed = await seedSweep(harness.url);
  const found: (Leak & { role: SweepRole; route: string })[] = [];
  await openApp(page, harness.url, 'zh-CN');
  const signIn = new SignInPage(page);
  const shell = new ShellPage(page);
  for (const [role, who] of Object.entries(SWEEP_PEOPLE) as [SweepRole, (typeof SWEEP_PEOPLE)[SweepRole]][]) {
    await signIn.signInToApp(who.userId, who.password);
    await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN');
    for (const route of routes(seed)) {
      await visit(page, route);
      for (const leak of leaksIn(await visibleText(page), seed.typedCodes)) found.push({ ...leak, role, route });
      // Photographed for people to look at: every screen as the QA manager sees it (she reaches
      // them all). The other roles' screens are read for leaks above; their pictures, largely the
      // same screens, were looked at by nobody (56 screenshots, ~5 % of the sweep, D-118).
      if (role === 'qa_manager')
        await shot(page, `sweep-${role}-${route.replace(/[^A-Za-z0-9]+/g, '_').slice(0, 60)}`, 'zh-CN');
    }
    await page.evaluate(() => {
      window.location.hash = '#/home';
    });
    await shell.signOut();
    await waitForScreen(page, 'signin');
  }
  // One line per route and word, with the roles that saw it and the words around it.
  const byKey = new Map<string, { roles: Set<string>; context: string }>();
  for (const f of found) {
    const key = `#${f.route}  ${f.kind} "${f.word}"`;
    const cur = byKey.get(key) ?? { roles: new Set<string>(), context: f.context };
    cur.roles.add(f.role);
    byKey.set(key, cur);
  }
  const lines = [...byKey.entries()].map(([k, v]) => `${k}  [${[...v.roles].join(', ')}]  …${v.context}…`);
  expect(lines, `Latin words, raw ids or epoch numbers on Chinese screens:\n${lines.join('\n')}`).toEqual([]);
});
