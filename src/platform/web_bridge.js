// The browser side of the platform layer: storage (IDBFS, writer lock, durability), input, the test hook.
// The C++ side is src/platform/main_web.cpp; every call back into it goes through an exported _steward_on_*.

mergeInto(LibraryManager.library, {
  $stewardState: {
    estimateTimer: 0,
  },

  $stewardString: function(str) {
    var size = lengthBytesUTF8(str) + 1;
    var ptr = _malloc(size);
    stringToUTF8(str, ptr, size);
    return ptr;
  },

  $stewardCallWithString__deps: ['$stewardString'],
  $stewardCallWithString: function(fn, str) {
    var ptr = stewardString(str);
    try { fn(ptr); } finally { _free(ptr); }
  },

  $stewardStorageInfo: function() {
    if (!navigator.storage || !navigator.storage.estimate) return;
    navigator.storage.estimate().then(function(e) {
      _steward_on_storage_estimate(e.usage || 0, e.quota || 0);
    }).catch(function() {});
  },

  $stewardInstallInput__deps: ['$stewardState', '$stewardCallWithString', '$stewardTextField'],
  $stewardInstallInput: function() {
    var canvas = Module['canvas'];
    // The keys Dear ImGui maps (KeyMap uses the DOM keyCode numbers).
    var special = {8: 1, 9: 1, 13: 1, 27: 1, 33: 1, 34: 1, 35: 1, 36: 1, 37: 1, 38: 1, 39: 1, 40: 1, 45: 1, 46: 1};
    // While a field is edited, Backspace, Delete, Left, Right and Ctrl+A are the textarea's own, so their edits
    // reach ImGui in order with the typing around them, as one sequence of edits and selections. Passed to ImGui
    // as keys, they took effect a frame later, behind the textarea's back: a select all, Backspace and retype
    // quicker than a frame came out empty, or as the letters that differed. Home, End, Up and Down stay ImGui's:
    // the 1-pixel textarea wraps every character onto a line of its own.
    var textareaKeys = {8: 1, 37: 1, 39: 1, 46: 1};
    // Textarea keys whose press went to ImGui (see onKey): their release follows it there.
    var textareaKeysAtImgui = {};
    function buttonOf(e) { return e.button === 2 ? 1 : e.button === 1 ? 2 : 0; }
    function pointerKind(e) { return e.pointerType === 'touch' ? 1 : e.pointerType === 'pen' ? 2 : 0; }
    // One finger drives the app; a second one (a palm, a pinch) is ignored.
    function ignored(e) { return e.pointerType !== 'mouse' && !e.isPrimary; }
    canvas.addEventListener('pointerdown', function(e) {
      e.preventDefault();
      if (ignored(e)) return;
      try { canvas.setPointerCapture(e.pointerId); } catch (err) {}
      _steward_on_pointer(0, e.offsetX, e.offsetY, buttonOf(e), pointerKind(e), e.timeStamp);
    });
    canvas.addEventListener('pointermove', function(e) {
      if (ignored(e)) return;
      _steward_on_pointer(1, e.offsetX, e.offsetY, buttonOf(e), pointerKind(e), e.timeStamp);
    });
    canvas.addEventListener('pointerup', function(e) {
      if (ignored(e)) return;
      // iOS opens the keyboard only for a focus made inside the touch's own handler.
      if (e.pointerType !== 'mouse') stewardTextField.focusIfFieldAt(e.offsetX, e.offsetY);
      _steward_on_pointer(2, e.offsetX, e.offsetY, buttonOf(e), pointerKind(e), e.timeStamp);
    });
    canvas.addEventListener('pointercancel', function(e) {
      if (ignored(e)) return;
      _steward_on_pointer(3, e.offsetX, e.offsetY, buttonOf(e), pointerKind(e), e.timeStamp);
    });
    canvas.addEventListener('contextmenu', function(e) { e.preventDefault(); });
    canvas.addEventListener('wheel', function(e) {
      e.preventDefault();
      var unit = e.deltaMode === 1 ? 40 : e.deltaMode === 2 ? 800 : 1;
      _steward_on_wheel(e.deltaX * unit, e.deltaY * unit);
    }, {passive: false});
    // The page itself never zooms or scrolls: Safari ignores user-scalable=no and touch-action for pinches.
    ['gesturestart', 'gesturechange', 'gestureend'].forEach(function(type) {
      document.addEventListener(type, function(e) { e.preventDefault(); }, {passive: false});
    });
    document.addEventListener('touchmove', function(e) { e.preventDefault(); }, {passive: false});
    document.addEventListener('dblclick', function(e) { e.preventDefault(); }, {passive: false});

    // Shift, Ctrl, Alt, Meta: passed on (and left to the page as well) so ImGui knows when they are released;
    // otherwise Ctrl stayed held after a Ctrl+A, and ImGui dropped every character typed after it.
    var modifiers = {16: 1, 17: 1, 18: 1, 91: 1, 92: 1, 93: 1, 224: 1};
    function toImgui(e, down, seq) {
      _steward_on_key(e.keyCode, down ? 1 : 0, e.ctrlKey ? 1 : 0, e.shiftKey ? 1 : 0, e.altKey ? 1 : 0,
                      e.metaKey ? 1 : 0, seq);
    }
    function onKey(e, down) {
      var code = e.keyCode;
      if (modifiers[code]) {
        toImgui(e, down, 0);
        return;
      }
      var ctrl = e.ctrlKey || e.metaKey;
      var letter = code >= 65 && code <= 90;
      var tf = stewardTextField;
      var editing = tf.active && document.activeElement === tf.ta;
      // A key ImGui carries out (End, Enter, undo) moves its caret a frame later, and the textarea's caret
      // follows only when the field comes back: until then the textarea's caret is stale, and the textarea's
      // keys pressed behind such a key go to ImGui as well, in order (typing goes to ImGui's caret: onValue).
      // End and Backspace quicker than a frame deleted at the caret's old place.
      if (editing && (textareaKeys[code] || (ctrl && code === 65))) {
        if (down ? !tf.behindImgui : !textareaKeysAtImgui[code]) return;
        textareaKeysAtImgui[code] = down;
        toImgui(e, down, down ? tf.sentKey() : 0);
        e.preventDefault();
        return;
      }
      // Copy, cut and paste are the textarea's own: it holds the field's text and selection.
      if (ctrl && (code === 67 || code === 86 || code === 88)) return;
      if (!special[code] && !(ctrl && letter)) return;
      toImgui(e, down, editing && down ? tf.sentKey() : 0);
      e.preventDefault();
    }
    window.addEventListener('keydown', function(e) { if (!e.isComposing && e.keyCode !== 229) onKey(e, true); });
    window.addEventListener('keyup', function(e) { if (!e.isComposing && e.keyCode !== 229) onKey(e, false); });

    stewardTextField.install(document.getElementById('text-input'), canvas);
    window.addEventListener('blur', function() { _steward_on_focus_lost(); });
    // navigator.onLine lies on captive networks: 'online' only prompts a try; the replicator's own requests
    // (and its backoff retries) are what tell whether the server is reachable.
    window.addEventListener('online', function() { _steward_on_online(); });
    window.addEventListener('resize', function() { _steward_request_frames(); });
    document.addEventListener('visibilitychange', function() { _steward_request_frames(); });

    // The canvas covers the visual viewport: when the on-screen keyboard takes the bottom of the screen (or
    // Safari pans the page), the app is laid out in what is left and scrolls the active field into it.
    var vv = window.visualViewport;
    if (vv) {
      var fit = function() {
        canvas.style.top = vv.offsetTop + 'px';
        canvas.style.left = vv.offsetLeft + 'px';
        canvas.style.width = vv.width + 'px';
        canvas.style.height = vv.height + 'px';
        _steward_request_frames();
      };
      vv.addEventListener('resize', fit);
      vv.addEventListener('scroll', fit);
      fit();
    }
  },

  // The hidden textarea that mirrors the active ImGui field (see src/platform/text_field.hpp).
  $stewardTextField__deps: ['$stewardCallWithString'],
  $stewardTextField: {
    ta: null,
    canvas: null,
    value: '',          // what ImGui's field holds, as far as the page knows (edits sent included)
    selStart: 0, selEnd: 0,
    seqSent: 0,         // edits and selections sent to the app
    seqApplied: 0,      // ... of which the app has applied this many
    behindImgui: false, // a key went to ImGui while the field was edited, and the textarea has not caught up
    composing: false,
    compStart: 0,
    compText: '',
    active: false,
    appText: '',        // the field's text as the app last reported it
    rects: [],

    install: function(ta, canvas) {
      var f = stewardTextField;
      f.ta = ta;
      f.canvas = canvas;
      ta.addEventListener('compositionstart', function() {
        f.composing = true;
        f.compStart = Math.min(ta.selectionStart, ta.selectionEnd);
        f.compText = '';
      });
      ta.addEventListener('compositionupdate', function(e) {
        f.compText = e.data || '';
      });
      ta.addEventListener('compositionend', function() {
        f.composing = false;
        f.onValue();
        _steward_on_composition(-1, -1);
      });
      // Composing or not: the composition is shown in place, and its commit replaces it.
      ta.addEventListener('input', function() { f.onValue(); });
      document.addEventListener('selectionchange', function() { f.onSelection(); });
    },

    // The textarea's value changed: send the difference from what ImGui has as one replacement.
    onValue: function() {
      var f = stewardTextField, ta = f.ta;
      var now = ta.value, old = f.value;
      if (now !== old) {
        var prefix = 0, max = Math.min(now.length, old.length);
        while (prefix < max && now.charCodeAt(prefix) === old.charCodeAt(prefix)) prefix++;
        var suffix = 0;
        while (suffix < max - prefix &&
               now.charCodeAt(now.length - 1 - suffix) === old.charCodeAt(old.length - 1 - suffix)) suffix++;
        // Never split a surrogate pair: ImGui receives whole characters.
        if (prefix > 0 && (now.charCodeAt(prefix - 1) & 0xFC00) === 0xD800) prefix--;
        if (suffix > 0 && (now.charCodeAt(now.length - suffix) & 0xFC00) === 0xDC00) suffix--;
        var inserted = now.slice(prefix, now.length - suffix);
        var start = prefix, end = old.length - suffix;
        // Typed behind a key ImGui has still to carry out (see onKey): at ImGui's caret (start -1), which the
        // textarea's caret does not show yet.
        if (start === end && !f.composing && f.behindImgui) start = end = -1;
        var seq = ++f.seqSent;
        stewardCallWithString(function(p) { _steward_on_text_edit(seq, start, end, p); }, inserted);
        f.value = now;
        f.selStart = ta.selectionStart;
        f.selEnd = ta.selectionEnd;
      }
      if (f.composing) {
        var start = Math.min(f.compStart, now.length);
        _steward_on_composition(start, Math.min(start + f.compText.length, now.length));
      }
    },

    // A key goes to ImGui while the field is edited: the textarea takes the field back once it has been applied.
    sentKey: function() {
      var f = stewardTextField;
      f.behindImgui = true;
      return ++f.seqSent;
    },

    // The keyboard moved the caret (cursor keys, a swipe on the space bar): ImGui's caret follows.
    onSelection: function() {
      var f = stewardTextField, ta = f.ta;
      if (!f.active || document.activeElement !== ta || f.composing || ta.value !== f.value) return;
      if (ta.selectionStart === f.selStart && ta.selectionEnd === f.selEnd) return;
      f.selStart = ta.selectionStart;
      f.selEnd = ta.selectionEnd;
      _steward_on_text_select(++f.seqSent, f.selStart, f.selEnd);
    },

    // After a frame: ImGui's field as it is. Taken over only when the app has applied every edit sent and no
    // composition is under way (rewriting the textarea mid-composition would cancel it).
    update: function(active, text, selStart, selEnd, appliedSeq, caretX, caretY, lineHeight) {
      var f = stewardTextField, ta = f.ta;
      f.seqApplied = appliedSeq;
      f.active = !!active;
      f.appText = active ? text : '';
      if (!active) {
        f.composing = f.behindImgui = false;
        f.value = '';
        ta.value = '';
        if (document.activeElement === ta) ta.blur();
        return;
      }
      // At the caret, so candidate windows and the browser's scroll-into-view aim at the right place.
      var box = f.canvas.getBoundingClientRect();
      ta.style.left = (box.left + caretX) + 'px';
      ta.style.top = (box.top + caretY) + 'px';
      ta.style.height = Math.max(lineHeight, 1) + 'px';
      if (!f.composing && appliedSeq === f.seqSent) {
        f.behindImgui = false;
        if (ta.value !== text) ta.value = text;
        f.value = text;
        if (ta.selectionStart !== selStart || ta.selectionEnd !== selEnd) ta.setSelectionRange(selStart, selEnd);
        f.selStart = selStart;
        f.selEnd = selEnd;
      }
      if (document.activeElement !== ta) ta.focus({preventScroll: true});
    },

    // The edit menu's commands (src/ui/text_field_menu.hpp), run inside the tap's own event handler: browsers let
    // a page read the clipboard only there. They act on the textarea, which holds the field's text and selection,
    // so the edits reach ImGui as any keyboard's do. Problems: 0 the copy failed, 1 reading was refused, 2 no
    // clipboard here (plain HTTP), 3 nothing to paste.
    command: function(command) {
      var f = stewardTextField, ta = f.ta;
      if (!f.active || f.composing) return;
      var clip = navigator.clipboard;
      var before = ta.value;
      var start = Math.min(ta.selectionStart, ta.selectionEnd), end = Math.max(ta.selectionStart, ta.selectionEnd);
      function write(text) {
        // A page served over plain HTTP (a server on the shop's LAN) has no navigator.clipboard; the older copy
        // command still copies the textarea's selection during a tap.
        function legacy() {
          var ok = false;
          if (ta.value === before && ta.selectionStart === start && ta.selectionEnd === end) {
            try { ok = document.execCommand('copy'); } catch (e) {}
          }
          return ok ? Promise.resolve() : Promise.reject(new Error('copy refused'));
        }
        return clip && clip.writeText ? clip.writeText(text).catch(legacy) : legacy();
      }
      if (command === 0) {
        ta.setSelectionRange(0, ta.value.length);
        f.onSelection();
      } else if (command === 1 || command === 2) {
        if (start === end) return;
        write(before.slice(start, end)).then(function() {
          // A cut removes the text only once it is on the clipboard, and only from the text it was taken from.
          if (command !== 1 || ta.value !== before || !f.active) return;
          ta.setRangeText('', start, end, 'end');
          f.onValue();
        }, function(e) {
          console.warn('clipboard write failed', e);
          _steward_on_clipboard_problem(0);
        });
      } else if (command === 3) {
        if (!clip || !clip.readText) { _steward_on_clipboard_problem(2); return; }
        clip.readText().then(function(text) {
          if (!text) { _steward_on_clipboard_problem(3); return; }
          if (!f.active || f.composing) return;
          // Where the selection is now: the field may have moved on while the browser asked for permission.
          ta.setRangeText(text, ta.selectionStart, ta.selectionEnd, 'end');
          f.onValue();
        }, function(e) {
          console.warn('clipboard read refused', e);
          _steward_on_clipboard_problem(1);
        });
      }
    },

    focusIfFieldAt: function(x, y) {
      var f = stewardTextField;
      for (var i = 0; i < f.rects.length; i++) {
        var r = f.rects[i];
        if (x >= r[0] && x < r[0] + r[2] && y >= r[1] && y < r[1] + r[3]) {
          if (document.activeElement !== f.ta) f.ta.focus({preventScroll: true});
          return;
        }
      }
    },
  },

  // Emscripten 3.1.6's IDBFS.reconcile (used by FS.syncfs, here only for the first load of the data) never
  // calls back when its IndexedDB transaction aborts and reports request errors as undefined (`this.error`
  // in an arrow function), so a failure would hang the start-up. This copy reports every failure, once.
  $stewardPatchIdbfs__deps: ['$IDBFS'],
  $stewardPatchIdbfs: function() {
    IDBFS.reconcile = function(src, dst, callback) {
      var create = [], remove = [];
      Object.keys(src.entries).forEach(function(key) {
        var e = src.entries[key], e2 = dst.entries[key];
        if (!e2 || e['timestamp'].getTime() != e2['timestamp'].getTime()) create.push(key);
      });
      Object.keys(dst.entries).forEach(function(key) { if (!src.entries[key]) remove.push(key); });
      if (!create.length && !remove.length) return callback(null);

      var finished = false;
      function finish(err) {
        if (finished) return;
        finished = true;
        callback(err);
      }
      var db = src.type === 'remote' ? src.db : dst.db;
      var transaction;
      try {
        transaction = db.transaction([IDBFS.DB_STORE_NAME], 'readwrite');
      } catch (e) {
        return finish(e);
      }
      var store = transaction.objectStore(IDBFS.DB_STORE_NAME);
      function fail(err) {
        if (!err) return;
        try { transaction.abort(); } catch (e) {}
        finish(err);
      }
      transaction.onerror = function(e) { finish(e.target.error || transaction.error || new Error('IndexedDB error')); };
      transaction.onabort = function() { finish(transaction.error || new Error('IndexedDB transaction aborted')); };
      transaction.oncomplete = function() { finish(null); };

      create.sort().forEach(function(path) {
        if (dst.type === 'local') {
          IDBFS.loadRemoteEntry(store, path, function(err, entry) {
            if (err) return fail(err);
            IDBFS.storeLocalEntry(path, entry, fail);
          });
        } else {
          IDBFS.loadLocalEntry(path, function(err, entry) {
            if (err) return fail(err);
            try {
              store.put(entry, path);
            } catch (e) {
              fail(e);
            }
          });
        }
      });
      remove.sort().reverse().forEach(function(path) {
        if (dst.type === 'local') {
          IDBFS.removeLocalEntry(path, fail);
        } else {
          try {
            store.delete(path);
          } catch (e) {
            fail(e);
          }
        }
      });
    };
  },

  steward_js_start__deps: ['$stewardPatchIdbfs', '$stewardInstallInput', '$stewardTextField', '$stewardStorageInfo', '$stewardCallWithString', '$IDBFS'],
  steward_js_start: function() {
    stewardPatchIdbfs();
    stewardInstallInput();
    window['stewardTest'] = {
      'widgets': function() {
        var ptr = _steward_test_widgets();
        var json = UTF8ToString(ptr);
        _free(ptr);
        return JSON.parse(json);
      },
      'ready': function() { return !!_steward_test_ready(); },
      'idle': function() { return !!_steward_test_idle(); },
      'textField': function() {
        var f = stewardTextField;
        return {active: f.active, text: f.appText, value: f.ta.value, selStart: f.selStart, selEnd: f.selEnd,
                composing: f.composing, focused: document.activeElement === f.ta};
      },
      'hasGlyph': function(ch) { return !!_steward_test_has_glyph(ch.codePointAt(0)); },
      // {ticket id: {photo name: bytes held on this tablet}}
      'photos': function() {
        var ptr = _steward_test_photos();
        var json = UTF8ToString(ptr);
        _free(ptr);
        return JSON.parse(json);
      },
      'clearFrameTimes': function() { _steward_test_clear_frame_times(); },
      // {phase: 0 starting, 1 signed out, 2 choosing a site, 3 opening, 4 signed in, 5 signing out; user, site,
      // role, locked, offline, needsPassword}
      'session': function() {
        var ptr = _steward_test_session();
        var json = UTF8ToString(ptr);
        _free(ptr);
        return JSON.parse(json);
      },
      'scroll': function() {
        var ptr = _steward_test_scroll();
        var json = UTF8ToString(ptr);
        _free(ptr);
        return JSON.parse(json);
      },
      'metrics': function() {
        var ptr = _steward_test_metrics();
        var metrics = JSON.parse(UTF8ToString(ptr));
        _free(ptr);
        metrics['heapBytes'] = HEAP8.length;
        return metrics;
      },
    };

    function takeWriterLock() {
      if (!navigator.locks) return Promise.resolve(true);  // no Web Locks: a single-tab browser
      return new Promise(function(resolve) {
        navigator.locks.request('steward-writer', {ifAvailable: true}, function(lock) {
          if (!lock) { resolve(false); return undefined; }
          resolve(true);
          return new Promise(function() {});  // held until this tab goes away
        });
      });
    }

    takeWriterLock().then(function(writer) {
      if (!writer) {
        // When the writing tab closes, this one takes over with a fresh load of the data.
        navigator.locks.request('steward-writer', function() { location.reload(); return new Promise(function() {}); });
      }
      // Before accounts, one store for everyone lived in the IndexedDB database '/steward'. There were no real
      // users then: it is dropped (what it synced is on the server), never moved into somebody's stores.
      if (writer) {
        try {
          var legacy = indexedDB.deleteDatabase('/steward');
          legacy.onerror = function() { console.warn('the old shared store could not be removed', legacy.error); };
        } catch (e) {}
      }
      _steward_on_storage_ready(writer ? 1 : 0, 0);
    });

    if (navigator.storage && navigator.storage.persist) {
      navigator.storage.persisted().then(function(already) {
        return already || navigator.storage.persist();
      }).then(function(granted) {
        _steward_on_storage_persisted(granted ? 1 : 0);
      }).catch(function() { _steward_on_storage_persisted(0); });
    }
    stewardStorageInfo();
  },

  // The signed-in person's folder, an IDBFS mount of its own (its own IndexedDB database, named by the path):
  // loaded whole into memory, as the app reads its stores from there. Answers steward_on_user_storage(error).
  steward_js_user_storage_open__deps: ['$IDBFS', '$stewardCallWithString'],
  steward_js_user_storage_open: function(mountPtr) {
    var mount = UTF8ToString(mountPtr);
    function report(err) {
      var message = err ? (err.name || 'Error') + ': ' + (err.message || String(err)) : '';
      stewardCallWithString(function(p) { _steward_on_user_storage(p); }, message);
    }
    var node;
    try {
      FS.mkdirTree(mount);
      node = FS.mount(IDBFS, {}, mount);
    } catch (e) {
      return report(e);
    }
    IDBFS.syncfs(node.mount, true, report);
  },

  // Unmounts the person's folder; with `forget`, deletes its IndexedDB database too (their restricted data leaves
  // the tablet). Call once nothing is being persisted.
  steward_js_user_storage_close__deps: ['$IDBFS'],
  steward_js_user_storage_close: function(mountPtr, forget) {
    var mount = UTF8ToString(mountPtr);
    try { FS.unmount(mount); } catch (e) { console.warn('unmount', mount, e); }
    var db = IDBFS.dbs[mount];
    if (db) {
      db.close();
      delete IDBFS.dbs[mount];
    }
    if (!forget) return;
    var req = indexedDB.deleteDatabase(mount);
    req.onerror = function() { console.warn('the store of', mount, 'could not be removed', req.error); };
    req.onblocked = function() { console.warn('removing', mount, 'waits for another tab to close it'); };
  },

  steward_js_persist_files__deps: ['$IDBFS', '$PATH', '$stewardState', '$stewardStorageInfo', '$stewardCallWithString'],
  steward_js_persist_files: function(generation, filesJson) {
    var files = JSON.parse(UTF8ToString(filesJson));
    function report(err) {
      if (err) {
        var name = err.name || '';
        var quota = name === 'QuotaExceededError' || /quota/i.test(String(err.message || err));
        var message = (name ? name + ': ' : '') + (err.message || String(err));
        stewardCallWithString(function(p) { _steward_on_persisted(generation, 0, quota ? 1 : 0, p); }, message);
      } else {
        _steward_on_persisted(generation, 1, 0, 0);
      }
      clearTimeout(stewardState.estimateTimer);
      stewardState.estimateTimer = setTimeout(stewardStorageInfo, 2000);
    }
    IDBFS.getDB(files.mount, function(err, db) {
      if (err) return report(err);
      var finished = false;
      function finish(e) { if (!finished) { finished = true; report(e); } }
      var transaction;
      try {
        transaction = db.transaction([IDBFS.DB_STORE_NAME], 'readwrite');
      } catch (e) {
        return finish(e);
      }
      // An abort is how a full quota arrives; the whole batch is then not written, and is sent again later.
      transaction.oncomplete = function() { finish(null); };
      transaction.onabort = function() { finish(transaction.error || new Error('IndexedDB transaction aborted')); };
      transaction.onerror = function(e) { finish(e.target.error || transaction.error); };
      var store = transaction.objectStore(IDBFS.DB_STORE_NAME);
      try {
        // Entries exactly as IDBFS keeps them (path -> {timestamp, mode, contents}), folders first, so the next
        // start's FS.syncfs(true) loads them like any other.
        var folders = {};
        files.written.forEach(function(path) {
          for (var dir = PATH.dirname(path); dir.length > files.mount.length; dir = PATH.dirname(dir)) folders[dir] = true;
        });
        Object.keys(folders).sort().concat(files.written).forEach(function(path) {
          IDBFS.loadLocalEntry(path, function(e, entry) {
            if (e) throw e;
            store.put(entry, path);
          });
        });
        files.removed.forEach(function(path) { store.delete(path); });
      } catch (e) {
        try { transaction.abort(); } catch (ignored) {}
        finish(e);
      }
    });
  },

  steward_js_text_field__deps: ['$stewardTextField'],
  steward_js_text_field: function(active, text, selStart, selEnd, appliedSeq, caretX, caretY, lineHeight) {
    if (!stewardTextField.ta) return;
    stewardTextField.update(active, UTF8ToString(text), selStart, selEnd, appliedSeq, caretX, caretY, lineHeight);
  },

  steward_js_text_command__deps: ['$stewardTextField'],
  steward_js_text_command: function(command) {
    if (stewardTextField.ta) stewardTextField.command(command);
  },

  steward_js_text_field_rects__deps: ['$stewardTextField'],
  steward_js_text_field_rects: function(json) {
    stewardTextField.rects = JSON.parse(UTF8ToString(json));
  },

  // Chunks of the fuller font stay in their own cache (not the per-build shell cache): fetched once, on first
  // need, and there for every later start, also offline. Each file name carries its content's hash.
  steward_js_fetch_font_chunk: function(chunk, filePtr) {
    var url = 'fonts/' + UTF8ToString(filePtr);
    function deliver(buffer) {
      var bytes = new Uint8Array(buffer);
      var ptr = _malloc(bytes.length);
      HEAPU8.set(bytes, ptr);
      _steward_on_font_chunk(chunk, ptr, bytes.length);  // the app frees it
    }
    function fromNetwork() {
      return fetch(url).then(function(r) {
        if (!r.ok) throw new Error(url + ': HTTP ' + r.status);
        return r;
      });
    }
    var got = !window.caches ? fromNetwork() : caches.open('steward-fonts').then(function(cache) {
      return cache.match(url).then(function(hit) {
        return hit || fromNetwork().then(function(r) { return cache.put(url, r.clone()).then(function() { return r; }); });
      });
    });
    got.then(function(r) { return r.arrayBuffer(); }).then(deliver).catch(function(e) {
      console.warn('font chunk unavailable', url, e);
      _steward_on_font_chunk(chunk, 0, 0);
    });
  },

  steward_js_take_font__deps: ['$stewardString'],
  steward_js_take_font: function(sizePtr) {
    var bytes = Module['stewardFont'];
    if (!bytes) { HEAP32[sizePtr >> 2] = 0; return 0; }
    var ptr = _malloc(bytes.length);
    HEAPU8.set(bytes, ptr);
    HEAP32[sizePtr >> 2] = bytes.length;
    Module['stewardFont'] = null;  // the atlas is built from the heap copy; let the JS copy go
    return ptr;
  },

  // Bodies cross as bytes both ways: a pull moves megabytes of JSON, and decoding them to a JS string only to
  // encode them back into the heap took longer than parsing them.
  steward_js_http: function(id, method, url, body, bodyLength, contentEncoding, timeoutMs) {
    var init = {method: UTF8ToString(method), cache: 'no-store', headers: {'Accept': 'application/json'}};
    if (bodyLength > 0) {
      init.body = HEAPU8.slice(body, body + bodyLength);
      init.headers['Content-Type'] = 'application/json';
      var encoding = UTF8ToString(contentEncoding);
      if (encoding) init.headers['Content-Encoding'] = encoding;
    }
    var controller = new AbortController();
    init.signal = controller.signal;
    var timer = setTimeout(function() { controller.abort(); }, timeoutMs);
    function answer(status, bytes) {
      var ptr = _malloc(bytes.length + 1);
      HEAPU8.set(bytes, ptr);
      try { _steward_on_http(id, status, ptr, bytes.length); } finally { _free(ptr); }
    }
    fetch(UTF8ToString(url), init).then(function(response) {
      return response.arrayBuffer().then(function(buffer) {
        clearTimeout(timer);
        answer(response.status, new Uint8Array(buffer));
      });
    }).catch(function(e) {
      clearTimeout(timer);
      var timedOut = e && e.name === 'AbortError';
      answer(timedOut ? -1 : 0, new TextEncoder().encode(timedOut ? 'timed out' : String(e && e.message || e)));
    });
  },

  // Where this tablet syncs: ?sync=<database URL> on the page (kept for later starts, also offline), else the
  // last one given, else '' (the server the app came from). A company with an Apache CouchDB cluster points
  // its tablets there this way.
  steward_js_sync_url__deps: ['$stewardString'],
  steward_js_sync_url: function() {
    var url = null;
    try {
      url = new URLSearchParams(location.search).get('sync');
      if (url) localStorage.setItem('steward.syncUrl', url);
      else url = localStorage.getItem('steward.syncUrl');
    } catch (e) {}
    if (url && url.charAt(url.length - 1) !== '/') url += '/';
    return stewardString(url || '');
  },

  steward_js_save_pref: function(key, value) {
    try { localStorage.setItem('steward.' + UTF8ToString(key), UTF8ToString(value)); } catch (e) {}
  },

  steward_js_load_pref__deps: ['$stewardString'],
  steward_js_load_pref: function(key) {
    var v = null;
    try { v = localStorage.getItem('steward.' + UTF8ToString(key)); } catch (e) {}
    return stewardString(v || '');
  },

  // The image drawn on a new canvas whose longest side is at most maxSide pixels; the bitmap is released.
  $stewardScaledCanvas: function(bitmap, maxSide) {
    var scale = Math.min(1, maxSide / Math.max(bitmap.width, bitmap.height));
    var canvas = document.createElement('canvas');
    canvas.width = Math.max(1, Math.round(bitmap.width * scale));
    canvas.height = Math.max(1, Math.round(bitmap.height * scale));
    var g = canvas.getContext('2d');
    g.imageSmoothingQuality = 'high';
    g.drawImage(bitmap, 0, 0, canvas.width, canvas.height);
    if (bitmap.close) bitmap.close();
    return canvas;
  },

  $stewardDownscalePhoto__deps: ['$stewardScaledCanvas'],
  // A photo from the camera (or the gallery), downscaled here before it reaches the app: the longest side to
  // 1600 px and JPEG quality stepped down until it fits ~200 KB, so a finding's photo costs that on the tablet,
  // on the wire and on the server, not the camera's 5 MB.
  $stewardDownscalePhoto: function(file) {
    var maxSide = 1600, budget = 220 * 1024;
    return createImageBitmap(file).then(function(bitmap) {
      var canvas = stewardScaledCanvas(bitmap, maxSide), g = canvas.getContext('2d');
      function encode(quality) {
        return new Promise(function(resolve, reject) {
          canvas.toBlob(function(blob) { blob ? resolve(blob) : reject(new Error('the photo could not be encoded')); },
                        'image/jpeg', quality);
        });
      }
      // Below 0.5 a crack or a label stops being legible: then the photo is kept a little over budget.
      function fit(quality) {
        return encode(quality).then(function(blob) {
          return blob.size > budget && quality > 0.55 ? fit(quality - 0.1) : blob;
        });
      }
      return fit(0.85).then(function(blob) { return blob.arrayBuffer(); }).then(function(buffer) {
        var bytes = new Uint8Array(buffer), text = '';
        for (var i = 0; i < bytes.length; i += 0x8000) text += String.fromCharCode.apply(null, bytes.subarray(i, i + 0x8000));
        return {base64: btoa(text), size: bytes.length, width: canvas.width, height: canvas.height};
      });
    });
  },

  // Opens the camera through a file input (capture=environment: the back camera on a tablet; a file chooser on a
  // desktop). Called while the tap that asked for it still counts as the person's gesture. Answers with
  // steward_on_photo(request, base64, size, width, height), or size 0 and the reason when there is no photo.
  steward_js_pick_photo__deps: ['$stewardDownscalePhoto', '$stewardCallWithString'],
  steward_js_pick_photo: function(request) {
    var input = document.createElement('input');
    input.type = 'file';
    input.accept = 'image/*';
    input.setAttribute('capture', 'environment');
    input.id = 'photo-input';
    input.hidden = true;
    document.body.appendChild(input);
    function fail(why) {
      stewardCallWithString(function(p) { _steward_on_photo(request, p, 0, 0, 0); }, why);
    }
    input.addEventListener('cancel', function() { input.remove(); fail(''); });
    input.addEventListener('change', function() {
      var file = input.files && input.files[0];
      input.remove();
      if (!file) { fail(''); return; }
      stewardDownscalePhoto(file).then(function(photo) {
        stewardCallWithString(function(p) { _steward_on_photo(request, p, photo.size, photo.width, photo.height); },
                              photo.base64);
      }).catch(function(e) {
        console.warn('photo unusable', e);
        fail(String(e && e.message || e));
      });
    });
    input.click();
  },

  steward_js_decode_thumbnail__deps: ['$stewardScaledCanvas'],
  steward_js_decode_thumbnail: function(request, base64Ptr, maxSide) {
    var text = atob(UTF8ToString(base64Ptr));
    var bytes = new Uint8Array(text.length);
    for (var i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
    createImageBitmap(new Blob([bytes], {type: 'image/jpeg'})).then(function(bitmap) {
      var canvas = stewardScaledCanvas(bitmap, maxSide), g = canvas.getContext('2d');
      var rgba = g.getImageData(0, 0, canvas.width, canvas.height).data;
      var ptr = _malloc(rgba.length);
      HEAPU8.set(rgba, ptr);
      _steward_on_thumbnail(request, ptr, canvas.width, canvas.height);
    }).catch(function(e) {
      console.warn('photo not decodable', e);
      _steward_on_thumbnail(request, 0, 0, 0);
    });
  },

  // Hands bytes to the person as a file: a Blob and a click on an <a download>, which the browser saves (or
  // offers to open) as it does any download. The bytes are copied out of the heap first.
  steward_js_download: function(filenamePtr, mimePtr, bytes, length) {
    var filename = UTF8ToString(filenamePtr);
    var blob = new Blob([HEAPU8.slice(bytes, bytes + length)], {type: UTF8ToString(mimePtr)});
    var url = URL.createObjectURL(blob);
    var a = document.createElement('a');
    a.href = url;
    a.download = filename;
    a.hidden = true;
    document.body.appendChild(a);
    a.click();
    a.remove();
    // The browser has taken the file once the click's task is over; the URL is not needed after that.
    setTimeout(function() { URL.revokeObjectURL(url); }, 60000);
  },

  // ---- the offline sign-in verifier ----------------------------------------------------------------------
  // At each online sign-in the tablet keeps, per login name, a PBKDF2-SHA256 hash of the password with a random
  // salt (WebCrypto: native code, not WASM), so the same person can sign in offline. WebCrypto needs a secure
  // context (HTTPS, or localhost): without it there is no verifier and no offline sign-in.
  $stewardVerifier: {
    iterations: 600000,  // OWASP's figure for PBKDF2-HMAC-SHA256
    key: function(name) { return 'steward.verifier.' + name; },
    available: function() { return !!(window.crypto && crypto.subtle && window.isSecureContext); },
    derive: function(password, salt, iterations) {
      return crypto.subtle.importKey('raw', new TextEncoder().encode(password), 'PBKDF2', false, ['deriveBits'])
        .then(function(key) {
          return crypto.subtle.deriveBits({name: 'PBKDF2', hash: 'SHA-256', salt: salt, iterations: iterations}, key, 256);
        }).then(function(bits) { return new Uint8Array(bits); });
    },
    toBase64: function(bytes) { return btoa(String.fromCharCode.apply(null, bytes)); },
    fromBase64: function(text) {
      var bin = atob(text), out = new Uint8Array(bin.length);
      for (var i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
      return out;
    },
  },

  steward_js_verifier_make__deps: ['$stewardVerifier'],
  steward_js_verifier_make: function(namePtr, passwordPtr) {
    var v = stewardVerifier, name = UTF8ToString(namePtr), password = UTF8ToString(passwordPtr);
    if (!v.available()) return;
    var salt = crypto.getRandomValues(new Uint8Array(16)), started = performance.now();
    v.derive(password, salt, v.iterations).then(function(hash) {
      localStorage.setItem(v.key(name), JSON.stringify({algorithm: 'PBKDF2-SHA256', iterations: v.iterations,
                                                         salt: v.toBase64(salt), hash: v.toBase64(hash)}));
      console.log('offline sign-in verifier for ' + name + ': ' + v.iterations + ' iterations in ' +
                  Math.round(performance.now() - started) + ' ms');
    }).catch(function(e) { console.warn('no offline sign-in verifier', e); });
  },

  // Answers steward_on_verifier_checked(request, result): 1 the password matches, 0 it does not, -1 no verifier for
  // this name on the tablet, -2 no WebCrypto here.
  steward_js_verifier_check__deps: ['$stewardVerifier'],
  steward_js_verifier_check: function(request, namePtr, passwordPtr) {
    var v = stewardVerifier, name = UTF8ToString(namePtr), password = UTF8ToString(passwordPtr);
    function answer(result) { setTimeout(function() { _steward_on_verifier_checked(request, result); }, 0); }
    var stored = null;
    try { stored = JSON.parse(localStorage.getItem(v.key(name)) || 'null'); } catch (e) {}
    if (!stored || !stored.salt || !stored.hash || !stored.iterations) return answer(-1);
    if (!v.available()) return answer(-2);
    v.derive(password, v.fromBase64(stored.salt), stored.iterations).then(function(hash) {
      var expected = v.fromBase64(stored.hash), diff = hash.length ^ expected.length;
      for (var i = 0; i < Math.min(hash.length, expected.length); i++) diff |= hash[i] ^ expected[i];
      answer(diff === 0 ? 1 : 0);
    }).catch(function(e) {
      console.warn('offline sign-in check failed', e);
      answer(-2);
    });
  },

  steward_js_verifier_forget__deps: ['$stewardVerifier'],
  steward_js_verifier_forget: function(namePtr) {
    try { localStorage.removeItem(stewardVerifier.key(UTF8ToString(namePtr))); } catch (e) {}
  },

  steward_js_uuid__deps: ['$stewardString'],
  steward_js_uuid: function() {
    // randomUUID needs a secure context; a LAN deployment over plain HTTP still has getRandomValues.
    if (crypto.randomUUID) return stewardString(crypto.randomUUID());
    var b = crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    var h = Array.prototype.map.call(b, function(x) { return (x + 0x100).toString(16).slice(1); }).join('');
    return stewardString(h.slice(0, 8) + '-' + h.slice(8, 12) + '-' + h.slice(12, 16) + '-' + h.slice(16, 20) + '-' + h.slice(20));
  },
});
