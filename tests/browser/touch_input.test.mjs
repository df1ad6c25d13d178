// Tablet-grade input: the on-screen keyboard and input methods (through the hidden textarea), the clipboard,
// fingers (tap, drag-scroll with inertia, long press), characters outside the baked font, the screen's density.
// Input methods are driven through CDP (Input.imeSetComposition / Input.insertText), fingers through CDP touch
// events and Playwright's touchscreen.
import { test, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import {
  openTablet, freshProfileDir, waitReady, waitIdle, find, has, tap, touchTap, touchDrag, screenshot, widgets,
} from './browser.mjs';
import { seedStore, injectStore } from './seed_store.mjs';
import { startServer } from './server.mjs';

let server;
beforeEach(async () => { server = await startServer(); });
afterEach(async () => { await server.stop(); });

// A touch tablet signed in as the demo showroom host.
function open(options = {}) {
  return openTablet(server.url, 'host', { profileDir: freshProfileDir('touch'), hasTouch: true, ...options });
}

const textField = (page) => page.evaluate(() => window.stewardTest.textField());

// The field's text as ImGui holds it, once every edit has been applied.
async function fieldText(page) {
  await waitIdle(page);
  return (await textField(page)).text;
}

test('a name typed through pinyin composition shows in place while composing and arrives exactly once', async () => {
  const { context, page } = await open();
  const cdp = await context.newCDPSession(page);
  const compose = (text) => cdp.send('Input.imeSetComposition', { text, selectionStart: text.length, selectionEnd: text.length });
  const commit = (text) => cdp.send('Input.insertText', { text });
  try {
    // A finger on the field opens the keyboard: the hidden textarea has the focus.
    await touchTap(page, '姓名');
    await page.waitForFunction(() => window.stewardTest.textField().focused);

    await compose('z');
    await compose('zh');
    await compose('zhang');
    assert.equal(await fieldText(page), 'zhang', 'the composing pinyin is shown in the field');
    assert.equal((await textField(page)).composing, true);
    await screenshot(page, 'ime-composing');
    await compose('zhan');  // backspace during composition
    assert.equal(await fieldText(page), 'zhan');
    await commit('张');
    assert.equal(await fieldText(page), '张', 'the commit replaces the composition');

    await compose('w');
    await compose('wei');
    await commit('伟');
    assert.equal(await fieldText(page), '张伟');
    // Latin letters straight from the keyboard, then Chinese again, in the middle of the field.
    await page.keyboard.insertText('Amy');
    await compose('l');
    await commit('丽');
    assert.equal(await fieldText(page), '张伟Amy丽');
    for (let i = 0; i < 4; i++) await page.keyboard.press('Backspace');
    assert.equal(await fieldText(page), '张伟');
    assert.equal((await textField(page)).value, '张伟', 'the textarea follows ImGui\'s own edits');

    await touchTap(page, '手机号');
    await page.keyboard.insertText('13812345678');
    await touchTap(page, '自然到访');
    await touchTap(page, '保存登记');
    await find(page, /^已保存：张伟 /, { timeout: 8000 });
    // Nothing is being typed: the keyboard closes.
    await page.waitForFunction(() => !window.stewardTest.textField().focused);

    await touchTap(page, '今日来访');
    const labels = (await widgets(page)).map((w) => w.label);
    assert.equal(labels.filter((l) => l === '张伟').length, 1, labels.join('|'));
    assert.ok(!labels.some((l) => /zh|张张|伟伟/.test(l)), labels.join('|'));
  } finally {
    await context.close();
  }
});

test('autocorrect, soft-keyboard deletes and caret moves reach the field; copy, cut and paste use the clipboard', async () => {
  const { context, page } = await open();
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.url });
  // What a keyboard does to the textarea, followed by the input event it fires.
  const edit = (start, end, text, inputType) => page.evaluate(([start, end, text, inputType]) => {
    const ta = document.getElementById('text-input');
    ta.setRangeText(text, start, end, 'end');
    ta.dispatchEvent(new InputEvent('input', { inputType, data: text || null }));
  }, [start, end, text, inputType]);
  try {
    await touchTap(page, '备注');
    await page.keyboard.insertText('teh price');
    assert.equal(await fieldText(page), 'teh price');
    await edit(0, 3, 'the', 'insertReplacementText');
    assert.equal(await fieldText(page), 'the price', 'an autocorrect replacement replaces, it does not append');
    await edit(8, 9, '', 'deleteContentBackward');
    assert.equal(await fieldText(page), 'the pric');
    // The keyboard's cursor keys (or a swipe on its space bar) move the caret.
    await page.evaluate(() => {
      const ta = document.getElementById('text-input');
      ta.setSelectionRange(4, 4);
      document.dispatchEvent(new Event('selectionchange'));
    });
    await waitIdle(page);
    await page.keyboard.insertText('low ');
    assert.equal(await fieldText(page), 'the low pric');

    // Select all and copy: the system clipboard has the field's text.
    await page.keyboard.press('Control+A');
    await waitIdle(page);
    const selected = await textField(page);
    assert.deepEqual([selected.selStart, selected.selEnd], [0, 12], 'ImGui\'s selection is the textarea\'s');
    await page.keyboard.press('Control+C');
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), 'the low pric');
    // Cut empties the field and fills the clipboard.
    await page.keyboard.press('Control+X');
    assert.equal(await fieldText(page), '');
    // Paste into another field, once.
    await touchTap(page, '姓名');
    await page.evaluate(() => navigator.clipboard.writeText('王芳'));
    await page.keyboard.press('Control+V');
    assert.equal(await fieldText(page), '王芳');
    // Select all, then type: what is typed replaces it (Ctrl, released, no longer swallows the characters).
    await page.keyboard.press('Control+A');
    await waitIdle(page);
    await page.keyboard.insertText('王芬');
    await waitIdle(page);
    assert.equal(await fieldText(page), '王芬');
    // A hardware keyboard quicker than the frames: what is typed reaches the field in the order it was typed.
    await typeAtOnce(page, ['Control+A', 'Backspace', '王芳芳']);
    assert.equal(await fieldText(page), '王芳芳', 'select all, Backspace, typing');
    await typeAtOnce(page, ['Control+A']);
    await waitIdle(page);
    await typeAtOnce(page, ['Backspace', '王芳']);
    assert.equal(await fieldText(page), '王芳', 'Backspace over a selection, then typing');
    await typeAtOnce(page, ['ArrowLeft', '小', 'ArrowRight', 'Backspace', '菲']);
    assert.equal(await fieldText(page), '王小菲', 'caret moves and a deletion between the letters');
    // Home and End are ImGui's, and take effect a frame later: the deletions and the typing after them wait
    // for them (the textarea's caret had not moved yet, and Backspace deleted at its old place).
    await typeAtOnce(page, ['Home', '李', 'End', 'Backspace', '斐']);
    assert.equal(await fieldText(page), '李王小斐', 'Home, typing, End, Backspace, typing');
    await typeAtOnce(page, ['End', 'ArrowLeft', 'Backspace', 'End', '菲']);
    assert.equal(await fieldText(page), '李王斐菲', 'End, a caret move and a deletion, End, typing');
    // In a notes field, Enter is ImGui's too (a new line), and Home goes to the start of the caret's line.
    await touchTap(page, '备注');
    await typeAtOnce(page, ['周一', 'Enter', '周二', 'Home', '和', 'End', 'Backspace', '三']);
    assert.equal(await fieldText(page), '周一\n和周三', 'typing, Enter, Home and End in a notes field');
  } finally {
    await context.close();
  }
});

