// The showroom host's day, as a person does it: pointer and keyboard on the canvas, widgets found through the
// test hook. Every test uses the real server binary and Debian's Chromium with its own profile.
import { test, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import {
  launch, freshProfileDir, openTablet, registerVisit, signIn, waitReady, waitSignedIn, waitIdle, find, has, tap, typeInto, screenshot,
  widgets,
} from './browser.mjs';
import { startServer } from './server.mjs';

// Tablets sync with the server by themselves: every test gets its own server, so none sees another's visits.
let server;
beforeEach(async () => { server = await startServer(); });
afterEach(async () => { await server.stop(); });

// The showroom's tablet, signed in as the demo host (once per profile: a restart keeps the session).
function open(profileDir, options) { return openTablet(server.url, 'host', { profileDir, ...options }); }

const register = registerVisit;

async function todayLabels(page) {
  await tap(page, '今日来访');
  return (await widgets(page)).map((w) => w.label);
}

test('registers visitors, shows them masked in today\'s list, and keeps them across a reload', async () => {
  const { context, page } = await open(freshProfileDir());
  try {
    await register(page, { name: '张伟', phone: '13812345678', plate: '粤B12345', party: 3 });
    await register(page, { name: '李娜', phone: '139 0000 1111', channel: '网络' });
    let labels = await todayLabels(page);
    assert.ok(labels.includes('张伟'), labels.join('|'));
    assert.ok(labels.includes('李娜'));
    assert.ok(labels.includes('138****5678'), 'phone masked in the list');
    assert.ok(!labels.some((l) => l.includes('13812345678')), 'full phone never shown in the list');
    assert.ok(labels.includes('粤B12345'));
    await screenshot(page, 'today-list');

    // Search by phone digits, by plate, by name.
    for (const [query, expected, hidden] of [['5678', '张伟', '李娜'], ['粤b123', '张伟', '李娜'], ['李', '李娜', '张伟']]) {
      await typeInto(page, '搜索姓名、手机号或车牌', query);
      const found = (await widgets(page)).map((w) => w.label);
      assert.ok(found.includes(expected) && !found.includes(hidden), `search ${query}: ${found.join('|')}`);
      await page.keyboard.press('Control+A');
      await page.keyboard.press('Backspace');
      await waitIdle(page);
    }

    await page.reload();
    await waitReady(page);
    labels = await todayLabels(page);
    assert.ok(labels.includes('张伟') && labels.includes('李娜'), 'visits survive a reload');
  } finally {
    await context.close();
  }
});

test('bad input gets a clear message in the UI language and is not saved', async () => {
  const { context, page } = await open(freshProfileDir());
  try {
    await typeInto(page, '姓名', '王芳');
    await typeInto(page, '手机号', '12345');
    await typeInto(page, '车牌号', 'ABC');
    await tap(page, '保存登记');
    await find(page, '手机号应为11位大陆手机号码，如 13812345678');
    await find(page, '车牌号格式不对，如 粤B12345 或新能源 粤BD12345');
    await find(page, '请选择来源渠道');
    await screenshot(page, 'validation');
    const labels = await todayLabels(page);
    assert.ok(labels.includes('今天还没有来访登记'), 'nothing was saved');
  } finally {
    await context.close();
  }
});

test('a repeat visitor is recognised by phone, with the visit count', async () => {
  const { context, page } = await open(freshProfileDir());
  try {
    await register(page, { name: '陈静', phone: '13711112222' });
    await tap(page, '登记来访');
    await typeInto(page, '手机号', '13711112222');
    await find(page, '复访 · 第2次');
    await find(page, /^上次来访：\d{4}-\d{2}-\d{2} 陈静$/);
    await typeInto(page, '姓名', '陈静');
    await tap(page, '朋友介绍');
    await tap(page, '保存登记');
    await find(page, '已保存：陈静 · 复访 · 第2次', { timeout: 8000 });
    const labels = await todayLabels(page);
    assert.ok(labels.includes('复访 · 第2次'));
    assert.ok(labels.includes('首访'));
  } finally {
    await context.close();
  }
});

test('receiving and departure are recorded, and the day summary counts them', async () => {
  const { context, page } = await open(freshProfileDir());
  try {
    await register(page, { name: '刘洋', phone: '13600001111', party: 2, channel: '老带新' });
    await register(page, { name: '赵敏', phone: '13600002222' });
    await tap(page, '今日来访');
    const receive = (await widgets(page)).filter((w) => w.label === '接待');
    assert.equal(receive.length, 2);
    await page.mouse.click(receive[0].x + receive[0].w / 2, receive[0].y + receive[0].h / 2);
    await waitIdle(page);
    await find(page, /^由哪位置业顾问接待 /);
    await screenshot(page, 'receive-popup');
    await tap(page, '陈浩');
    await find(page, '接待中（陈浩）');
    // A consultant not on the roster can be typed in.
    await tap(page, '接待');
    await typeInto(page, '其他置业顾问', '周婷');
    await tap(page, '确定');
    await find(page, '接待中（周婷）');
    assert.ok(!(await has(page, '接待')), 'both visitors are received');
    const depart = (await widgets(page)).filter((w) => w.label === '离开');
    await page.mouse.click(depart[0].x + depart[0].w / 2, depart[0].y + depart[0].h / 2);
    await waitIdle(page);
    await find(page, '已离开');
    await tap(page, '今日统计');
    const summary = await widgets(page);
    await screenshot(page, 'summary');
    const labels = summary.map((w) => w.label);
    assert.ok(labels.includes('来访组数') && labels.includes('来访人数'));
    const tile = (label) => {
      const l = summary.find((w) => w.label === label);
      // The number is drawn right above its label.
      return summary.filter((w) => Math.abs(w.x - l.x) < 2 && w.y < l.y && /^\d+$/.test(w.label))
        .sort((a, b) => b.y - a.y)[0].label;
    };
    assert.equal(tile('来访组数'), '2');
    assert.equal(tile('来访人数'), '3');
    assert.equal(tile('接待中'), '1');
    assert.equal(tile('已离开'), '1');
    assert.equal(tile('首访'), '2');
  } finally {
    await context.close();
  }
});

test('offline: with the network cut and the server stopped, a reload starts the app with its data and saves', async () => {
  const own = await startServer();
  const context = await launch(freshProfileDir());
  const page = context.pages()[0] || (await context.newPage());
  try {
    await page.goto(own.url);
    await waitReady(page);
    await signIn(page, 'host');
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 15000 })
      .catch(async () => { await page.reload(); await waitReady(page); });
    await register(page, { name: '孙丽', phone: '13500001234' });

    await own.stop();
    await context.setOffline(true);
    await page.reload();
    await waitReady(page);
    let labels = await todayLabels(page);
    assert.ok(labels.includes('孙丽'), 'data is there offline');
    await register(page, { name: '周杰', phone: '13500005678' });
    labels = await todayLabels(page);
    assert.ok(labels.includes('周杰'));
    await screenshot(page, 'offline');
  } finally {
    await context.close();
    await own.stop();
  }
});

