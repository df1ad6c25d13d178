// The supervisor's screens on a tablet: the service targets over seeded tickets (figures against their targets,
// 无数据 for an empty period, the tickets that pull a figure down, per person) and their CSV download; the route
// editor, whose saved route reaches a butler's tablet while the butler's round under way keeps its own route.
// Each tablet signs in as a demo person: the butler (`butler`, 王管家) or the supervisor (`supervisor`, 周主管).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { launch, freshProfileDir, waitReady, waitForLabels, find, has, tap, tapInRow, screenshot, widgets, waitIdle,
  signIn } from './browser.mjs';
import { startServer, basicAuth } from './server.mjs';

let server;
before(async () => { server = await startServer(); });
after(async () => { await server.stop(); });

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
// Wednesday 2024-03-13 15:00 in China: the week runs from Monday 03-11 to Sunday 03-17.
const NOW = Date.parse('2024-03-13T15:00:00+08:00');
const at = (text) => Date.parse(`${text}+08:00`);

async function openTablet(label, { fixedTime, user = 'butler' } = {}) {
  const context = await launch(freshProfileDir(label));
  const page = context.pages()[0] || (await context.newPage());
  page.on('pageerror', (e) => console.log('pageerror:', e.message));
  if (fixedTime) await page.clock.setFixedTime(fixedTime);
  await page.goto(server.url);
  await waitReady(page);
  await signIn(page, user);
  return { context, page };
}

// A ticket document as the app writes it (core::to_json), its timeline given as [what, at, fields] steps.
function ticketDoc(id, { type, owner, created, building, unit, category, description, priority = 'normal', level = 0,
  steps = [] }) {
  const timeline = [{ id: `${id}-create`, at: created, by: owner, role: 'butler', what: 'create' }];
  steps.forEach(([what, when, fields = {}], i) => {
    timeline.push({ id: `${id}-${i}`, at: when, by: owner, role: 'butler', what, ...fields });
  });
  return {
    _id: `ticket:${id}`, type: 'ticket', site: 'demo', ticket_type: type, building, unit, place: '', reporter: '业主',
    contact: '13800138000', category, description, photos: [], priority, appointment_ms: 0, complaint_level: level,
    owner, created_ms: created, repeat_of: '', repeat_count: 0, patrol_round: '', timeline,
  };
}

// The week's tickets: one repair on time and visited (5), one started an hour late and never visited; a complaint
// answered in time (visit scored 2), one left unanswered for 30 hours.
const SEEDED = [
  ticketDoc('t-ontime', { type: 'repair', owner: '王管家', created: at('2024-03-11T09:00:00'), building: '1栋',
    unit: '101', category: '水电', description: '卫生间漏水', priority: 'emergency', steps: [
      ['dispatch', at('2024-03-11T09:05:00'), { department: '工程部' }], ['start', at('2024-03-11T09:20:00')],
      ['done', at('2024-03-11T10:00:00')],
      ['return_visit', at('2024-03-11T11:00:00'), { outcome: '已修好', satisfaction: 5, comment: '' }]] }),
  ticketDoc('t-late', { type: 'repair', owner: '王管家', created: at('2024-03-12T10:00:00'), building: '2栋',
    unit: '202', category: '门窗', description: '入户门锁坏了', priority: 'emergency', steps: [
      ['dispatch', at('2024-03-12T10:05:00'), { department: '工程部' }], ['start', at('2024-03-12T11:30:00')],
      ['done', at('2024-03-12T12:00:00')]] }),
  ticketDoc('c-answered', { type: 'complaint', owner: '李管家', created: at('2024-03-11T14:00:00'), building: '3栋',
    unit: '303', category: '噪音', description: '楼上装修噪音', level: 2, steps: [
      ['dispatch', at('2024-03-11T14:30:00'), { department: '秩序部' }], ['start', at('2024-03-11T15:00:00')],
      ['reply', at('2024-03-11T16:00:00')], ['done', at('2024-03-11T18:00:00')],
      ['return_visit', at('2024-03-12T09:00:00'), { outcome: '已处理，仍不太满意', satisfaction: 2, comment: '' }]] }),
  ticketDoc('c-waiting', { type: 'complaint', owner: '李管家', created: at('2024-03-12T09:00:00'), building: '5栋',
    unit: '501', category: '停车', description: '车位被占', level: 1 }),
];