// Keys ('Control+A', 'Backspace', 'Enter', 'Home', 'End', 'ArrowLeft', 'ArrowRight') and text sent through CDP in one go, none waiting
// for the page to handle the one before: a hardware keyboard (or a scanner) quicker than the app's frames.
async function typeAtOnce(page, steps) {
  const keys = { Backspace: 8, Enter: 13, End: 35, Home: 36, ArrowLeft: 37, ArrowRight: 39, Control: 17, a: 65 };
  const cdp = await page.context().newCDPSession(page);
  const sent = [];
  const key = (type, name, modifiers = 0) => sent.push(cdp.send('Input.dispatchKeyEvent', {
    type, key: name, code: name === 'a' ? 'KeyA' : name === 'Control' ? 'ControlLeft' : name,
    windowsVirtualKeyCode: keys[name], nativeVirtualKeyCode: keys[name], modifiers,
  }));
  for (const step of steps) {
    if (step === 'Control+A') {
      key('rawKeyDown', 'Control', 2);
      key('rawKeyDown', 'a', 2);
      key('keyUp', 'a', 2);
      key('keyUp', 'Control');
    } else if (keys[step]) {
      key('rawKeyDown', step);
      key('keyUp', step);
    } else {
      sent.push(cdp.send('Input.insertText', { text: step }));
    }
  }
  await Promise.all(sent);
  await cdp.detach();
}

