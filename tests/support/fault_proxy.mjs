// A fault-injecting HTTP proxy on loopback, between tablets and the sync server: for requests under /couch/ it
// drops the connection before forwarding, forwards but cuts the response short, or delays it; everything else
// (the web app itself) passes untouched. Seeded, so a failing run can be repeated. Loopback only.
import http from 'node:http';
import { mulberry32 } from './seeded_random.mjs';

export async function startFaultProxy({ target, seed = 1, drop = 0.1, cut = 0.1, delay = 0.2, maxDelayMs = 800 }) {
  const random = mulberry32(seed);
  const targetUrl = new URL(target);
  const stats = { requests: 0, dropped: 0, cut: 0, delayed: 0 };
  const faults = { drop, cut, delay };
  const sockets = new Set();

  const server = http.createServer((req, res) => {
    const faulty = req.url.startsWith('/couch/');
    stats.requests++;
    const roll = faulty ? random() : 1;
    // Never let a long-poll hang forever on a delay: the delay is applied before forwarding.
    const wait = faulty && random() < faults.delay ? Math.floor(random() * maxDelayMs) : 0;
    if (wait) stats.delayed++;
    setTimeout(() => {
      if (roll < faults.drop) {
        stats.dropped++;
        req.socket.destroy();
        return;
      }
      const cutShort = roll < faults.drop + faults.cut;
      const upstream = http.request({
        host: targetUrl.hostname, port: targetUrl.port, method: req.method, path: req.url,
        // The Host header passes unchanged, as through a reverse proxy: the server compares a page's Origin with it.
        headers: { ...req.headers, 'accept-encoding': 'identity' },
      }, (up) => {
        if (!cutShort) {
          res.writeHead(up.statusCode, up.headers);
          up.pipe(res);
          return;
        }
        // The server did the work; the answer is lost on the way back.
        stats.cut++;
        const chunks = [];
        up.on('data', (c) => chunks.push(c));
        up.on('end', () => {
          const body = Buffer.concat(chunks);
          const headers = { ...up.headers, 'content-length': String(body.length) };
          delete headers['transfer-encoding'];
          res.writeHead(up.statusCode, headers);
          res.write(body.subarray(0, Math.floor(body.length / 2)));
          setTimeout(() => req.socket.destroy(), 10);
        });
      });
      upstream.on('error', () => req.socket.destroy());
      req.pipe(upstream);
    }, wait);
  });
  server.on('connection', (s) => { sockets.add(s); s.on('close', () => sockets.delete(s)); });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  return {
    url: `http://127.0.0.1:${port}/`,
    stats,
    // Change the fault rates while running (e.g. to 0 for the final convergence check).
    set(rates) { Object.assign(faults, rates); },
    async stop() {
      for (const s of sockets) s.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
