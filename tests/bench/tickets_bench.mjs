// Figures for the tickets issue, printed, not asserted: the time to open the butler's "my open items" (我的待办)
// with 5,000 tickets stored on the tablet, and the supervisor's targets (服务指标: every figure over eight periods,
// for the site and per person, from the same tickets), and the size of a synced photo (measured by tests/browser/tickets.test.mjs,
// which prints it; a camera photo of 4 MB is stored and synced at the size the page downscales it to).
// The store is written by the real DocStore (build/native/seed_tickets) and put into the browser's IndexedDB the
// way IDBFS keeps files, then opened by the app as on a tablet that has been in use for months.
import { launch, freshProfileDir, waitReady, waitIdle, find, tap, signIn } from '../browser/browser.mjs';
import { seedTickets, injectStore } from '../browser/seed_store.mjs';
import { startServer } from '../browser/server.mjs';

const TICKETS = Number(process.env.BENCH_TICKETS || 5000);
const OPENS = Number(process.env.BENCH_OPENS || 5);

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

const server = await startServer();
const context = await launch(freshProfileDir('bench-tickets'));
try {
  const page = context.pages()[0] || (await context.newPage());
  await page.goto(server.url);
  await waitReady(page, 60000);
  await signIn(page, 'butler');
  await injectStore(page, seedTickets(TICKETS), { user: 'butler', family: 'ops' });
  const taps = [], frames = [], opens = [], targets = [], targetFrames = [];
  let listed = 0;
  for (let i = 0; i < OPENS; i++) {
    // A fresh start each time: the list is derived once per start (then cached until a ticket changes).
    await page.reload();
    await waitReady(page, 60000);
    const m = await page.evaluate(() => window.stewardTest.metrics());
    if (m.tickets < TICKETS) throw new Error(`expected ${TICKETS} tickets, the app loaded ${m.tickets}`);
    opens.push(m.storeOpenMs);
    await page.evaluate(() => window.stewardTest.clearFrameTimes());
    const tab = await find(page, '工单');
    const started = await page.evaluate(() => performance.now());
    await page.mouse.click(tab.x + tab.w / 2, tab.y + tab.h / 2);
    await find(page, /^(【超期】)?(新建|已派单|处理中|已完成|已回访) · /, { timeout: 20000 });
    const shown = await page.evaluate(() => performance.now());
    await waitIdle(page);
    taps.push(shown - started);
    const cpu = (await page.evaluate(() => window.stewardTest.metrics())).frameCpuMs;
    frames.push(Math.max(...cpu));
    listed = (await page.evaluate(() => window.stewardTest.widgets())).filter((w) => / · /.test(w.label) && w.h >= 44).length;
    await tap(page, '巡查');
  }

  // The supervisor's targets over the same tickets, in the supervisor's own store on a second tablet.
  const supervisorContext = await launch(freshProfileDir('bench-targets'));
  try {
    const sp = supervisorContext.pages()[0] || (await supervisorContext.newPage());
    await sp.goto(server.url);
    await waitReady(sp, 60000);
    await signIn(sp, 'supervisor');
    await injectStore(sp, seedTickets(TICKETS), { user: 'supervisor', family: 'ops' });
    for (let i = 0; i < OPENS; i++) {
      await sp.reload();
      await waitReady(sp, 60000);
      await sp.waitForFunction(() => window.stewardTest.session().phase === 4, null, { timeout: 60000 });
      await waitIdle(sp);
      await sp.evaluate(() => window.stewardTest.clearFrameTimes());
      const targetsTab = await find(sp, '服务指标');
      const asked = await sp.evaluate(() => performance.now());
      await sp.mouse.click(targetsTab.x + targetsTab.w / 2, targetsTab.y + targetsTab.h / 2);
      await find(sp, '维修及时率', { timeout: 20000 });
      targets.push((await sp.evaluate(() => performance.now())) - asked);
      await waitIdle(sp);
      targetFrames.push(Math.max(...(await sp.evaluate(() => window.stewardTest.metrics())).frameCpuMs));
    }
  } finally {
    await supervisorContext.close();
  }
  console.log(`${TICKETS} stored tickets`);
  console.log(`  open "我的待办" (tap -> the list on screen): median ${median(taps).toFixed(0)} ms, worst ${Math.max(...taps).toFixed(0)} ms over ${OPENS} fresh starts`);
  console.log(`  the slowest frame while opening it (CPU): median ${median(frames).toFixed(1)} ms; rows on screen ${listed}`);
  console.log(`  store open + load of visits and tickets at start-up: median ${median(opens).toFixed(0)} ms`);
  console.log(`  open "服务指标" (tap -> the figures on screen): median ${median(targets).toFixed(0)} ms, worst ${Math.max(...targets).toFixed(0)} ms; slowest frame (CPU) median ${median(targetFrames).toFixed(1)} ms`);
} finally {
  await context.close();
  await server.stop();
}