// A finger held still on a point for 700 ms (a long press is 500 ms), through CDP touch events.
async function longPress(page, point) {
  const cdp = await page.context().newCDPSession(page);
  const touch = [{ x: point.x, y: point.y, id: 1 }];
  await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: touch });
  await page.waitForTimeout(700);
  await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
  await cdp.detach();
  await waitIdle(page);
}

// What a keyboard's selection handles do: select [start, end) of the textarea.
async function selectInTextarea(page, start, end) {
  await page.evaluate(([start, end]) => {
    const ta = document.getElementById('text-input');
    ta.setSelectionRange(start, end);
    document.dispatchEvent(new Event('selectionchange'));
  }, [start, end]);
  await waitIdle(page);
}

const formScroll = async (page) =>
  ((await page.evaluate(() => window.stewardTest.scroll())).find((w) => w.name.includes('##register')) || { y: 0 }).y;

test('without a keyboard: a long press in a field opens 全选 / 剪切 / 复制 / 粘贴, which use the system clipboard', async () => {
  const { context, page } = await open();
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.url });
  const clipboard = () => page.evaluate(() => navigator.clipboard.readText());
  try {
    const field = await touchTap(page, '姓名');
    await page.keyboard.insertText('欧阳娜娜');
    assert.equal(await fieldText(page), '欧阳娜娜');
    await selectInTextarea(page, 0, 2);
    const scrolled = await formScroll(page);

    // The long press opens the menu and leaves the caret, the selection and the form where they were.
    const inField = { x: field.x + field.w / 2, y: field.y + field.h / 2 };
    await longPress(page, inField);
    const copy = await find(page, '复制');
    for (const label of ['全选', '剪切', '粘贴']) await find(page, label);
    assert.ok(copy.w >= 44 && copy.h >= 44, `finger-sized: ${JSON.stringify(copy)}`);
    assert.ok(copy.y + copy.h <= field.y || copy.y >= field.y + field.h, 'the menu does not cover the field');
    let state = await textField(page);
    assert.deepEqual([state.selStart, state.selEnd, state.text, state.focused], [0, 2, '欧阳娜娜', true]);
    assert.equal(await formScroll(page), scrolled, 'a long press does not scroll');
    await screenshot(page, 'text-field-menu');

    // 复制: the selection goes to the system clipboard; the field keeps its text and the menu closes.
    await page.touchscreen.tap(copy.x + copy.w / 2, copy.y + copy.h / 2);
    await waitIdle(page);
    assert.equal(await clipboard(), '欧阳');
    assert.equal(await fieldText(page), '欧阳娜娜');
    assert.ok(!(await has(page, '复制')), 'the menu closes');

    // 粘贴 at the end: inserted once.
    await selectInTextarea(page, 4, 4);
    await longPress(page, inField);
    await touchTap(page, '粘贴');
    await page.waitForFunction(() => window.stewardTest.textField().text === '欧阳娜娜欧阳');
    assert.equal(await fieldText(page), '欧阳娜娜欧阳', 'pasted exactly once');
    assert.deepEqual([(await textField(page)).selStart, (await textField(page)).selEnd], [6, 6], 'the caret follows it');

    // 全选, then 剪切: the whole text goes to the clipboard and leaves the field.
    await longPress(page, inField);
    await touchTap(page, '全选');
    state = await textField(page);
    assert.deepEqual([state.selStart, state.selEnd], [0, 6]);
    await longPress(page, inField);
    await touchTap(page, '剪切');
    await page.waitForFunction(() => window.stewardTest.textField().text === '');
    assert.equal(await clipboard(), '欧阳娜娜欧阳');

    // A drag along the field selects; it does not scroll the form.
    await page.keyboard.insertText('司马相如');
    await touchDrag(page, { x: field.x + 13, y: inField.y }, { x: field.x + 13 + 45, y: inField.y }, { steps: 10, stepMs: 20 });
    await waitIdle(page);
    state = await textField(page);
    assert.ok(state.selEnd - state.selStart >= 2, `the drag selected: ${JSON.stringify(state)}`);
    assert.equal(await formScroll(page), scrolled, 'a drag in the field does not scroll');

    // Reading the clipboard refused: said in words, and the field keeps its text.
    await context.clearPermissions();
    await selectInTextarea(page, 4, 4);
    await longPress(page, inField);
    await touchTap(page, '粘贴');
    await find(page, /未允许读取剪贴板/);
    assert.equal(await fieldText(page), '司马相如');
    await screenshot(page, 'text-field-menu-refused');

    // A right click (a mouse, no keyboard) opens the same menu.
    await page.mouse.click(inField.x, inField.y, { button: 'right' });
    await waitIdle(page);
    await find(page, '全选');
  } finally {
    await context.close();
  }
});

