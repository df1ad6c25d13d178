// Shared by the browser tests and the benchmarks: Debian's Chromium driven by playwright-core, and the ways a
// person uses the canvas app (finding widgets through window.stewardTest.widgets()).
import { chromium } from 'playwright-core';
import fs from 'node:fs';
import path from 'node:path';
import { tempDir } from '../support/temp_dirs.mjs';

export const CHROMIUM = process.env.STEWARD_CHROMIUM || '/usr/bin/chromium';
const FLAGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
  '--disable-sync', '--no-first-run', '--disable-quic', '--use-angle=swiftshader', '--enable-unsafe-swiftshader'];

export function freshProfileDir(label = 'profile') {
  return tempDir(label);
}

// A persistent profile, as a tablet's browser has: IndexedDB and the service worker survive a restart.
// hasTouch: a tablet's touch screen (touch events, Playwright's page.touchscreen).
// bypassCSP: only for pages that inject third-party script (the benchmark's PouchDB), never for the app's tests.
export async function launch(profileDir, { viewport = { width: 1280, height: 800 }, deviceScaleFactor = 1, hasTouch = false,
  bypassCSP = false } = {}) {
  return chromium.launchPersistentContext(profileDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: FLAGS,
    viewport,
    deviceScaleFactor,
    hasTouch,
    bypassCSP,
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
  });
}

export async function waitReady(page, timeout = 20000) {
  await page.waitForFunction(() => window.stewardTest && window.stewardTest.ready() && window.stewardTest.idle(), null,
    { timeout });
}

// Input handled and layout settled (tables and popups take a few frames).
export async function waitIdle(page, timeout = 5000) {
  await page.waitForFunction(() => window.stewardTest.idle(), null, { timeout, polling: 'raf' });
}

export async function widgets(page) {
  return page.evaluate(() => window.stewardTest.widgets());
}

// The widget whose label is exactly `label` (or matches a RegExp); waits for it to be drawn.
export async function find(page, label, { timeout = 5000 } = {}) {
  const deadline = Date.now() + timeout;
  let last = [];
  for (;;) {
    last = await widgets(page);
    const hit = last.find((w) => (label instanceof RegExp ? label.test(w.label) : w.label === label));
    if (hit) return hit;
    if (Date.now() > deadline) {
      throw new Error(`no widget labelled ${label}; on screen: ${last.map((w) => w.label).join(' | ')}`);
    }
    await page.waitForTimeout(50);
  }
}

// Waits until the labels on screen satisfy `check` (things that arrive by themselves, e.g. through sync);
// the error names what was awaited and lists what was on screen.
export async function waitForLabels(page, check, what, timeout = 30000) {
  const deadline = Date.now() + timeout;
  let labels = [];
  while (Date.now() < deadline) {
    labels = (await widgets(page)).map((w) => w.label);
    if (check(labels)) return labels;
    await page.waitForTimeout(250);
  }
  throw new Error(`${what}; on screen: ${labels.join(' | ')}`);
}

export async function has(page, label) {
  const all = await widgets(page);
  return all.some((w) => (label instanceof RegExp ? label.test(w.label) : w.label === label));
}

export async function tap(page, label, options) {
  const w = await find(page, label, options);
  await page.mouse.click(w.x + w.w / 2, w.y + w.h / 2);
  await waitIdle(page);
  return w;
}

// Taps the button labelled `button` in the list row that shows `rowText` (same line on screen).
export async function tapInRow(page, rowText, button) {
  const cell = await find(page, rowText);
  const middle = cell.y + cell.h / 2;
  const all = await widgets(page);
  const hit = all.find((w) => w.label === button && Math.abs(w.y + w.h / 2 - middle) < 30);
  if (!hit) throw new Error(`no ${button} in the row of ${rowText}`);
  await page.mouse.click(hit.x + hit.w / 2, hit.y + hit.h / 2);
  await waitIdle(page);
  return hit;
}

// Taps a text field and types into it as a keyboard (or input method) would.
export async function typeInto(page, label, text) {
  await tap(page, label);
  await page.waitForFunction(() => document.activeElement && document.activeElement.id === 'text-input');
  await page.keyboard.insertText(text);
  await waitIdle(page);
}