test('restarting the browser on the same profile keeps the data', async () => {
  const profile = freshProfileDir();
  let { context, page } = await open(profile);
  await register(page, { name: '吴昊', phone: '13311112222' });
  await context.close();
  ({ context, page } = await open(profile));
  try {
    const labels = await todayLabels(page);
    assert.ok(labels.includes('吴昊'));
  } finally {
    await context.close();
  }
});

test('a second tab is refused as writer and does not write', async () => {
  const { context, page } = await open(freshProfileDir());
  try {
    await register(page, { name: '郑爽', phone: '13211112222' });
    const second = await context.newPage();
    await second.goto(server.url);
    await waitReady(second);
    await find(second, /管家已在另一个标签页中打开/);
    await screenshot(second, 'second-tab');
    const labels = await todayLabels(second);
    assert.ok(labels.includes('郑爽'), 'the second tab can still read');
    await tap(second, '登记来访');
    await tap(second, '姓名');
    await second.keyboard.insertText('不该保存');
    await tap(second, '保存登记');
    await waitIdle(second);
    assert.ok(!(await has(second, /^已保存/)), 'the read-only tab saved nothing');
    await second.close();
  } finally {
    await context.close();
  }
});

test('a full disk (quota) keeps the record on screen with a clear message, and retry saves it', async () => {
  const { context, page } = await open(freshProfileDir());
  try {
    // A full disk, as IndexedDB reports it: every write refused with a QuotaExceededError. (Chromium 156 here no
    // longer applies CDP's Storage.overrideQuotaForOrigin: navigator.storage.estimate() keeps the real quota and
    // writes go through, so the refusal is made at the IndexedDB API the app calls, until the disk is "freed".)
    await page.evaluate(() => {
      const put = IDBObjectStore.prototype.put;
      window.__diskFull = true;
      IDBObjectStore.prototype.put = function (...args) {
        if (window.__diskFull) throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
        return put.apply(this, args);
      };
    });
    await typeInto(page, '姓名', '冯刚');
    await typeInto(page, '手机号', '13099998888');
    await tap(page, '广告');
    await tap(page, '保存登记');
    await find(page, /平板存储空间已满/, { timeout: 8000 });
    await screenshot(page, 'quota');
    assert.ok(await has(page, '重试保存'));
    await page.evaluate(() => { window.__diskFull = false; });
    await tap(page, '重试保存');
    await find(page, /^已保存：冯刚/, { timeout: 8000 });
    // It is on the tablet: after a reload it is listed.
    await page.reload();
    await waitReady(page);
    await waitSignedIn(page);
    await tap(page, '今日来访');
    await find(page, '冯刚', { timeout: 8000 });
  } finally {
    await context.close();
  }
});

test('English can be chosen and the choice persists', async () => {
  const profile = freshProfileDir();
  let { context, page } = await open(profile);
  await tap(page, 'English');
  await find(page, 'Save visit');
  await context.close();
  ({ context, page } = await open(profile));
  try {
    await find(page, 'Save visit');
    await screenshot(page, 'english');
    await tap(page, '中文');
    await find(page, '保存登记');
  } finally {
    await context.close();
  }
});

test('landscape and portrait tablets at 2x: every target is finger-sized', async () => {
  for (const [name, viewport] of [['landscape', { width: 1280, height: 800 }], ['portrait', { width: 800, height: 1280 }]]) {
    const { context, page } = await open(freshProfileDir(), { viewport, deviceScaleFactor: 2 });
    try {
      const all = await widgets(page);
      const buttons = all.filter((w) => ['登记来访', '今日来访', '今日统计', '保存登记', '自然到访', '姓名', '手机号', 'English', '退出登录'].includes(w.label));
      assert.equal(buttons.length, 9, all.map((w) => w.label).join('|'));
      for (const b of buttons) assert.ok(b.h >= 44, `${b.label} is ${b.h} px tall`);
      for (const b of all) assert.ok(b.x >= 0 && b.x + b.w <= viewport.width + 1, `${b.label} fits the width`);
      const save = buttons.find((b) => b.label === '保存登记');
      assert.ok(save.y + save.h <= viewport.height, 'the save button is in view without scrolling');
      await screenshot(page, `register-${name}-2x`);
    } finally {
      await context.close();
    }
  }
});