// The table of today's visits: how far it is scrolled, in CSS px.
async function listScroll(page) {
  const all = await page.evaluate(() => window.stewardTest.scroll());
  const list = all.find((w) => w.name.includes('##today'));
  assert.ok(list, `no scrollable list: ${JSON.stringify(all)}; on screen: ${(await widgets(page)).map((w) => w.label).join(' | ')}`);
  return list;
}

test('a drag scrolls the list without pressing what it passes, a flick glides on, a tap presses, a long press offers actions', async () => {
  const files = seedStore(80, { spreadMinutes: 10 });
  const { context, page } = await open();
  try {
    await injectStore(page, files);
    await waitReady(page);
    await touchTap(page, '今日来访');
    assert.equal((await listScroll(page)).y, 0);

    // A tap presses the button under the finger.
    const receive = await find(page, '接待');
    await page.touchscreen.tap(receive.x + receive.w / 2, receive.y + receive.h / 2);
    await waitIdle(page);
    await find(page, /^由哪位置业顾问接待/);
    await touchTap(page, '取消');
    const savesBefore = (await page.evaluate(() => window.stewardTest.metrics())).persistMs.length;

    // The drag starts on a button and passes over rows full of buttons.
    const start = await find(page, /^(离开|接待)$/);
    const from = { x: start.x + start.w / 2, y: Math.max(start.y + start.h / 2, 500) };
    await touchDrag(page, from, { x: from.x, y: from.y - 300 }, { steps: 30, stepMs: 20 });
    await waitIdle(page);
    const dragged = (await listScroll(page)).y;
    assert.ok(dragged > 250 && dragged < 330, `scrolled with the finger: ${dragged} px for a 300 px drag`);
    await page.waitForTimeout(300);
    assert.equal((await page.evaluate(() => window.stewardTest.metrics())).persistMs.length, savesBefore,
      'no visit was received or marked as left by the drag');
    assert.ok(!(await has(page, /^由哪位置业顾问接待/)), 'no receive popup opened');
    await screenshot(page, 'list-dragged');

    // A flick: the list keeps gliding after the finger lifts, and slows to a stop.
    await touchDrag(page, { x: from.x, y: 650 }, { x: from.x, y: 450 }, { steps: 5, stepMs: 0 });
    const atLift = (await listScroll(page)).y;
    await waitIdle(page, 10000);
    const glided = await listScroll(page);
    assert.ok(glided.y > atLift + 100 && glided.y > dragged + 200, `glided from ${atLift} to ${glided.y}`);

    // A flick back whose events all arrive between two frames, within a millisecond (a busy tablet delivers
    // them coalesced): the list still follows the finger, and glides on.
    await page.evaluate(({ x }) => {
      const canvas = document.querySelector('canvas');
      const at = (type, y) => canvas.dispatchEvent(new PointerEvent(type, {
        pointerId: 7, pointerType: 'touch', isPrimary: true, bubbles: true, cancelable: true,
        clientX: x, clientY: y, buttons: type === 'pointerup' ? 0 : 1,
      }));
      at('pointerdown', 300);
      at('pointermove', 500);
      at('pointerup', 500);
    }, { x: from.x });
    await waitIdle(page, 10000);
    const flickedBack = (await listScroll(page)).y;
    assert.ok(flickedBack < glided.y - 300, `flicked back in one frame: from ${glided.y} to ${flickedBack}`);

    // A long press on a row opens its actions.
    const cdp = await context.newCDPSession(page);
    const row = await find(page, /^\d\d:\d\d$/);  // a row's arrival time
    const point = [{ x: row.x + row.w / 2, y: row.y + row.h / 2, id: 1 }];
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: point });
    await page.waitForTimeout(700);
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
    await waitIdle(page);
    const menu = (await widgets(page)).filter((w) => w.label === '取消');
    assert.equal(menu.length, 1, 'the row\'s actions menu is open');
    await screenshot(page, 'row-menu');
    await page.touchscreen.tap(menu[0].x + menu[0].w / 2, menu[0].y + menu[0].h / 2);
    await waitIdle(page);
    assert.ok(!(await has(page, '取消')), 'the menu closes');
  } finally {
    await context.close();
  }
});