async function seed(docs) {
  const res = await fetch(`${server.url}couch/demo-ops/_bulk_docs`, {
    method: 'POST', headers: { 'Content-Type': 'application/json', ...basicAuth('supervisor') }, body: JSON.stringify({ docs }) });
  assert.equal(res.status, 201);
}

// What a figure's card shows: the texts drawn inside it.
async function card(page, name) {
  const all = await widgets(page);
  const box = all.filter((w) => w.label === name).sort((a, b) => b.w * b.h - a.w * a.h)[0];
  assert.ok(box, `the ${name} card is on screen`);
  return all.filter((w) => w !== box && w.x >= box.x && w.y >= box.y && w.x + w.w <= box.x + box.w + 1 &&
    w.y + w.h <= box.y + box.h + 1).map((w) => w.label);
}

async function cardShows(page, name, expected) {
  const deadline = Date.now() + 30000;
  let texts = [];
  while (Date.now() < deadline) {
    texts = await card(page, name);
    if (expected.every((e) => texts.includes(e))) return texts;
    await page.waitForTimeout(250);
  }
  assert.fail(`the ${name} card shows ${expected.join(', ')}; it shows ${texts.join(' | ')}`);
}

test('the supervisor reads the week\'s targets, opens what pulls them down, and downloads them as CSV for Excel', async () => {
  await seed(SEEDED);
  const butler = await openTablet('butler-targets', { fixedTime: NOW });
  try {
    // A butler is not shown the supervisor's screens.
    await find(butler.page, '工单');
    assert.ok(!(await has(butler.page, '服务指标')), 'no targets tab for a butler');
    assert.ok(!(await has(butler.page, '巡查路线')), 'no route editor for a butler');
  } finally {
    await butler.context.close();
  }
  const { context, page } = await openTablet('supervisor', { fixedTime: NOW, user: 'supervisor' });
  try {
    await tap(page, '服务指标');
    await find(page, '管家 · 服务指标');
    await find(page, '2024-03-11 至 2024-03-17');
    await cardShows(page, '维修及时率', ['50.0%', '目标 ≥95%', '达标 1 / 2']);
    await cardShows(page, '回访率', ['66.7%', '目标 100%', '达标 2 / 3']);
    await cardShows(page, '有效投诉处理率', ['50.0%', '达标 1 / 2']);
    await cardShows(page, '满意率', ['50.0%', '平均 3.5 分']);
    // The trend's last bar is this week's.
    await find(page, '03-11 · 50.0%');
    await screenshot(page, 'targets-week');

    // The repair started late pulls timeliness down; a tap opens it, and back returns here.
    const late = await find(page, /^报修 · 2栋 202 · 门窗 · 超时 1小时 · 王管家$/);
    assert.ok(late.h >= 44, 'an item is finger-sized');
    await tap(page, late.label);
    await find(page, '管家 · 工单');
    await find(page, /^报修 · 已完成 · 2栋 202$/);
    await tap(page, '返回');
    await find(page, '管家 · 服务指标');
    await tap(page, '回访率');
    await find(page, /^报修 · 2栋 202 · 门窗 · 未回访 · 王管家$/);
    await tap(page, '有效投诉处理率');
    await find(page, /^投诉 · 5栋 501 · 停车 · 未处理，已超时 6小时 · 李管家$/);
    await tap(page, '满意率');
    await find(page, /^投诉 · 3栋 303 · 噪音 · 满意度 2 分 · 李管家$/);

    // One person's figures: 王管家 had no complaints this week, so no data, not 0% or 100%.
    await tap(page, '王管家');
    await cardShows(page, '有效投诉处理率', ['无数据', '达标 0 / 0']);
    await cardShows(page, '回访率', ['50.0%']);
    await tap(page, '全部人员');
    // Today nothing happened: every figure says so.
    await tap(page, '日');
    for (const name of ['维修及时率', '回访率', '有效投诉处理率', '满意率']) await cardShows(page, name, ['无数据']);
    await screenshot(page, 'targets-empty-day');
    await tap(page, '周');
    await cardShows(page, '维修及时率', ['50.0%']);

    // The CSV: the bytes the browser saved.
    const downloading = page.waitForEvent('download');
    await tap(page, '下载指标 CSV');
    const download = await downloading;
    assert.equal(download.suggestedFilename(), '服务指标_2024-01-22_2024-03-17.csv');
    const bytes = fs.readFileSync(await download.path());
    assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'UTF-8 with a BOM, so Excel reads Chinese');
    const text = bytes.subarray(3).toString('utf8');
    assert.ok(!text.includes('\ufffd'), 'valid UTF-8 throughout');
    const lines = text.split('\r\n');
    assert.equal(lines.pop(), '', 'every line ends with CRLF');
    assert.equal(lines[0], '范围,周期,开始日期,结束日期,指标,目标,达标,统计,结果,是否达标,拉低指标的工单');
    // Eight weeks, each for the site and the two people, each with four figures and the average score.
    assert.equal(lines.length, 1 + 8 * 3 * 5);
    const week = (scope, rest) => `${scope},周,2024-03-11,2024-03-17,${rest}`;
    for (const line of [
      week('滨江壹号售楼处', '维修及时率,≥95%,1,2,50.0%,未达标,ticket:t-late'),
      week('滨江壹号售楼处', '回访率,100%,2,3,66.7%,未达标,ticket:t-late'),
      week('滨江壹号售楼处', '有效投诉处理率,100%,1,2,50.0%,未达标,ticket:c-waiting'),
      week('滨江壹号售楼处', '满意率,≥95%,1,2,50.0%,未达标,ticket:c-answered'),
      week('滨江壹号售楼处', '平均满意度(1-5),,7,2,3.50,,ticket:c-answered'),
      week('王管家', '有效投诉处理率,100%,0,0,无数据,无数据,'),
      week('李管家', '回访率,100%,1,1,100.0%,达标,'),
      '滨江壹号售楼处,周,2024-03-04,2024-03-10,维修及时率,≥95%,0,0,无数据,无数据,',
    ]) assert.ok(lines.includes(line), `the CSV has: ${line}`);
    await find(page, '已下载：服务指标_2024-01-22_2024-03-17.csv');

    // The week's tickets, every field, Chinese intact.
    const ticketsDownload = page.waitForEvent('download');
    await tap(page, '下载工单明细 CSV');
    const tickets = fs.readFileSync(await (await ticketsDownload).path());
    assert.deepEqual([...tickets.subarray(0, 3)], [0xef, 0xbb, 0xbf]);
    const ticketLines = tickets.subarray(3).toString('utf8').split('\r\n').filter((l) => l);
    assert.equal(ticketLines.length, 1 + SEEDED.length);
    assert.ok(ticketLines[0].startsWith('工单号,类型,状态,楼栋,房号,'));
    assert.ok(ticketLines.some((l) => l.startsWith('ticket:c-waiting,投诉,新建,5栋,501,,业主,138****8000,停车,车位被占,')));
  } finally {
    await context.close();
  }
});

