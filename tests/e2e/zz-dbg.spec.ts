import { test } from './fixtures';
import { setupAndSignInAdmin } from './helpers';
test('dbg', async ({ page, harness }) => {
  page.on('websocket', (ws) => {
    ws.on('framesent', (f) => console.log('SENT', String(f.payload).slice(0, 300)));
    ws.on('framereceived', (f) => console.log('RECV', String(f.payload).slice(0, 400)));
  });
  page.on('console', (m) => console.log('CONSOLE', m.type(), m.text().slice(0, 300)));
  await setupAndSignInAdmin(page, harness.url);
  await page.waitForTimeout(2000);
});