// The RGBA pixels of a screenshot region, decoded by the browser (without fetch: the page's CSP allows none to
// data: URLs).
async function regionPixels(page, rect) {
  const png = await page.screenshot({ clip: rect });
  return page.evaluate(async (b64) => {
    const blob = new Blob([Uint8Array.from(atob(b64), (c) => c.charCodeAt(0))], { type: 'image/png' });
    const bitmap = await createImageBitmap(blob);
    const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
    const ctx = canvas.getContext('2d');
    ctx.drawImage(bitmap, 0, 0);
    const { data } = ctx.getImageData(0, 0, bitmap.width, bitmap.height);
    return { width: bitmap.width, height: bitmap.height, data: Array.from(data) };
  }, png.toString('base64'));
}

// The dark pixels of a screenshot region, as a mask (true: ink).
async function inkMask(page, rect) {
  const { data } = await regionPixels(page, rect);
  const mask = [];
  for (let i = 0; i < data.length; i += 4) mask.push(data[i] + data[i + 1] + data[i + 2] < 3 * 128);
  return mask;
}

function overlap(a, b) {
  let both = 0, either = 0;
  for (let i = 0; i < a.length; i++) {
    if (a[i] && b[i]) both++;
    if (a[i] || b[i]) either++;
  }
  return either ? both / either : 1;
}

test('a rare name character is fetched on first need, renders, and still renders after an offline reload', async () => {
  const { context, page } = await open();
  try {
    // The first screen did not wait for the fuller font: it has not even been asked for.
    let releaseChunk;
    const chunkHeld = new Promise((resolve) => { releaseChunk = resolve; });
    const chunkRequests = [];
    await page.route('**/fonts/extra-*', async (route) => {
      chunkRequests.push(route.request().url());
      await chunkHeld;
      await route.continue();
    });
    await touchTap(page, '姓名');
    await page.keyboard.insertText('李䶮');
    await waitIdle(page);
    assert.equal(await page.evaluate(() => window.stewardTest.hasGlyph('䶮')), false);
    const field = await find(page, '姓名');
    // The second character's cell: the field's text starts after its padding; CJK glyphs are 20 px wide.
    const cell = { x: field.x + 12 + 20, y: field.y + 10, width: 20, height: 24 };
    const missing = await inkMask(page, cell);
    releaseChunk();
    await page.waitForFunction(() => window.stewardTest.hasGlyph('䶮'), null, { timeout: 15000 });
    await waitIdle(page);
    const drawn = await inkMask(page, cell);
    assert.equal(chunkRequests.length, 1, `one chunk fetched: ${chunkRequests.join(' ')}`);
    assert.ok(overlap(missing, drawn) < 0.5, 'the glyph is drawn, not the fallback');
    assert.ok(drawn.filter(Boolean).length > 20, 'the glyph has ink');
    await screenshot(page, 'rare-glyph');

    await touchTap(page, '手机号');
    await page.keyboard.insertText('13900001111');
    await touchTap(page, '网络');
    await touchTap(page, '保存登记');
    await find(page, /^已保存：李䶮 /, { timeout: 8000 });

    // Reload with the server unreachable for fonts: the chunk comes from the page's cache.
    await page.unroute('**/fonts/extra-*');
    await page.route('**/fonts/extra-*', (route) => route.abort());
    await page.reload();
    await waitReady(page);
    await page.waitForFunction(() => window.stewardTest.hasGlyph('䶮'), null, { timeout: 15000 });
    await touchTap(page, '今日来访');
    const name = await find(page, '李䶮');
    // The second of two full-width characters starts halfway along the name.
    const listed = await inkMask(page, { x: name.x + name.w / 2, y: name.y, width: 20, height: 24 });
    assert.ok(listed.filter(Boolean).length > 20, 'the listed name\'s glyph has ink');
    assert.ok(overlap(listed, missing) < 0.5, 'the listed name is not drawn with the fallback glyph');
    await screenshot(page, 'rare-glyph-reloaded');
  } finally {
    await context.close();
  }
});

