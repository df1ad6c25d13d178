// The app shell, cached per build so Steward starts with no network at all.
// STEWARD_VERSION is replaced at build time with a hash of the shell files (scripts/stage_web.py).
'use strict';
var VERSION = '@STEWARD_VERSION@';
var CACHE = 'steward-shell-' + VERSION;
var SHELL = ['./', 'index.html', 'app.css', 'build-info.js', 'loader.js', 'steward.js', 'steward.wasm',
             'fonts/steward-sc.otf', 'manifest.webmanifest', 'icons/icon.svg', 'icons/icon-192.png', 'icons/icon-512.png',
             'icons/maskable-512.png', 'icons/apple-touch-icon.png'];

// Data, sync and health go straight to the network (see the fetch handler). Where the browser can route them itself
// (the Service Worker Static Routing API: Chrome 123 and later), they do not reach this worker at all: each of a
// pull's requests waited for it to be asked first.
var NETWORK_ONLY = ['api/*', 'couch/*', 'health'];

// Whether a path within the scope is one of NETWORK_ONLY (a trailing * matches any rest).
function isNetworkOnly(path) {
  return NETWORK_ONLY.some(function (pattern) {
    return pattern.slice(-1) === '*' ? path.indexOf(pattern.slice(0, -1)) === 0 : path === pattern;
  });
}

// Never fails the install: without the routes the fetch handler passes these requests on as before.
function addNetworkRoutes(event) {
  if (!event.addRoutes) return Promise.resolve();
  try {
    return event.addRoutes(NETWORK_ONLY.map(function (pattern) {
      var path = new URL(pattern, self.registration.scope).pathname;
      // A URLPattern of the path alone (the query may be anything); a string where URLPattern is missing.
      var urlPattern = typeof URLPattern === 'function' ? new URLPattern({pathname: path}) : path;
      return {condition: {urlPattern: urlPattern}, source: 'network'};
    })).catch(function () {});
  } catch (e) {
    return Promise.resolve();
  }
}

self.addEventListener('install', function (event) {
  event.waitUntil(Promise.all([addNetworkRoutes(event), caches.open(CACHE).then(function (cache) {
    // Straight from the network: an HTTP cache could hand back the previous build's files.
    return cache.addAll(SHELL.map(function (url) { return new Request(url, {cache: 'reload'}); }));
  })]));
});

self.addEventListener('activate', function (event) {
  event.waitUntil(caches.keys().then(function (keys) {
    return Promise.all(keys.filter(function (k) { return k.indexOf('steward-shell-') === 0 && k !== CACHE; })
      .map(function (k) { return caches.delete(k); }));
  }).then(function () { return self.clients.claim(); }));
});

self.addEventListener('message', function (event) {
  if (event.data && event.data.type === 'activate') self.skipWaiting();
});

self.addEventListener('fetch', function (event) {
  var request = event.request;
  if (request.method !== 'GET') return;
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  var scope = new URL(self.registration.scope);
  var path = url.pathname.slice(scope.pathname.length);
  // Data, sync and health go straight to the network: the app keeps its data in IndexedDB. Sync must bypass
  // the worker also because an in-flight long-poll would hold up the activation of a new version.
  if (isNetworkOnly(path)) return;
  // Chunks of the fuller font are fetched on first need and kept by the page in their own cache.
  if (path.indexOf('fonts/extra-') === 0) return;
  if (request.mode === 'navigate') {
    event.respondWith(caches.match('index.html', {cacheName: CACHE}).then(function (hit) {
      return hit || fetch(request);
    }));
    return;
  }
  event.respondWith(caches.match(request, {cacheName: CACHE, ignoreSearch: true}).then(function (hit) {
    return hit || fetch(request);
  }));
});