test('a supervisor edits a route; a butler\'s tablet gets it, and the round the butler is walking keeps its own', async () => {
  const butler = await openTablet('butler');
  const supervisor = await openTablet('route-editor', { user: 'supervisor' });
  try {
    // The butler starts the daily round and checks the first checkpoint.
    await tap(butler.page, '巡查');
    await waitForLabels(butler.page, (l) => l.some((x) => x.startsWith('日常巡查（公共区域）')), 'the routes arrive');
    const daily = (await widgets(butler.page)).find((w) => w.label.startsWith('日常巡查（公共区域） · '));
    const total = Number(daily.label.split(' · ')[1]);
    await tapInRow(butler.page, daily.label, '开始巡查');
    await tap(butler.page, '正常');
    await find(butler.page, `已检查 1 / ${total}`);

    // The supervisor: a roof area first, with a checkpoint and its check; the decoration floors removed.
    await tap(supervisor.page, '巡查路线');
    await find(supervisor.page, '管家 · 巡查路线');
    await waitForLabels(supervisor.page, (l) => l.includes('日常巡查（公共区域）'), 'the routes arrive');
    await tap(supervisor.page, '日常巡查（公共区域）');
    const areas = (await widgets(supervisor.page)).filter((w) => /^area-\d+$/.test(w.label)).length;
    assert.equal(areas, 7);
    await screenshot(supervisor.page, 'route-editor-start');
    await replaceText(supervisor.page, 'route-name', '日常巡查（含天台）');
    await find(supervisor.page, '有未保存的修改');
    await tap(supervisor.page, '＋ 添加区域');
    await replaceText(supervisor.page, 'area-7', '天台');
    await tap(supervisor.page, '＋ 添加检查点');
    await replaceText(supervisor.page, 'checkpoint-0', '天台门');
    await tap(supervisor.page, '＋ 添加检查项');
    await replaceText(supervisor.page, 'check-0', '门已上锁');
    for (let i = 7; i > 0; i--) await tapBeside(supervisor.page, `area-${i}`, '↑');
    // 装修楼层 was last; now, after the roof went first, still last: removed.
    await tapBeside(supervisor.page, 'area-7', '×');
    assert.equal((await widgets(supervisor.page)).filter((w) => /^area-\d+$/.test(w.label)).length, 7);
    await screenshot(supervisor.page, 'route-editor');
    await tap(supervisor.page, '保存路线');
    await find(supervisor.page, /^已保存/);
    await find(supervisor.page, /^上次修改：周主管 /);

    // On the server: the same document, its next revision.
    let doc;
    for (const deadline = Date.now() + 30000; Date.now() < deadline; await supervisor.page.waitForTimeout(300)) {
      doc = await (await fetch(`${server.url}couch/demo-ops/${encodeURIComponent('patrol_template:demo-daily')}`, { headers: basicAuth('supervisor') })).json();
      if (doc.name === '日常巡查（含天台）') break;
    }
    assert.equal(doc.name, '日常巡查（含天台）');
    assert.ok(Number(doc._rev.split('-')[0]) >= 2, `a new revision (${doc._rev})`);
    assert.equal(doc.edited_by, '周主管');
    assert.deepEqual(doc.areas.map((a) => a.name), ['天台', '大堂', '电梯厅', '消防通道', '地下车库', '设备房', '绿化']);
    assert.deepEqual(doc.areas[0].checkpoints.map((c) => [c.name, c.checks]), [['天台门', ['门已上锁']]]);

    // The butler's round under way: unchanged. The new route is there for the next round.
    await butler.page.waitForTimeout(1000);
    await find(butler.page, `已检查 1 / ${total}`);
    await tap(butler.page, '返回');
    const renamed = await find(butler.page, `日常巡查（含天台） · ${total}`, { timeout: 30000 });
    await tapInRow(butler.page, renamed.label, '开始巡查');
    await find(butler.page, '天台 · 天台门');
    await find(butler.page, '· 门已上锁');
    assert.ok(!(await has(butler.page, '巡查路线')), 'the butler has no route editor');
    await screenshot(butler.page, 'route-on-butler-tablet');
  } finally {
    await butler.context.close();
    await supervisor.context.close();
  }
});