test('a name character beyond the BMP (𠮷, CJK Extension B) is one character in the field, and is drawn after a reload', async () => {
  const { context, page } = await open();
  const cdp = await context.newCDPSession(page);
  try {
    let releaseChunk;
    const chunkHeld = new Promise((resolve) => { releaseChunk = resolve; });
    await page.route('**/fonts/extra-*', async (route) => { await chunkHeld; await route.continue(); });
    await touchTap(page, '姓名');
    await cdp.send('Input.insertText', { text: '吉' });
    await cdp.send('Input.insertText', { text: '𠮷' });
    assert.equal(await fieldText(page), '吉𠮷', 'typed once, not split into halves or replaced');
    // The page counts the caret in UTF-16 units (𠮷 is two), ImGui in characters: they meet after 𠮷.
    let state = await textField(page);
    assert.deepEqual([state.value, state.selStart, state.selEnd], ['吉𠮷', 3, 3]);
    // ImGui moves its caret over 𠮷 as one character; what is typed next lands where the page says the caret is.
    await page.keyboard.press('ArrowLeft');
    await waitIdle(page);
    state = await textField(page);
    assert.deepEqual([state.selStart, state.selEnd], [1, 1], 'one step left passes the whole of 𠮷');
    await cdp.send('Input.insertText', { text: '大' });
    assert.equal(await fieldText(page), '吉大𠮷');
    await page.keyboard.press('Backspace');
    await page.keyboard.press('End');
    await page.keyboard.press('Backspace');
    assert.equal(await fieldText(page), '吉', 'Backspace removes 𠮷 whole');
    await cdp.send('Input.insertText', { text: '𠮷' });
    assert.equal(await fieldText(page), '吉𠮷');

    const field = await find(page, '姓名');
    const cell = { x: field.x + 12 + 20, y: field.y + 10, width: 20, height: 24 };
    const missing = await inkMask(page, cell);
    releaseChunk();
    await page.waitForFunction(() => window.stewardTest.hasGlyph('𠮷'), null, { timeout: 15000 });
    await waitIdle(page);
    const drawn = await inkMask(page, cell);
    assert.ok(overlap(missing, drawn) < 0.5, 'the glyph is drawn, not the fallback');
    assert.ok(drawn.filter(Boolean).length > 20, 'the glyph has ink');
    await screenshot(page, 'supplementary-glyph');

    await touchTap(page, '手机号');
    await page.keyboard.insertText('13900002222');
    await touchTap(page, '网络');
    await touchTap(page, '保存登记');
    await find(page, /^已保存：吉𠮷 /, { timeout: 8000 });

    await page.unroute('**/fonts/extra-*');
    await page.reload();
    await waitReady(page);
    await page.waitForFunction(() => window.stewardTest.hasGlyph('𠮷'), null, { timeout: 15000 });
    await touchTap(page, '今日来访');
    const name = await find(page, '吉𠮷');
    assert.equal((await widgets(page)).filter((w) => w.label.includes('𠮷')).length, 1, 'listed once');
    // The second of two full-width characters starts halfway along the name.
    const listed = await inkMask(page, { x: name.x + name.w / 2, y: name.y, width: 20, height: 24 });
    assert.ok(listed.filter(Boolean).length > 20, 'the listed name\'s glyph has ink');
    assert.ok(overlap(listed, missing) < 0.5, 'the listed name is not drawn with the fallback glyph');
    await screenshot(page, 'supplementary-glyph-reloaded');
  } finally {
    await context.close();
  }
});

