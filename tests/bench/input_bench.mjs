// Figures for the tablet-input issue, printed, not asserted: CPU time per frame (p50/p95) while a finger
// drag-scrolls today's list of 20,000 visits, and the glyph atlas (texture size, glyphs, build time) at 1x and 2x.
// Frame CPU time is measured by the app around its own frame (input, layout, draw calls), in headless Chromium
// with SwiftShader.
import { launch, freshProfileDir, waitReady, waitIdle, find, touchTap, touchDrag, signIn } from '../browser/browser.mjs';
import { seedStore, injectStore } from '../browser/seed_store.mjs';
import { startServer } from '../browser/server.mjs';

const VISITS = Number(process.env.BENCH_LIST_VISITS || 20000);
const DRAGS = Number(process.env.BENCH_DRAGS || 12);

function percentile(values, p) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

const server = await startServer();
try {
  const files = seedStore(VISITS, { spreadMinutes: 60 });
  for (const scale of [1, 2]) {
    const context = await launch(freshProfileDir('bench-input'), { hasTouch: true, deviceScaleFactor: scale });
    const page = context.pages()[0] || (await context.newPage());
    try {
      await page.goto(server.url);
      await waitReady(page, 60000);
      await signIn(page, 'host');
      await injectStore(page, files, { user: 'host', family: 'visits' });
      await waitReady(page, 60000);
      const visits = (await page.evaluate(() => window.stewardTest.metrics())).visits;
      if (visits < VISITS) throw new Error(`expected ${VISITS} visits, the app loaded ${visits}`);
      await touchTap(page, '今日来访');
      await find(page, '搜索姓名、手机号或车牌');
      await page.evaluate(() => window.stewardTest.clearFrameTimes());
      // Alternating drags up and down through the list, at a finger's pace, each followed by its glide.
      for (let i = 0; i < DRAGS; i++) {
        const [from, to] = i % 3 === 2 ? [300, 700] : [700, 300];
        await touchDrag(page, { x: 640, y: from }, { x: 640, y: to }, { steps: 24, stepMs: 8 });
        await waitIdle(page, 15000);
      }
      const m = await page.evaluate(() => window.stewardTest.metrics());
      const frames = m.frameCpuMs;
      const scroll = (await page.evaluate(() => window.stewardTest.scroll())).find((w) => w.name.includes('##today'));
      console.log(`drag-scrolling today's list of ${visits} visits at ${scale}x (1280x800 CSS px)`);
      console.log(`  frame CPU time: p50 ${percentile(frames, 50).toFixed(2)} ms, p95 ${percentile(frames, 95).toFixed(2)} ms, max ${Math.max(...frames).toFixed(2)} ms over ${frames.length} frames (target p95 <= 8 ms); list scrolled to ${scroll ? scroll.y.toFixed(0) : '?'} of ${scroll ? scroll.max.toFixed(0) : '?'} px`);
      const atlasLine = (a) => `${a.width}x${a.height} R8 texture (${(a.width * a.height / 1048576).toFixed(1)} MB), ${a.glyphs} glyphs at ${a.fontPx} px, built and uploaded in ${a.buildMs.toFixed(0)} ms`;
      console.log(`  glyph atlas: ${atlasLine(m.atlas)}`);
      // Rare characters merged in at run time: one from CJK Extension A, one beyond the BMP (Extension B).
      await touchTap(page, '搜索姓名、手机号或车牌');
      await page.keyboard.insertText('䶮𠮷');
      await page.waitForFunction(() => window.stewardTest.hasGlyph('䶮') && window.stewardTest.hasGlyph('𠮷'), null,
        { timeout: 30000 });
      console.log(`  with 䶮 and 𠮷 merged in: ${atlasLine((await page.evaluate(() => window.stewardTest.metrics())).atlas)}`);
    } finally {
      await context.close();
    }
  }
} finally {
  await server.stop();
}