test('a supervisor deletes a route: it leaves every tablet and the server, and the round walked on it goes on', async () => {
  const butler = await openTablet('butler-delete');
  const supervisor = await openTablet('route-delete', { user: 'supervisor' });
  try {
    await tap(butler.page, '巡查');
    await waitForLabels(butler.page, (l) => l.some((x) => x.startsWith('空置楼层巡查 · ')), 'the routes arrive');
    const vacant = (await widgets(butler.page)).find((w) => w.label.startsWith('空置楼层巡查 · '));
    const total = Number(vacant.label.split(' · ')[1]);
    await tapInRow(butler.page, vacant.label, '开始巡查');
    await tap(butler.page, '正常');
    await find(butler.page, `已检查 1 / ${total}`);

    await tap(supervisor.page, '巡查路线');
    await waitForLabels(supervisor.page, (l) => l.includes('空置楼层巡查'), 'the routes arrive');
    await tap(supervisor.page, '空置楼层巡查');
    await tap(supervisor.page, '删除路线');
    await find(supervisor.page, /^删除路线「空置楼层巡查」？/);
    await screenshot(supervisor.page, 'route-delete-confirm');
    await tap(supervisor.page, '取消');
    assert.ok(await has(supervisor.page, '空置楼层巡查'), 'cancelled: the route is still there');
    await tap(supervisor.page, '删除路线');
    await tap(supervisor.page, '确定删除');
    await find(supervisor.page, '路线已删除');
    assert.ok(!(await has(supervisor.page, '空置楼层巡查')), 'gone from the editor');

    // On the server: a tombstone, as CouchDB keeps a deletion.
    let answer;
    for (const deadline = Date.now() + 30000; Date.now() < deadline; await supervisor.page.waitForTimeout(300)) {
      answer = await fetch(`${server.url}couch/demo-ops/${encodeURIComponent('patrol_template:demo-vacant')}`, { headers: basicAuth('supervisor') });
      if (answer.status === 404) break;
    }
    assert.equal(answer.status, 404);
    assert.equal((await answer.json()).reason, 'deleted');

    // The butler's round goes on; no new round can start on the route.
    await butler.page.waitForTimeout(1000);
    await find(butler.page, `已检查 1 / ${total}`);
    await tap(butler.page, '正常');
    await find(butler.page, `已检查 2 / ${total}`);
    await tap(butler.page, '返回');
    await waitForLabels(butler.page, (l) => !l.includes(vacant.label), 'the deleted route leaves the butler\'s tablet', 30000);
    await screenshot(butler.page, 'route-deleted-on-butler-tablet');
  } finally {
    await butler.context.close();
    await supervisor.context.close();
  }
});

