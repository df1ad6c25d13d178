// First paint: a progress bar while the WASM and the font arrive, then the app. Also registers the service
// worker and offers a reload when a new version has been installed.
(function () {
  'use strict';
  var build = window.STEWARD_BUILD || {version: 'dev', sizes: {}};
  var english = (function () { try { return localStorage.getItem('steward.language') === 'en'; } catch (e) { return false; } })();
  var words = english
    ? {loading: 'Loading…', failed: 'Could not load Steward: ', update: 'A new version is ready', reload: 'Reload',
       noWebgl: 'This browser cannot draw Steward (WebGL2 is unavailable).'}
    : {loading: '正在加载…', failed: '无法加载管家：', update: '新版本已就绪', reload: '重新加载',
       noWebgl: '此浏览器无法显示管家（不支持 WebGL2）。'};
  var loading = document.getElementById('loading');
  var bar = document.getElementById('loading-progress');
  var text = document.getElementById('loading-text');
  text.textContent = words.loading;
  document.getElementById('update-text').textContent = words.update;
  document.getElementById('update-button').textContent = words.reload;

  function fail(message) {
    loading.classList.add('failed');
    text.textContent = words.failed + message;
  }

  // Fetches with progress; the expected sizes come from the build, since a gzip response's length is not the body's.
  var expected = 0, received = 0;
  Object.keys(build.sizes).forEach(function (k) { expected += build.sizes[k]; });
  function progress() {
    if (expected > 0) bar.style.width = Math.min(100, (received / expected) * 100).toFixed(1) + '%';
  }
  function fetchBytes(url) {
    return fetch(url).then(function (response) {
      if (!response.ok) throw new Error(url + ': HTTP ' + response.status);
      if (!response.body || !response.body.getReader) {
        return response.arrayBuffer().then(function (b) { received += b.byteLength; progress(); return new Uint8Array(b); });
      }
      var reader = response.body.getReader(), chunks = [], length = 0;
      function pump() {
        return reader.read().then(function (r) {
          if (r.done) {
            var out = new Uint8Array(length), at = 0;
            chunks.forEach(function (c) { out.set(c, at); at += c.length; });
            return out;
          }
          chunks.push(r.value);
          length += r.value.length;
          received += r.value.length;
          progress();
          return pump();
        });
      }
      return pump();
    });
  }

  if (!document.createElement('canvas').getContext('webgl2')) {
    fail(words.noWebgl);
    return;
  }

  var started = performance.now();
  Promise.all([fetchBytes('steward.wasm'), fetchBytes('fonts/steward-sc.otf').catch(function (e) {
    console.warn('font unavailable', e);  // the app still runs, with Latin text only
    return null;
  })]).then(function (files) {
    window.Module = {
      canvas: document.getElementById('canvas'),
      wasmBinary: files[0].buffer,
      stewardFont: files[1],
      print: function (t) { console.log(t); },
      printErr: function (t) { console.warn(t); },
      onAbort: function (what) { fail(String(what)); },
      onRuntimeInitialized: function () {
        loading.style.display = 'none';
        window.stewardStartup = {loadedMs: performance.now() - started};
      },
    };
    var script = document.createElement('script');
    script.src = 'steward.js';
    script.onerror = function () { fail('steward.js'); };
    document.body.appendChild(script);
  }).catch(function (e) { fail(e.message || String(e)); });

  // Offline start-up: the service worker keeps the app shell. A newly installed version waits until the person
  // chooses to reload, so nothing is interrupted mid-registration.
  if ('serviceWorker' in navigator) {
    // Reload only when the person chose the new version: the first visit's worker also takes control
    // (clients.claim), and reloading then would start the app a second time for nothing.
    var updateChosen = false, reloading = false;
    navigator.serviceWorker.addEventListener('controllerchange', function () {
      if (!updateChosen || reloading) return;
      reloading = true;
      location.reload();
    });
    navigator.serviceWorker.register('sw.js').then(function (registration) {
      function offer(worker) {
        var banner = document.getElementById('update');
        banner.classList.add('shown');
        document.getElementById('update-button').onclick = function () {
          updateChosen = true;
          worker.postMessage({type: 'activate'});
        };
      }
      if (registration.waiting && navigator.serviceWorker.controller) offer(registration.waiting);
      registration.addEventListener('updatefound', function () {
        var worker = registration.installing;
        if (!worker) return;
        worker.addEventListener('statechange', function () {
          if (worker.state === 'installed' && navigator.serviceWorker.controller) offer(worker);
        });
      });
      // Tablets stay open for days: look for a new version now and then.
      setInterval(function () { registration.update().catch(function () {}); }, 30 * 60 * 1000);
    }).catch(function (e) { console.warn('service worker not registered', e); });
  }
})();