// The largest luminance step between neighbouring pixels of a region: sharp text has near black-to-white steps.
test('a name character Noto lacks (𪚥, CJK Extension B) is drawn from a HanaMin chunk, and after an offline reload', async () => {
  const { context, page } = await open();
  const cdp = await context.newCDPSession(page);
  try {
    let releaseChunk;
    const chunkHeld = new Promise((resolve) => { releaseChunk = resolve; });
    const chunkRequests = [];
    await page.route('**/fonts/extra-*', async (route) => {
      chunkRequests.push(route.request().url());
      await chunkHeld;
      await route.continue();
    });
    await touchTap(page, '姓名');
    await cdp.send('Input.insertText', { text: '龙' });
    await cdp.send('Input.insertText', { text: '𪚥' });
    assert.equal(await fieldText(page), '龙𪚥');
    await waitIdle(page);
    assert.equal(await page.evaluate(() => window.stewardTest.hasGlyph('𪚥')), false);
    const field = await find(page, '姓名');
    const cell = { x: field.x + 12 + 20, y: field.y + 10, width: 20, height: 24 };
    const missing = await inkMask(page, cell);
    releaseChunk();
    await page.waitForFunction(() => window.stewardTest.hasGlyph('𪚥'), null, { timeout: 15000 });
    await waitIdle(page);
    const drawn = await inkMask(page, cell);
    assert.equal(chunkRequests.length, 1, `one chunk fetched: ${chunkRequests.join(' ')}`);
    assert.match(chunkRequests[0], /\/fonts\/extra-\d+-[0-9a-f]+\.ttf$/, 'from a HanaMin chunk');
    assert.ok(overlap(missing, drawn) < 0.5, 'the glyph is drawn, not the fallback');
    assert.ok(drawn.filter(Boolean).length > 20, 'the glyph has ink');
    await screenshot(page, 'hanamin-glyph');

    await touchTap(page, '手机号');
    await page.keyboard.insertText('13900003333');
    await touchTap(page, '网络');
    await touchTap(page, '保存登记');
    await find(page, /^已保存：龙𪚥 /, { timeout: 8000 });

    // Offline for fonts: the .ttf chunk comes from the page's cache like Noto's .otf ones.
    await page.unroute('**/fonts/extra-*');
    await page.route('**/fonts/extra-*', (route) => route.abort());
    await page.reload();
    await waitReady(page);
    await page.waitForFunction(() => window.stewardTest.hasGlyph('𪚥'), null, { timeout: 15000 });
    await touchTap(page, '今日来访');
    const name = await find(page, '龙𪚥');
    // The second of two full-width characters starts halfway along the name.
    const listed = await inkMask(page, { x: name.x + name.w / 2, y: name.y, width: 20, height: 24 });
    assert.ok(listed.filter(Boolean).length > 20, 'the listed name\'s glyph has ink');
    assert.ok(overlap(listed, missing) < 0.5, 'the listed name is not drawn with the fallback glyph');
    await screenshot(page, 'hanamin-glyph-reloaded');
  } finally {
    await context.close();
  }
});

async function sharpestEdge(page, rect) {
  const { width, height, data } = await regionPixels(page, rect);
  const lum = (i) => (data[i] + data[i + 1] + data[i + 2]) / 3;
  let best = 0;
  for (let y = 0; y < height; y++) {
    for (let x = 1; x < width; x++) {
      const i = (y * width + x) * 4;
      best = Math.max(best, Math.abs(lum(i) - lum(i - 4)));
    }
  }
  return best;
}

test('at 2x the canvas, the glyphs and the screenshots are at the screen\'s own density', async () => {
  for (const scale of [1, 2]) {
    const { context, page } = await open({ deviceScaleFactor: scale });
    try {
      const size = await page.evaluate(() => {
        const c = document.getElementById('canvas');
        return { width: c.width, cssWidth: c.clientWidth, height: c.height, cssHeight: c.clientHeight };
      });
      assert.equal(size.width, size.cssWidth * scale);
      assert.equal(size.height, size.cssHeight * scale);
      const metrics = await page.evaluate(() => window.stewardTest.metrics());
      assert.equal(metrics.atlas.fontPx, 20 * scale, 'glyphs rasterized for the density, not scaled up');
      const title = await find(page, '管家 · 案场来访登记');
      const edge = await sharpestEdge(page, { x: title.x, y: title.y, width: title.w, height: title.h });
      assert.ok(edge > 160, `crisp edges at ${scale}x: largest step ${edge.toFixed(0)} of 255`);
      await tap(page, '今日来访');
      await screenshot(page, `density-${scale}x`);
    } finally {
      await context.close();
    }
  }
});