test('a route deleted on another tablet while a supervisor edits it: the edits are kept and saved as a new route', async () => {
  const editing = await openTablet('route-edit-during-delete', { user: 'supervisor' });
  const deleting = await openTablet('route-delete-elsewhere', { user: 'supervisor' });
  try {
    for (const t of [editing, deleting]) {
      await tap(t.page, '巡查路线');
      await waitForLabels(t.page, (l) => l.includes('日常巡查（含天台）'), 'the routes arrive');
      await tap(t.page, '日常巡查（含天台）');
    }
    await replaceText(editing.page, 'route-name', '日常巡查（夜班）');
    await find(editing.page, '有未保存的修改');
    await tap(deleting.page, '删除路线');
    await tap(deleting.page, '确定删除');
    await find(deleting.page, '路线已删除');

    await find(editing.page, /^此路线已在其他平板上被删除/, { timeout: 30000 });
    await screenshot(editing.page, 'route-deleted-while-editing');
    await tap(editing.page, '保存路线');
    await find(editing.page, /^已保存/);
    const routes = [];
    for (const deadline = Date.now() + 30000; Date.now() < deadline; await editing.page.waitForTimeout(300)) {
      const all = await (await fetch(`${server.url}couch/demo-ops/_all_docs?include_docs=true`, { headers: basicAuth('supervisor') })).json();
      routes.splice(0, routes.length, ...all.rows.filter((r) => r.id.startsWith('patrol_template:')).map((r) => r.doc));
      if (routes.some((d) => d.name === '日常巡查（夜班）')) break;
    }
    const night = routes.find((d) => d.name === '日常巡查（夜班）');
    assert.ok(night, routes.map((d) => d.name).join('|'));
    assert.notEqual(night._id, 'patrol_template:demo-daily', 'a new route, not the deleted one brought back');
    assert.ok(night.areas.length > 0, 'with the areas that were being edited');
  } finally {
    await editing.context.close();
    await deleting.context.close();
  }
});

test('a supervisor moves a checkpoint filed under the wrong area to the right one', async () => {
  // A route of its own, so the tests before this one (which rename and delete routes) do not matter here.
  const route = {
    _id: 'patrol_template:move-test', type: 'patrol_template', site: 'demo', name: '设备巡查',
    areas: [
      { key: 'b1', name: '地下一层', checkpoints: [{ key: 'pump', name: '水泵房', checks: ['无漏水'] },
        { key: 'elev-room', name: '电梯机房', checks: ['温度正常', '门已上锁'] }] },
      { key: 'roof', name: '屋顶', checkpoints: [{ key: 'tank', name: '水箱', checks: ['盖板完好'] }] },
    ],
  };
  await seed([route]);
  const supervisor = await openTablet('route-move-checkpoint', { user: 'supervisor' });
  try {
    await tap(supervisor.page, '巡查路线');
    await waitForLabels(supervisor.page, (l) => l.includes('设备巡查'), 'the route arrives');
    await tap(supervisor.page, '设备巡查');
    // 电梯机房 is on the roof, not in the basement: choose it, then its new area.
    await tap(supervisor.page, 'checkpoint-1');
    await find(supervisor.page, '检查项 · 电梯机房');
    await tap(supervisor.page, '移到其他区域…');
    await find(supervisor.page, '把检查点「电梯机房」移到：');
    assert.ok(!(await has(supervisor.page, '地下一层')), 'the area it is in is not offered');
    await screenshot(supervisor.page, 'route-move-checkpoint');
    await tap(supervisor.page, '屋顶');
    // It is now the roof's second checkpoint, still chosen, with its checks.
    await find(supervisor.page, '检查点 · 屋顶');
    await find(supervisor.page, '检查项 · 电梯机房');
    await find(supervisor.page, '有未保存的修改');
    await tap(supervisor.page, '保存路线');
    await find(supervisor.page, /^已保存/);

    let doc;
    for (const deadline = Date.now() + 30000; Date.now() < deadline; await supervisor.page.waitForTimeout(300)) {
      doc = await (await fetch(`${server.url}couch/demo-ops/patrol_template%3Amove-test`, { headers: basicAuth('supervisor') })).json();
      if (doc._rev && !doc._rev.startsWith('1-')) break;
    }
    assert.deepEqual(doc.areas.map((a) => [a.name, a.checkpoints.map((c) => c.name)]),
      [['地下一层', ['水泵房']], ['屋顶', ['水箱', '电梯机房']]]);
    assert.deepEqual(doc.areas[1].checkpoints[1], route.areas[0].checkpoints[1], 'its key and checks went with it');
  } finally {
    await supervisor.context.close();
  }
});

