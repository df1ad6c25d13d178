// The butler's day on a tablet: a patrol round walked offline with a finding, a reload mid-round, the finding's
// ticket taken to the end (dispatched, started, done, return-visited, closed), and, once the network is back,
// the round and the ticket on the server and on a second tablet.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { openTablet as openSignedIn, waitForLabels, find, has, tap, typeInto, screenshot, widgets, waitReady, waitSignedIn,
  DEMO_PASSWORD } from './browser.mjs';
import { startServer, basicAuth } from './server.mjs';

let server;
before(async () => { server = await startServer(); });
after(async () => { await server.stop(); });

// The butler's tablet, signed in as the demo butler.
function openTablet(url) { return openSignedIn(url, 'butler'); }

async function opsDocs() {
  const res = await fetch(`${server.url}couch/demo-ops/_all_docs?include_docs=true`, { headers: basicAuth() });
  assert.equal(res.status, 200);
  return (await res.json()).rows.map((r) => r.doc);
}

// A camera-sized JPEG: 4000 × 3000 with gradients, shapes and grain, as a phone photo of a wall has detail.
async function cameraPhoto(page) {
  const b64 = await page.evaluate(async () => {
    const c = document.createElement('canvas');
    c.width = 4000;
    c.height = 3000;
    const g = c.getContext('2d');
    const sky = g.createLinearGradient(0, 0, 4000, 3000);
    sky.addColorStop(0, '#c9d6df');
    sky.addColorStop(1, '#52616b');
    g.fillStyle = sky;
    g.fillRect(0, 0, 4000, 3000);
    let seed = 7;
    const rnd = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
    for (let i = 0; i < 400; i++) {
      g.fillStyle = `hsl(${Math.floor(rnd() * 360)}, 40%, ${30 + Math.floor(rnd() * 50)}%)`;
      g.fillRect(rnd() * 4000, rnd() * 3000, 40 + rnd() * 400, 40 + rnd() * 300);
    }
    const img = g.getImageData(0, 0, 4000, 3000);
    for (let i = 0; i < img.data.length; i += 4) {
      const n = (rnd() - 0.5) * 24;
      img.data[i] += n; img.data[i + 1] += n; img.data[i + 2] += n;
    }
    g.putImageData(img, 0, 0);
    const blob = await new Promise((r) => c.toBlob(r, 'image/jpeg', 0.92));
    const bytes = new Uint8Array(await blob.arrayBuffer());
    let text = '';
    for (let i = 0; i < bytes.length; i += 0x8000) text += String.fromCharCode.apply(null, bytes.subarray(i, i + 0x8000));
    return btoa(text);
  });
  return Buffer.from(b64, 'base64');
}

// A new ticket of `type` (报修, 投诉 …) with its fields (label → text) typed in, as the butler does.
async function newTicket(page, type, fields) {
  await tap(page, '工单');
  await tap(page, '＋ 新建工单');
  await tap(page, type);
  for (const [label, text] of Object.entries(fields)) await typeInto(page, label, text);
}

// Targets a finger can hit: at least 44 CSS px tall.
async function assertFingerSized(page, labels) {
  const all = await widgets(page);
  for (const label of labels) {
    const w = all.find((x) => x.label === label);
    assert.ok(w, `${label} is on screen`);
    assert.ok(w.h >= 44, `${label} is ${w.h} px tall`);
  }
}