// A finger's tap on the widget (the context needs hasTouch).
export async function touchTap(page, label, options) {
  const w = await find(page, label, options);
  await page.touchscreen.tap(w.x + w.w / 2, w.y + w.h / 2);
  await waitIdle(page);
  return w;
}

// A finger dragged from one point to another through CDP touch events, in `steps` moves `stepMs` apart, then
// lifted. Slow steps are a drag that stops; stepMs 0 sends the moves and the lift at once: a flick.
export async function touchDrag(page, from, to, { steps = 20, stepMs = 16 } = {}) {
  const cdp = await page.context().newCDPSession(page);
  const point = (p) => [{ x: p.x, y: p.y, id: 1, radiusX: 8, radiusY: 8, force: 1 }];
  await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: point(from) });
  const sent = [];
  for (let i = 1; i <= steps; i++) {
    if (stepMs > 0) await page.waitForTimeout(stepMs);
    const p = { x: from.x + ((to.x - from.x) * i) / steps, y: from.y + ((to.y - from.y) * i) / steps };
    const move = cdp.send('Input.dispatchTouchEvent', { type: 'touchMove', touchPoints: point(p) });
    if (stepMs > 0) await move;
    else sent.push(move);
  }
  sent.push(cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] }));
  await Promise.all(sent);
  await cdp.detach();
}

export async function screenshot(page, name) {
  const dir = process.env.STEWARD_SCREENSHOTS || path.resolve('build/screenshots');
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${name}.png`);
  await page.screenshot({ path: file });
  return file;
}

import { DEMO_PASSWORD } from './server.mjs';

export { DEMO_PASSWORD };

export async function session(page) {
  return page.evaluate(() => window.stewardTest.session());
}

// Waits until the app is signed in and unlocked (session().phase 4) with the person's stores open (or failed to open).
export async function waitSignedIn(page, timeout = 30000) {
  await page.waitForFunction(() => {
    if (!window.stewardTest || !window.stewardTest.ready()) return false;
    const s = window.stewardTest.session();
    return s.phase === 4 && !s.locked && (s.storeReady || s.openError !== '');
  }, null, { timeout });
  await waitIdle(page);
}

// Registers a visitor on the 登记来访 form as the host does, and waits for it to be saved.
export async function registerVisit(page, { name, phone, channel = '自然到访', plate, party = 1 }) {
  await tap(page, '登记来访');
  await typeInto(page, '姓名', name);
  await typeInto(page, '手机号', phone);
  if (plate) await typeInto(page, '车牌号', plate);
  for (let i = 1; i < party; i++) await tap(page, '+');
  await tap(page, channel);
  await tap(page, '保存登记');
  return find(page, new RegExp(`^已保存：${name}`), { timeout: 8000 });
}

// Replaces the text of a field, as a person selecting all and typing over it.
export async function replaceText(page, label, text) {
  await tap(page, label);
  await page.waitForFunction(() => document.activeElement && document.activeElement.id === 'text-input');
  await page.keyboard.press('Control+A');
  await page.keyboard.press('Backspace');
  await page.keyboard.insertText(text);
  await waitIdle(page);
}

// Signs in on the login screen as a person types it; waits for their data unless `wait` is false (a refusal is
// expected).
export async function signIn(page, name, { password = DEMO_PASSWORD, wait = true } = {}) {
  await replaceText(page, '用户名', name);
  await replaceText(page, '密码', password);
  await tap(page, '登录');
  if (wait) await waitSignedIn(page);
}

// A tablet's browser with its own profile, on the app, signed in as `user` (a demo account) unless null; a
// profile whose session is still open (a restart, a reload) is not asked again.
export async function openTablet(url, user, { profileDir = freshProfileDir('tablet'), ...options } = {}) {
  const context = await launch(profileDir, options);
  const page = context.pages()[0] || (await context.newPage());
  page.on('pageerror', (e) => console.log('pageerror:', e.message));
  await page.goto(url);
  await waitReady(page);
  if (user && (await session(page)).phase === 1) await signIn(page, user);
  return { context, page, profileDir };
}