// A patrol round as the app writes it (core::to_json): started by `patroller` at `started`, then [what, at, fields]
// events; the route is two checkpoints.
function roundDoc(id, { patroller, started, events }) {
  const route = [{ key: 'lobby', name: '大堂', checkpoints: [{ key: 'door', name: '大门', checks: ['门禁正常'] },
    { key: 'hall', name: '大厅', checks: ['地面清洁'] }] }];
  return {
    _id: `patrol_round:${id}`, type: 'patrol_round', site: 'demo', template: 'patrol_template:review-test',
    template_name: '审阅测试路线', patroller, route,
    events: [{ id: `${id}-start`, at: started, by: patroller, what: 'start' },
      ...events.map(([what, when, fields = {}], i) => ({ id: `${id}-${i}`, at: when, by: patroller, what, ...fields }))],
  };
}

test('the supervisor reviews last week\'s rounds: a finished one is reviewed and archived, an unfinished one is shown as such', async () => {
  await seed([
    roundDoc('review-done', { patroller: '王管家', started: at('2024-03-06T09:00:00'), events: [
      ['result', at('2024-03-06T09:10:00'), { checkpoint: 'door', result: 'pass' }],
      ['result', at('2024-03-06T09:20:00'), { checkpoint: 'hall', result: 'not_accessible', note: '锁着' }],
      ['finish', at('2024-03-06T09:30:00')]] }),
    roundDoc('review-open', { patroller: '李管家', started: at('2024-03-08T14:00:00'), events: [
      ['result', at('2024-03-08T14:05:00'), { checkpoint: 'door', result: 'pass' }]] }),
    roundDoc('review-this-week', { patroller: '王管家', started: at('2024-03-12T09:00:00'), events: [] }),
  ]);
  const supervisor = await openTablet('patrol-review', { fixedTime: NOW, user: 'supervisor' });
  try {
    await tap(supervisor.page, '巡查');
    await tap(supervisor.page, '每周审阅');
    // Last week by default: what the Monday meeting goes through.
    await find(supervisor.page, '巡查审阅  2024-03-04 至 2024-03-10');
    await waitForLabels(supervisor.page, (l) => l.includes('已审阅 0 / 2'), 'the week\'s two rounds arrive');
    await find(supervisor.page, '审阅测试路线 · 王管家 · 03-06 09:00');
    await find(supervisor.page, '正常 1 · 有问题 0 · 无法进入 1 · 用时 30分钟');
    await find(supervisor.page, '审阅测试路线 · 李管家 · 03-08 14:00');
    await find(supervisor.page, '未完成 · 已检查 1 / 2');
    assert.ok(!(await has(supervisor.page, '审阅测试路线 · 王管家 · 03-12 09:00')), 'this week\'s round is not listed');
    await screenshot(supervisor.page, 'patrol-weekly-review');
    // One review button: the unfinished round cannot be reviewed.
    assert.equal((await widgets(supervisor.page)).filter((w) => w.label === '审阅归档').length, 1);
    await tap(supervisor.page, '审阅归档');
    await find(supervisor.page, '已审阅归档 · 周主管 · 03-13 15:00');
    await find(supervisor.page, '已审阅 1 / 2');
    assert.ok(!(await has(supervisor.page, '审阅归档')), 'nothing left to review');

    let doc;
    for (const deadline = Date.now() + 30000; Date.now() < deadline; await supervisor.page.waitForTimeout(300)) {
      doc = await (await fetch(`${server.url}couch/demo-ops/patrol_round%3Areview-done`, { headers: basicAuth('supervisor') })).json();
      if (doc.events.some((e) => e.what === 'review')) break;
    }
    const review = doc.events.find((e) => e.what === 'review');
    assert.ok(review, 'the review reached the server');
    assert.equal(review.by, '周主管');
    assert.equal(review.at, NOW);

    // This week's round is a tap away, not finished yet.
    await tap(supervisor.page, '下一周 ›');
    await find(supervisor.page, '巡查审阅  2024-03-11 至 2024-03-17');
    await find(supervisor.page, '审阅测试路线 · 王管家 · 03-12 09:00');
  } finally {
    await supervisor.context.close();
  }
});

