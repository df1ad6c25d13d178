// Accounts on a shared tablet, as the staff use them: signing in online and offline, each role's screens and
// stores, signing out with unsynced records, the idle lock, revealing a masked phone (logged), owner files (logged),
// retention, and the admin screen. The real server with its demo accounts; Debian's Chromium.
import { test, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import {
  DEMO_PASSWORD, openTablet, registerVisit, signIn, replaceText, session, waitSignedIn, waitReady, waitIdle, waitForLabels, find, has, tap,
  tapInRow, typeInto, screenshot, widgets,
} from './browser.mjs';
import { startServer, basicAuth } from './server.mjs';

let server;
beforeEach(async () => { server = await startServer(); });
afterEach(async () => { await server.stop(); });

const ADMIN = `Basic ${Buffer.from(`admin:${DEMO_PASSWORD}`).toString('base64')}`;
const DAY = 24 * 60 * 60 * 1000;

// The server's API as its admin (HTTP Basic), for seeding and checking what the tablets did.
async function asAdmin(path, { method = 'GET', body } = {}) {
  const res = await fetch(`${server.url}${path}`, {
    method, headers: { Authorization: ADMIN, 'Content-Type': 'application/json' }, body: body && JSON.stringify(body),
  });
  const text = await res.text();
  let json = null;
  try { json = JSON.parse(text); } catch { /* not JSON */ }
  return { status: res.status, body: json, text };
}

async function serverDocs(db, prefix) {
  const { status, body } = await asAdmin(`couch/${db}/_all_docs?include_docs=true`);
  assert.equal(status, 200);
  return body.rows.map((r) => r.doc).filter((d) => d._id.startsWith(prefix));
}

async function labels(page) { return (await widgets(page)).map((w) => w.label); }

async function databases(page) {
  return (await page.evaluate(() => indexedDB.databases())).map((d) => d.name);
}

// The verifier for offline sign-in is made in the background after an online sign-in.
async function waitVerifier(page, name) {
  await page.waitForFunction((n) => !!localStorage.getItem(`steward.verifier.${n}`), name, { timeout: 30000 });
}

// 退出登录 in the header, then the dialog's confirmation; returns what the dialog said.
async function signOut(page) {
  await tap(page, '退出登录');
  const said = await waitForLabels(page, (l) => l.includes('确定退出'), 'the sign-out dialog');
  await tap(page, '确定退出');
  await page.waitForFunction(() => window.stewardTest.session().phase === 1, null, { timeout: 20000 });
  await waitIdle(page);
  return said;
}

function register(page, name, phone) { return registerVisit(page, { name, phone }); }

const VISIT_TABS = ['登记来访', '今日来访', '今日统计'];
const OPS_TABS = ['工单', '巡查'];

test('each role sees only its own screens and keeps only its own stores', async () => {
  const t = await openTablet(server.url, null);
  try {
    const expected = {
      host: { name: '迎宾小李 · 案场客户管家', tabs: VISIT_TABS, not: [...OPS_TABS, '业主档案', '账号管理'], role: 'showroom_host' },
      frontdesk: { name: '前台小陈 · 客服前台', tabs: [...VISIT_TABS, ...OPS_TABS], not: ['业主档案', '账号管理'], role: 'front_desk' },
      butler: { name: '王管家 · 客服管家', tabs: [...OPS_TABS, '业主档案'], not: [...VISIT_TABS, '账号管理'], role: 'butler' },
      supervisor: { name: '周主管 · 客服主管', tabs: [...VISIT_TABS, ...OPS_TABS, '业主档案', '账号管理'], not: [], role: 'supervisor' },
    };
    for (const [user, e] of Object.entries(expected)) {
      await signIn(t.page, user);
      const s = await session(t.page);
      assert.equal(s.role, e.role);
      const shown = await labels(t.page);
      assert.ok(shown.includes(e.name), `${user}: the header names who is signed in: ${shown.join('|')}`);
      for (const tab of e.tabs) assert.ok(shown.includes(tab), `${user} has ${tab}`);
      for (const tab of e.not) assert.ok(!shown.includes(tab), `${user} has no ${tab}`);
      // Their stores: one per family the role sees, in their own IndexedDB database.
      const metrics = await t.page.evaluate(() => window.stewardTest.metrics());
      if (user === 'host') assert.equal(metrics.tickets, 0, 'a showroom host holds no tickets');
      if (user === 'butler') {
        await t.page.waitForFunction(() => window.stewardTest.metrics().ownerFiles > 0, null, { timeout: 20000 });
        assert.equal((await t.page.evaluate(() => window.stewardTest.metrics())).visits, 0, 'a butler holds no visits');
      }
      await screenshot(t.page, `role-${user}`);
      assert.ok((await databases(t.page)).includes(`/steward/u/${user}/demo`));
      const said = await signOut(t.page);
      assert.ok(said.some((l) => l.startsWith('所有记录都已上传')), `${user}: nothing waits: ${said.join('|')}`);
      assert.ok(!(await databases(t.page)).includes(`/steward/u/${user}/demo`), `${user}'s data left the tablet`);
    }
  } finally {
    await t.context.close();
  }
});

test('roles at two sites: the person picks the site, and acts there in the role held there', async () => {
  assert.equal((await asAdmin('api/admin/sites/north', {
    method: 'PUT', body: { name: '北岸花园', idle_lock_minutes: 10, retention_days: 60 },
  })).status < 300, true);
  assert.equal((await asAdmin('api/admin/users/frontdesk/grants', { method: 'POST', body: { site: 'north', role: 'supervisor' } }))
    .status < 300, true);
  const t = await openTablet(server.url, null);
  try {
    await signIn(t.page, 'frontdesk', { wait: false });
    await find(t.page, '选择项目', { timeout: 15000 });
    await find(t.page, '滨江壹号售楼处 · 客服前台');
    await screenshot(t.page, 'site-picker');
    await tap(t.page, '北岸花园 · 客服主管');
    await waitSignedIn(t.page);
    const s = await session(t.page);
    assert.equal(s.site, 'north');
    assert.equal(s.role, 'supervisor');
    const shown = await labels(t.page);
    assert.ok(shown.includes('北岸花园') && shown.includes('账号管理'), shown.join('|'));
    assert.ok((await databases(t.page)).includes('/steward/u/frontdesk/north'));
  } finally {
    await t.context.close();
  }
});

test('a person signed in online once signs in offline with the same role; wrong passwords wait; others cannot', async () => {
  const t = await openTablet(server.url, 'butler');
  try {
    await waitVerifier(t.page, 'butler');
    await signOut(t.page);
    assert.equal(await t.page.evaluate(() => localStorage.getItem('steward.verifier.butler') !== null), true,
      'the verifier stays for the next offline sign-in');

    await t.context.setOffline(true);
    // A wrong password: three tries are free, then the tablet makes the person wait.
    for (let i = 1; i <= 3; i++) {
      await signIn(t.page, 'butler', { password: `wrong-${i}-password`, wait: false });
      const message = i < 3 ? '用户名或密码错误' : /^密码错误次数过多，请 5 秒后再试$/;
      await find(t.page, message, { timeout: 15000 });
    }
    await signIn(t.page, 'butler', { password: DEMO_PASSWORD, wait: false });
    await find(t.page, /^密码错误次数过多，请 \d 秒后再试$/);
    assert.equal((await session(t.page)).phase, 1, 'not even the right password opens it during the wait');
    // Someone who never signed in online here cannot sign in offline.
    await t.page.reload();
    await waitReady(t.page);
    await signIn(t.page, 'host', { wait: false });
    await find(t.page, '连不上服务器，而此用户还没有在这台平板上联网登录过，不能离线登录', { timeout: 15000 });
    await screenshot(t.page, 'offline-sign-in-refused');

    await t.page.waitForTimeout(5500);
    await signIn(t.page, 'butler');
    const s = await session(t.page);
    assert.equal(s.offline, true);
    assert.equal(s.role, 'butler');
    const shown = await labels(t.page);
    assert.ok(shown.includes('王管家 · 客服管家 · 离线登录'), shown.join('|'));
    for (const tab of [...OPS_TABS, '业主档案']) assert.ok(shown.includes(tab));
    for (const tab of VISIT_TABS) assert.ok(!shown.includes(tab));
    await screenshot(t.page, 'offline-signed-in');

    // Back online, the tablet opens a server session with the password it was given and syncs.
    await t.context.setOffline(false);
    await t.page.waitForFunction(() => !window.stewardTest.session().offline, null, { timeout: 30000 });
    await waitForLabels(t.page, (l) => l.includes('在线'), 'online again', 60000);
    await tap(t.page, '巡查');
    await waitForLabels(t.page, (l) => l.some((x) => x.includes('日常巡查')), 'the routes were pulled', 30000);
  } finally {
    await t.context.close();
  }
});

test('signing out of a shared tablet with unsynced visits warns, keeps them, and the next person does not see them',
  async () => {
    const t = await openTablet(server.url, 'supervisor');
    try {
      await waitVerifier(t.page, 'supervisor');
      await signOut(t.page);
      await signIn(t.page, 'host');
      await waitVerifier(t.page, 'host');
      await waitForLabels(t.page, (l) => l.includes('全部已上传'), 'synced before the network goes', 30000);

      await t.context.setOffline(true);
      await register(t.page, '离线访客', '13912345670');
      await waitForLabels(t.page, (l) => l.includes('待上传 1 条'), 'the visit waits to upload');
      await tap(t.page, '退出登录');
      const said = await waitForLabels(t.page, (l) => l.includes('确定退出'), 'the sign-out dialog');
      assert.ok(said.some((l) => l.startsWith('还有 1 条记录未上传。它们会保留在这台平板上')), said.join('|'));
      await screenshot(t.page, 'sign-out-unsynced');
      await tap(t.page, '确定退出');
      await find(t.page, '迎宾小李：1 条记录未上传，已保留在本机', { timeout: 20000 });
      assert.ok((await databases(t.page)).includes('/steward/u/host/demo'), 'kept on the tablet');
      await screenshot(t.page, 'signed-out-kept');

      // The supervisor (offline) has visits too, in stores of their own: the host's visit is not there.
      await signIn(t.page, 'supervisor');
      await tap(t.page, '今日来访');
      assert.ok(!(await labels(t.page)).includes('离线访客'));
      assert.equal((await t.page.evaluate(() => window.stewardTest.metrics())).visits, 0);
      await signOut(t.page);
      const signedOut = await labels(t.page);
      assert.ok(signedOut.includes('管家') && !signedOut.some((l) => l.startsWith('管家 · ')),
        `the sign-in screen names no one's screen: ${signedOut.join('|')}`);

      // The host again, online: the visit is there and goes up.
      await t.context.setOffline(false);
      await signIn(t.page, 'host');
      await tap(t.page, '今日来访');
      await waitForLabels(t.page, (l) => l.includes('离线访客'), 'the kept visit is back');
      await waitForLabels(t.page, (l) => l.includes('全部已上传'), 'and uploaded', 60000);
      assert.ok((await serverDocs('demo-visits', 'visit:')).some((d) => d.name === '离线访客'));
    } finally {
      await t.context.close();
    }
  });

test('the tablet locks after the site\'s idle time; the same person unlocks with what they typed kept; another person can sign in',
  async () => {
    assert.equal((await asAdmin('api/admin/sites/demo', {
      method: 'PUT', body: { name: '滨江壹号售楼处', idle_lock_minutes: 1, retention_days: 30 },
    })).status, 200);
    const t = await openTablet(server.url, 'host');
    try {
      await waitVerifier(t.page, 'host');
      await typeInto(t.page, '姓名', '还没保存的名字');
      await t.page.waitForFunction(() => window.stewardTest.session().locked, null, { timeout: 90000, polling: 1000 });
      await waitIdle(t.page);
      const locked = await labels(t.page);
      assert.ok(locked.includes('已锁定'));
      assert.ok(!locked.includes('姓名') && !locked.includes('登记来访'), `nothing behind shows: ${locked.join('|')}`);
      assert.ok(locked.includes('管家') && !locked.some((l) => l.startsWith('管家 · ')), 'the header names no screen');
      await screenshot(t.page, 'locked');
      // Still locked after a reload.
      await t.page.reload();
      await waitReady(t.page);
      assert.equal((await session(t.page)).locked, true);
      await typeInto(t.page, '密码', 'not-the-password');
      await tap(t.page, '解锁');
      await find(t.page, '用户名或密码错误', { timeout: 15000 });
      await typeInto(t.page, '密码', DEMO_PASSWORD);
      await tap(t.page, '解锁');
      await waitSignedIn(t.page);
      assert.ok((await labels(t.page)).includes('姓名'));

      // Typed text survives a lock without a reload.
      await typeInto(t.page, '姓名', '锁屏前输入');
      await t.page.waitForFunction(() => window.stewardTest.session().locked, null, { timeout: 90000, polling: 1000 });
      await typeInto(t.page, '密码', DEMO_PASSWORD);
      await tap(t.page, '解锁');
      await waitSignedIn(t.page);
      await tap(t.page, '姓名');
      assert.equal((await t.page.evaluate(() => window.stewardTest.textField())).text, '锁屏前输入');

      // Another person takes the tablet from the lock screen: the host's session ends (nothing waits: removed).
      await t.page.waitForFunction(() => window.stewardTest.session().locked, null, { timeout: 90000, polling: 1000 });
      await tap(t.page, '换人登录');
      await find(t.page, '换人登录将结束 迎宾小李 的登录');
      await signIn(t.page, 'butler');
      assert.equal((await session(t.page)).user, 'butler');
      assert.ok(!(await databases(t.page)).includes('/steward/u/host/demo'));
    } finally {
      await t.context.close();
    }
  });

test('a masked phone is shown with a tap in the visit\'s detail; the view is logged and reaches the server\'s audit log',
  async () => {
    const t = await openTablet(server.url, 'host');
    try {
      await register(t.page, '查号客户', '13812345678');
      await tap(t.page, '今日来访');
      let shown = await labels(t.page);
      assert.ok(shown.includes('138****5678') && !shown.some((l) => l.includes('13812345678')), 'masked in the list');
      await tap(t.page, '138****5678');
      await find(t.page, '来访详情');
      assert.ok(!(await labels(t.page)).includes('13812345678'), 'still masked in the detail until asked');
      await tap(t.page, '显示号码');
      await find(t.page, '13812345678');
      await find(t.page, '已显示完整号码（已记入调阅记录）');
      await screenshot(t.page, 'phone-revealed');
      await tap(t.page, '关闭');
      shown = await labels(t.page);
      assert.ok(!shown.includes('13812345678'), 'masked again once the detail is closed');

      await waitForLabels(t.page, (l) => l.includes('全部已上传'), 'the access log uploads', 60000);
      const visit = (await serverDocs('demo-visits', 'visit:')).find((d) => d.name === '查号客户');
      const logs = await serverDocs('demo-visits', 'access_log:');
      assert.equal(logs.length, 1);
      assert.equal(logs[0].type, 'access_log');
      assert.equal(logs[0].who, 'host');
      assert.equal(logs[0].action, 'reveal_phone');
      assert.equal(logs[0].site, 'demo');
      assert.equal(logs[0].record_id, visit._id);
      assert.ok(logs[0].device && logs[0].at > Date.now() - 600000);
      const audit = await asAdmin('api/admin/audit?site=demo&limit=50');
      assert.equal(audit.status, 200);
      assert.ok(audit.body.some((e) => e.action === 'reveal_phone' && e.who === 'host'), audit.text);
    } finally {
      await t.context.close();
    }
  });

test('a butler opens an owner file read-only: the opening is logged, the phones stay masked until revealed', async () => {
  const t = await openTablet(server.url, 'butler');
  try {
    await tap(t.page, '业主档案');
    await tap(t.page, '1栋1单元1202', { timeout: 20000 });
    await find(t.page, '本次查看已记入调阅记录');
    const shown = await labels(t.page);
    assert.ok(shown.includes('管家 · 业主档案') && !shown.includes('管家 · 案场来访登记'), 'the header names the screen');
    assert.ok(shown.includes('陈志明（业主）'), shown.join('|'));
    assert.ok(shown.includes('138****0937') && !shown.includes('13816620937'));
    assert.ok(!shown.some((l) => l.includes('上海振华重工')), 'the employer is never shown');
    await screenshot(t.page, 'owner-file');
    const reveal = (await widgets(t.page)).filter((w) => w.label === '显示号码');
    assert.equal(reveal.length, 2, 'one per person');
    await t.page.mouse.click(reveal[0].x + reveal[0].w / 2, reveal[0].y + reveal[0].h / 2);
    await find(t.page, '13816620937');
    assert.ok(!(await labels(t.page)).includes('13917735218'), 'only the number asked for');

    // A butler may read the owner files but not change that database: the logs go up with the operations
    // database, and into the server's audit log like any access log.
    await waitForLabels(t.page, (l) => l.includes('全部已上传'), 'the access logs upload', 60000);
    const logs = await serverDocs('demo-ops', 'access_log:');
    assert.deepEqual(logs.map((l) => l.action).sort(), ['open_owner_file', 'reveal_phone']);
    assert.ok(logs.every((l) => l.who === 'butler' && l.record_id === 'owner_file:1-1-1202' && l.site === 'demo'));
    const audit = await asAdmin('api/admin/audit?site=demo&limit=50');
    assert.ok(audit.body.some((e) => e.action === 'open_owner_file' && e.who === 'butler'), audit.text);
  } finally {
    await t.context.close();
  }
});

test('synced visitor records past the site\'s retention leave the tablet and are not pulled back', async () => {
  const now = Date.now();
  const visit = (id, name, arrived) => ({
    _id: `visit:${id}`, type: 'visit', site: 'demo', name, phone: '13900000000', party_size: 1, channel: 'walk_in',
    appointed_consultant: '', received_by: '', car_plate: '', notes: '', visit_number: 1, arrived_ms: arrived,
    received_ms: 0, left_ms: arrived + 3600000, created_ms: arrived, updated_ms: arrived,
  });
  for (const doc of [visit('old', '四十天前', now - 40 * DAY), visit('recent', '十天前', now - 10 * DAY)]) {
    assert.equal((await asAdmin(`couch/demo-visits/${doc._id}`, { method: 'PUT', body: doc })).status, 201);
  }
  const settings = (retention) => asAdmin('api/admin/sites/demo', {
    method: 'PUT', body: { name: '滨江壹号售楼处', idle_lock_minutes: 5, retention_days: retention },
  });
  assert.equal((await settings(60)).status, 200);
  const t = await openTablet(server.url, 'host');
  try {
    const count = () => t.page.evaluate(() => window.stewardTest.metrics().visits);
    await t.page.waitForFunction(() => window.stewardTest.metrics().visits === 2, null, { timeout: 30000 });
    await waitForLabels(t.page, (l) => l.includes('全部已上传'), 'synced', 30000);

    // The site keeps 30 days on tablets now: the tablet learns it (here at a reload) and purges the old visit.
    assert.equal((await settings(30)).status, 200);
    await t.page.reload();
    await waitSignedIn(t.page);
    await t.page.waitForFunction(() => window.stewardTest.metrics().visits === 1, null, { timeout: 30000 });

    // Changed on the server since: still not pulled back. The server keeps it.
    const old = (await asAdmin('couch/demo-visits/visit:old')).body;
    assert.equal((await asAdmin('couch/demo-visits/visit:old', { method: 'PUT', body: { ...old, notes: '服务器上改过' } })).status, 201);
    const marker = visit('marker', '今天', now);
    assert.equal((await asAdmin('couch/demo-visits/visit:marker', { method: 'PUT', body: marker })).status, 201);
    await t.page.waitForFunction(() => window.stewardTest.metrics().visits === 2, null, { timeout: 30000 });
    assert.equal(await count(), 2, 'the marker came, the changed old visit did not');
    await t.page.reload();
    await waitSignedIn(t.page);
    await waitForLabels(t.page, (l) => l.includes('全部已上传') && l.some((x) => x.startsWith('上次同步')), 'synced again', 30000);
    await t.page.waitForFunction(() => window.stewardTest.metrics().visits === 2, null, { timeout: 30000 });
    await t.page.waitForTimeout(2000);
    assert.equal(await count(), 2, 'the purge survives a reload, and the pull after it');
    assert.equal((await asAdmin('couch/demo-visits/visit:old')).status, 200, 'the server keeps it');
  } finally {
    await t.context.close();
  }
});

test('a supervisor manages the site\'s people on the admin screen; a new host signs in', async () => {
  const t = await openTablet(server.url, 'supervisor');
  try {
    await tap(t.page, '账号管理');
    await waitForLabels(t.page, (l) => l.some((x) => x.startsWith('王管家 · butler')), 'the people of the site', 20000);
    await find(t.page, '管家 · 账号管理');
    await tap(t.page, '新增人员');
    await typeInto(t.page, '用户名', 'xinren');
    await typeInto(t.page, '姓名', '新同事');
    await typeInto(t.page, '密码', 'short');
    assert.ok(!(await labels(t.page)).includes('系统管理员'), 'a supervisor cannot grant admin');
    await tap(t.page, '案场客户管家');
    await tap(t.page, '创建');
    await find(t.page, /^未成功：.*8/, { timeout: 15000 });
    await screenshot(t.page, 'admin-new-person-refused');
    await replaceText(t.page, '密码', 'xinren-password');
    await tap(t.page, '创建');
    await waitForLabels(t.page, (l) => l.includes('新同事 · xinren · 案场客户管家'), 'the new person is listed', 15000);
    await tap(t.page, '新同事 · xinren · 案场客户管家');
    await tap(t.page, '客服前台');
    await tap(t.page, '授予');
    await waitForLabels(t.page, (l) => l.some((x) => x.startsWith('新同事 · xinren · ') && x.includes('案场客户管家') &&
      x.includes('客服前台')), 'granted', 15000);
    await screenshot(t.page, 'admin-screen');
    const audit = await asAdmin('api/admin/audit?site=demo&limit=50');
    assert.ok(audit.text.includes('xinren'), 'the grant is in the audit log');
    await signOut(t.page);
    await signIn(t.page, 'xinren', { password: 'xinren-password' });
    assert.equal((await session(t.page)).role, 'front_desk', 'the higher of the two roles');
  } finally {
    await t.context.close();
  }
});

test('a supervisor changes their own password on the admin screen only with the current one', async () => {
  const t = await openTablet(server.url, 'supervisor');
  try {
    await tap(t.page, '账号管理');
    await waitForLabels(t.page, (l) => l.some((x) => x.startsWith('王管家 · butler')), 'the people of the site', 20000);
    const own = (await labels(t.page)).find((x) => x.includes(' · supervisor'));
    assert.ok(own, 'the supervisor is listed');
    await tap(t.page, own);
    await typeInto(t.page, '当前密码', 'not-the-password');
    await typeInto(t.page, '新密码', 'supervisor-new-pass');
    await tap(t.page, '修改密码');
    await find(t.page, /^未成功：.*(当前密码|current password)/i, { timeout: 15000 });
    await screenshot(t.page, 'admin-own-password-refused');
    const verifierBefore = await t.page.evaluate(() => localStorage.getItem('steward.verifier.supervisor'));
    await replaceText(t.page, '当前密码', DEMO_PASSWORD);
    await tap(t.page, '修改密码');
    await find(t.page, '已完成', { timeout: 15000 });
    await waitIdle(t.page);
    // The tablet goes on signed in: this session was kept, the screen reloads its people.
    assert.ok(!(await labels(t.page)).some((x) => x.startsWith('未成功')), (await labels(t.page)).join('|'));
    assert.equal((await session(t.page)).needsPassword, false);
    await t.page.waitForFunction((before) => localStorage.getItem('steward.verifier.supervisor') !== before,
      verifierBefore, { timeout: 30000 });
    await screenshot(t.page, 'admin-own-password-changed');
    const audit = await asAdmin('api/admin/audit?limit=200');
    assert.ok(audit.text.includes('password of supervisor'), 'the change is in the audit log');
    const refused = await fetch(`${server.url}couch/demo-ops`, { headers: basicAuth('supervisor') });
    assert.equal(refused.status, 401, 'the old password no longer works');
    const accepted = await fetch(`${server.url}couch/demo-ops`, { headers: basicAuth('supervisor', 'supervisor-new-pass') });
    assert.equal(accepted.status, 200);
    await signOut(t.page);
    await signIn(t.page, 'supervisor', { password: 'supervisor-new-pass' });
    assert.equal((await session(t.page)).role, 'supervisor');
  } finally {
    await t.context.close();
  }
});