test('a round offline with a finding, a reload mid-round, the ticket to the end, then on the server and a second tablet', async () => {
  const a = await openTablet(server.url);
  let b;
  try {
    // Online once: the routes the server seeded come down.
    await tap(a.page, '巡查');
    await waitForLabels(a.page, (l) => l.some((x) => x.startsWith('日常巡查（公共区域）')), 'the demo routes arrive');
    await screenshot(a.page, 'patrol-routes');

    await a.context.setOffline(true);
    await tap(a.page, '开始巡查');  // the first route: the daily public-area round
    await find(a.page, /^已检查 0 \/ \d+$/);
    await assertFingerSized(a.page, ['正常', '有问题', '无法进入', '暂停']);
    await screenshot(a.page, 'patrol-round');
    await tap(a.page, '正常');
    await tap(a.page, '无法进入');
    await find(a.page, /^已检查 2 \//);

    // The tablet is reloaded mid-round (it slept, the browser dropped the tab): the round is still there.
    await a.page.reload();
    await waitReady(a.page);
    await tap(a.page, '巡查');
    await tap(a.page, '继续巡查');
    const progress = await find(a.page, /^已检查 2 \/ (\d+)$/);
    const total = Number(progress.label.match(/\/ (\d+)$/)[1]);

    await tap(a.page, '有问题');
    await typeInto(a.page, '类别', '卫生');
    await typeInto(a.page, '描述', '信报箱区有小广告');
    // A photo as a tablet camera takes it (4000 × 3000, a few MB), through the page's file input.
    const camera = await cameraPhoto(a.page);
    const chooser = a.page.waitForEvent('filechooser');
    await tap(a.page, '拍照');
    await (await chooser).setFiles({ name: 'IMG_0001.jpg', mimeType: 'image/jpeg', buffer: camera });
    await find(a.page, '照片 1 张', { timeout: 20000 });
    await screenshot(a.page, 'patrol-finding');
    await tap(a.page, '保存并生成工单');
    await find(a.page, /^已检查 3 \//);
    await tap(a.page, '暂停');
    await find(a.page, '巡查已暂停');
    await tap(a.page, '继续巡查');
    for (let i = 3; i < total; i++) await tap(a.page, '正常');
    await screenshot(a.page, 'patrol-all-checked');
    await tap(a.page, '完成巡查');
    await find(a.page, `巡查完成：正常 ${total - 2}，问题 1，无法进入 1`);

    // The finding's ticket is in the butler's open items, and goes through every step.
    await tap(a.page, '工单');
    await tap(a.page, '我的待办');
    const row = await find(a.page, /^新建 · 巡查发现 · 大堂 信报箱区 · 卫生 · 信报箱区有小广告/);
    assert.ok(row.h >= 44, 'a list row is finger-sized');
    await screenshot(a.page, 'tickets-mine');
    await tap(a.page, row.label);
    await find(a.page, '首接人：王管家');
    const thumb = await find(a.page, /^photo:photo-.*\.jpg$/, { timeout: 10000 });
    assert.ok(thumb.w > 100 && thumb.h > 50, `the thumbnail is shown (${thumb.w} × ${thumb.h})`);
    await screenshot(a.page, 'ticket-detail-photo');
    // The department from the list, as every tablet names it.
    await tap(a.page, '保洁部');
    await tap(a.page, '派单');
    await find(a.page, /^派往：保洁部/);
    await tap(a.page, '开始处理');
    await tap(a.page, '处理完成');
    // Not closed without a return visit: the butler is not offered a close before it.
    assert.ok(!(await has(a.page, '关闭工单')), 'no close before the return visit');
    await typeInto(a.page, '回访结果', '已清理，业主满意');
    await tap(a.page, '5');
    await tap(a.page, '回访');
    await find(a.page, /^巡查发现 · 已回访/);
    await tap(a.page, '关闭工单');
    await find(a.page, /^巡查发现 · 已关闭/);
    await screenshot(a.page, 'ticket-closed');

    // Back online: everything goes up by itself.
    await a.context.setOffline(false);
    await waitForLabels(a.page, (l) => l.includes('在线'), 'online after reconnecting', 60000);
    let docs = [];
    let ticket;
    for (const deadline = Date.now() + 60000; Date.now() < deadline; await a.page.waitForTimeout(500)) {
      docs = await opsDocs();
      ticket = docs.find((d) => d.type === 'ticket' && d.description === '信报箱区有小广告');
      if (ticket && ticket.timeline.length === 6) break;
    }
    assert.ok(ticket, 'the ticket is on the server');
    assert.deepEqual(ticket.timeline.map((e) => e.what),
      ['create', 'dispatch', 'start', 'done', 'return_visit', 'close']);
    assert.equal(ticket.photos.length, 1);
    const photoName = ticket.photos[0].id;
    const withPhoto = await (await fetch(`${server.url}couch/demo-ops/${encodeURIComponent(ticket._id)}`,
      { headers: basicAuth() })).json();
    const stub = withPhoto._attachments && withPhoto._attachments[photoName];
    assert.ok(stub, 'the photo is on the server');
    assert.equal(stub.content_type, 'image/jpeg');
    assert.ok(stub.length < camera.length / 4, `the photo was downscaled (${camera.length} → ${stub.length} bytes)`);
    console.log(`photo: camera ${camera.length} bytes, synced ${stub.length} bytes`);
    const round = docs.find((d) => d.type === 'patrol_round');
    assert.ok(round.events.some((e) => e.result === 'finding' && e.ticket === ticket._id), 'the round names the ticket');
    assert.ok(round.events.some((e) => e.what === 'finish'));

    // A second tablet pulls the ticket and shows it closed.
    b = await openTablet(server.url);
    await tap(b.page, '工单');
    await tap(b.page, '搜索');
    await typeInto(b.page, 'ticket-search', '小广告');
    await waitForLabels(b.page, (l) => l.some((x) => x.startsWith('已关闭 · 巡查发现')), 'the second tablet shows the ticket');
    await screenshot(b.page, 'tickets-second-tablet');
    await b.page.waitForFunction((id) => { const p = window.stewardTest.photos()[id]; return p && Object.values(p)[0] > 0; },
      ticket._id, { timeout: 30000 });
    const held = await b.page.evaluate((id) => window.stewardTest.photos()[id], ticket._id);
    assert.equal(held[photoName], stub.length, 'the second tablet holds the same photo bytes');
    const listed = (await widgets(b.page)).find((w) => w.label.startsWith('已关闭 · 巡查发现'));
    await tap(b.page, listed.label);
    await find(b.page, `photo:${photoName}`, { timeout: 10000 });
    await screenshot(b.page, 'ticket-detail-second-tablet');
  } finally {
    await a.context.close();
    if (b) await b.context.close();
  }
});

test('a complaint recorded in the form: what is missing is said, then it is saved and listed as mine', async () => {
  const a = await openTablet(server.url);
  try {
    await newTicket(a.page, '投诉', { 楼栋: '5栋', 房号: '801', 报事人: '刘女士', 类别: '噪音', 描述: '楼上装修周末施工' });
    await tap(a.page, '保存工单');
    // A complainant must be answered: no contact, no level, no save.
    await screenshot(a.page, 'ticket-form-errors');
    await find(a.page, '请填写联系电话');
    await find(a.page, '请填写投诉级别');
    await typeInto(a.page, '联系电话', '138 0013 8000');
    await tap(a.page, '二级');
    // It cannot be solved at once: a reply date is agreed with the complainant, instead of the 24 hours.
    await tap(a.page, '约定答复时间');
    await tap(a.page, '保存工单');
    await find(a.page, '请填写答复时限');
    const dayAfter = await find(a.page, /^后天 \d\d-\d\d$/);
    await tap(a.page, dayAfter.label);
    await tap(a.page, '15');
    await tap(a.page, ':00');
    const mmdd = dayAfter.label.split(' ')[1];
    await find(a.page, `已选：${mmdd} 15:00`);
    await tap(a.page, '保存工单');
    await find(a.page, /^投诉 · 新建 · 5栋 801$/);
    await find(a.page, `时限：${mmdd} 15:00`);
    await find(a.page, /约定答复日期$/);
    await find(a.page, '首接人：王管家');
    await find(a.page, '噪音 · 普通 · 刘女士');
    await find(a.page, '138****8000');
    await tap(a.page, '返回');
    await tap(a.page, '我的待办');
    await find(a.page, /^新建 · 投诉 · 5栋 801 · 噪音 · 楼上装修周末施工/);
  } finally {
    await a.context.close();
  }
});

// Tomorrow's date in the site's time zone (China), as the form shows it ("11-24"), and that day at hh:mm.
async function tomorrowAt(page, hhmm) {
  return page.evaluate((time) => {
    const day = new Date(Date.now() + 24 * 3600 * 1000).toLocaleDateString('sv-SE', { timeZone: 'Asia/Shanghai' });
    return { mmdd: day.slice(5), ms: Date.parse(`${day}T${time}:00+08:00`) };
  }, hhmm);
}

test('a scheduled repair with a photo waits for its appointment, then stands out as overdue in every list', async () => {
  const a = await openTablet(server.url);
  try {
    await tap(a.page, '工单');
    await find(a.page, '管家 · 工单');
    // The new ticket is an action beside the lists, finger-sized.
    await assertFingerSized(a.page, ['＋ 新建工单']);
    await newTicket(a.page, '报修', { 楼栋: '7栋', 房号: '1203', 报事人: '孙先生', 联系电话: '13912345678', 类别: '空调',
      描述: '客厅空调不制冷' });
    await tap(a.page, '预约');
    await tap(a.page, '保存工单');
    await find(a.page, '请填写预约时间');
    const { mmdd, ms: appointment } = await tomorrowAt(a.page, '10:30');
    await tap(a.page, `明天 ${mmdd}`);
    await tap(a.page, '10');
    await tap(a.page, ':30');
    await find(a.page, `已选：${mmdd} 10:30`);
    await assertFingerSized(a.page, [`明天 ${mmdd}`, '10', ':30', '拍照']);
    // A photo in the form, the finding's way: the camera, downscaled on the tablet, a thumbnail to check it.
    const camera = await cameraPhoto(a.page);
    const chooser = a.page.waitForEvent('filechooser');
    await tap(a.page, '拍照');
    await (await chooser).setFiles({ name: 'IMG_0002.jpg', mimeType: 'image/jpeg', buffer: camera });
    await find(a.page, '照片 1 张', { timeout: 20000 });
    await find(a.page, /^photo:photo-.*\.jpg$/, { timeout: 10000 });
    await screenshot(a.page, 'ticket-form-scheduled');
    await tap(a.page, '保存工单');
    await find(a.page, /^报修 · 新建 · 7栋 1203$/);
    await find(a.page, /^空调 · 预约 · 孙先生/);
    await find(a.page, `时限：${mmdd} 10:30`);
    await find(a.page, /^photo:photo-.*\.jpg$/, { timeout: 10000 });
    const held = await a.page.evaluate(() => window.stewardTest.photos());
    const [id] = Object.keys(held).filter((k) => Object.values(held[k]).some((b) => b > 0));
    assert.ok(id, 'the photo is stored with the ticket');
    assert.ok(Object.values(held[id])[0] < camera.length / 4, 'downscaled');
    // One texture for the one photo shown; given back when the detail closes.
    assert.equal((await a.page.evaluate(() => window.stewardTest.metrics())).thumbnailTextures, 1);
    await tap(a.page, '返回');
    assert.equal((await a.page.evaluate(() => window.stewardTest.metrics())).thumbnailTextures, 0);
    await tap(a.page, '我的待办');
    await find(a.page, /^新建 · 报修 · 7栋 1203 · 空调/);

    // The appointment passes with nobody on site: overdue, in red, at the top of every list.
    await a.page.clock.setFixedTime(appointment + 5 * 60 * 1000);
    // Hours without a touch: the tablet has locked itself (the site's idle time); the butler unlocks it.
    await a.page.waitForFunction(() => window.stewardTest.session().locked, null, { timeout: 10000 });
    await typeInto(a.page, '密码', DEMO_PASSWORD);
    await tap(a.page, '解锁');
    await waitSignedIn(a.page);
    await find(a.page, /^【超期】新建 · 报修 · 7栋 1203 · 空调/, { timeout: 10000 });
    await tap(a.page, '超期');
    const row = await find(a.page, /^【超期】新建 · 报修 · 7栋 1203 · 空调/);
    await screenshot(a.page, 'tickets-overdue');
    await tap(a.page, row.label);
    await find(a.page, /^【超期】报修 · 新建 · 7栋 1203$/);
  } finally {
    await a.context.close();
  }
});

test('after an offline reload the site name and the last sync are kept; downloads do not wait to upload, a ticket does', async () => {
  const a = await openTablet(server.url);
  try {
    await find(a.page, '滨江壹号售楼处', { timeout: 10000 });
    await waitForLabels(a.page, (l) => l.some((x) => /^上次同步 \d\d:\d\d$/.test(x)), 'synced once');
    await tap(a.page, '巡查');
    await waitForLabels(a.page, (l) => l.some((x) => x.startsWith('日常巡查（公共区域）')), 'the routes arrive');
    await waitForLabels(a.page, (l) => l.includes('全部已上传'), 'nothing waits to upload');

    await a.context.setOffline(true);
    await a.page.reload();
    await waitReady(a.page);
    await find(a.page, '离线');
    await find(a.page, '滨江壹号售楼处');
    await find(a.page, /^上次同步 \d\d:\d\d$/);
    // What it downloaded (the routes, the visits) is on the server already.
    await find(a.page, '全部已上传');
    await screenshot(a.page, 'offline-reload-header');

    // A ticket recorded offline goes into the operations database: it waits, and says so.
    await newTicket(a.page, '咨询', { 楼栋: '1栋', 报事人: '王先生', 类别: '物业费', 描述: '咨询物业费收费标准' });
    await tap(a.page, '保存工单');
    await find(a.page, /^咨询 · 新建 · 1栋$/);
    await find(a.page, '待上传 1 条');
    await a.context.setOffline(false);
    await waitForLabels(a.page, (l) => l.includes('全部已上传'), 'uploaded after reconnecting', 60000);
  } finally {
    await a.context.close();
  }
});