// Taps the button labelled `button` nearest to the right of the field labelled `field`, on its line (each column
// of the editor has its own ↑ ↓ ✕).
async function tapBeside(page, field, button) {
  const input = await find(page, field);
  const hit = (await widgets(page))
    .filter((w) => w.label === button && Math.abs(w.y + w.h / 2 - (input.y + input.h / 2)) < 10 && w.x > input.x)
    .sort((a, b) => a.x - b.x)[0];
  assert.ok(hit, `a ${button} beside ${field}`);
  await page.mouse.click(hit.x + hit.w / 2, hit.y + hit.h / 2);
  await waitIdle(page);
}

// Replaces a text field's whole text as a keyboard would: select all, then type.
async function replaceText(page, label, text) {
  await tap(page, label);
  await page.waitForFunction(() => document.activeElement && document.activeElement.id === 'text-input');
  await page.keyboard.press('Control+A');
  await waitIdle(page);
  await page.keyboard.insertText(text);
  await waitIdle(page);
}

test('on a portrait tablet the supervisor\'s screens fit the width, with finger-sized targets', async () => {
  const context = await launch(freshProfileDir('portrait'), { viewport: { width: 800, height: 1280 }, deviceScaleFactor: 2 });
  const page = context.pages()[0] || (await context.newPage());
  try {
    await page.goto(server.url);
    await waitReady(page);
    await signIn(page, 'supervisor');
    // Everything a finger needs is on screen, inside the width, at least 44 px tall.
    const fits = async (labels) => {
      const all = await widgets(page);
      for (const label of labels) {
        const w = all.find((x) => x.label === label);
        assert.ok(w, `${label} is on screen`);
        assert.ok(w.x >= 0 && w.x + w.w <= 800, `${label} is inside the width (${w.x} + ${w.w})`);
        assert.ok(w.h >= 44, `${label} is ${w.h} px tall`);
      }
    };
    await tap(page, '服务指标');
    await fits(['日', '周', '月', '‹ 上一期', '下载指标 CSV', '下载工单明细 CSV', '全部人员']);
    for (const name of ['维修及时率', '回访率', '有效投诉处理率', '满意率']) {
      const card = (await widgets(page)).filter((w) => w.label === name).sort((a, b) => b.w * b.h - a.w * a.h)[0];
      assert.ok(card && card.x + card.w <= 800, `the ${name} card fits`);
    }
    await screenshot(page, 'targets-portrait');
    await tap(page, '巡查路线');
    // The daily route, under whichever name the route-editing test left it.
    const labels = await waitForLabels(page, (l) => l.some((x) => x.startsWith('日常巡查（')), 'the routes arrive');
    await tap(page, labels.find((x) => x.startsWith('日常巡查（')));
    const all = await widgets(page);
    for (const label of ['↑', '↓', '×']) {
      const buttons = all.filter((w) => w.label === label);
      assert.ok(buttons.length >= 7, `${label} on every row`);
      assert.ok(buttons.every((w) => w.x + w.w <= 800 && w.h >= 44), `every ${label} fits and is finger-sized`);
    }
    await fits(['保存路线', '放弃修改', '＋ 添加区域', '＋ 添加检查点', '＋ 添加检查项']);
    await screenshot(page, 'route-editor-portrait');
    await tap(page, '工单');
    await fits(['＋ 新建工单', '我的待办', '搜索']);
    await tap(page, '巡查');
    await tap(page, '每周审阅');
    await fits(['返回', '‹ 上一周', '下一周 ›', '本周']);
    await screenshot(page, 'patrol-review-portrait');
  } finally {
    await context.close();
  }
});