test('the focused field stays above the on-screen keyboard, and a rotation keeps what was typed', async () => {
  const { context, page } = await open({ viewport: { width: 800, height: 1280 } });
  try {
    await touchTap(page, '备注');
    await page.keyboard.insertText('周末再来');
    // The keyboard takes the lower half: the visual viewport (and the canvas following it) shrinks.
    await page.setViewportSize({ width: 800, height: 560 });
    await waitIdle(page);
    const notes = await find(page, '备注');
    assert.ok(notes.y >= 0 && notes.y + notes.h <= 560, `the notes field is in view: ${JSON.stringify(notes)}`);
    await screenshot(page, 'keyboard-open');
    // The form scrolled to show it; a finger scrolls it back to the name.
    const form = (await page.evaluate(() => window.stewardTest.scroll())).find((w) => w.name.includes('##register'));
    assert.ok(form && form.y > 0, JSON.stringify(form));
    for (let i = 0; i < 2; i++) {
      await touchDrag(page, { x: 600, y: 250 }, { x: 600, y: 540 }, { steps: 20, stepMs: 20 });
      await waitIdle(page);
    }
    await find(page, '姓名');
    // Rotate to landscape and back: the text and the focus stay.
    await page.setViewportSize({ width: 1280, height: 800 });
    await waitIdle(page);
    await page.setViewportSize({ width: 800, height: 1280 });
    await waitIdle(page);
    assert.equal(await fieldText(page), '周末再来');
    assert.equal((await textField(page)).focused, true);
  } finally {
    await context.close();
  }
});

test('what is typed reaches a notes field out of sight: as the keyboard opens over it, and after a finger scrolled it away', async () => {
  const { context, page } = await open({ viewport: { width: 800, height: 1280 } });
  try {
    await touchTap(page, '备注');
    await page.waitForFunction(() => window.stewardTest.textField().focused);
    // The first characters arrive as the keyboard takes the lower half: in that frame the notes field, a multiline
    // one, is below the screen and ImGui skips it (and would drop the characters) until it is scrolled into view.
    const cdp = await context.newCDPSession(page);
    const typed = cdp.send('Input.insertText', { text: '周末' });
    await page.setViewportSize({ width: 800, height: 560 });
    await typed;
    assert.equal(await fieldText(page), '周末');
    assert.ok(await has(page, '备注'), 'the field was brought into view');
    // A finger scrolls the form back up to the name: the field is out of sight, and the keyboard stays open.
    for (let i = 0; i < 2; i++) {
      await touchDrag(page, { x: 600, y: 250 }, { x: 600, y: 540 }, { steps: 20, stepMs: 20 });
      await waitIdle(page);
    }
    await find(page, '姓名');
    assert.equal(await has(page, '备注'), false, 'the field is out of sight');
    assert.equal((await textField(page)).focused, true, 'the keyboard stays open');
    // Typing goes on: the form scrolls back to the field, which gets every character.
    await page.keyboard.insertText('再来');
    assert.equal(await fieldText(page), '周末再来');
    const notes = await find(page, '备注');
    assert.ok(notes.y >= 0 && notes.y + notes.h <= 560, `the notes field is in view again: ${JSON.stringify(notes)}`);
    // Deleting out of sight works the same way.
    for (let i = 0; i < 2; i++) {
      await touchDrag(page, { x: 600, y: 250 }, { x: 600, y: 540 }, { steps: 20, stepMs: 20 });
      await waitIdle(page);
    }
    assert.equal(await has(page, '备注'), false, 'the field is out of sight again');
    await page.keyboard.press('Backspace');
    assert.equal(await fieldText(page), '周末再');
    await screenshot(page, 'typed-out-of-sight');
  } finally {
    await context.close();
  }
});
