// A fake HTTP API for the service-table tests, run in a CHILD process (the inline
// engine blocks the test's own thread while a generator waits for a reply).
//
//   node fake-api-server.cjs <routes.json> [unix-socket-path]
//
// routes.json maps "METHOD /path?query" (or "/path", any method/query) to
// { "fixture": "<file>" } | { "body": "...", "status": 200, "headers": {...} } |
// { "hang": true }, optionally with "requireHeaders": {...} (else 401). Fixture files start with '#' header lines naming the document
// they follow; those lines are dropped, and "{{server_pid}}" becomes this process's pid. A leading Docker API version ("/v1.43")
// is ignored, so the docker CLI can talk to it. GET /__requests lists what it saw.
// Prints {"port": N} (TCP on 127.0.0.1) or {"socket": path} once listening.
const fs = require('node:fs');
const http = require('node:http');
const path = require('node:path');

const routesFile = process.argv[2];
const socketPath = process.argv[3];
const routes = JSON.parse(fs.readFileSync(routesFile, 'utf8'));
const base = path.dirname(routesFile);
const seen = [];

function fixture(file) {
  const text = fs.readFileSync(path.resolve(base, file), 'utf8');
  return text
    .split('\n')
    .filter((l) => !l.startsWith('#'))
    .join('\n')
    .replaceAll('"{{server_pid}}"', String(process.pid));
}

const server = http.createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    const url = req.url.replace(/^\/v1\.\d+(?=\/)/, '');
    seen.push({ method: req.method, url, headers: req.headers, body: Buffer.concat(chunks).toString() });
    if (url === '/__requests') {
      res.setHeader('content-type', 'application/json');
      return res.end(JSON.stringify(seen));
    }
    const pathOnly = url.split('?')[0];
    const route =
      routes[`${req.method} ${url}`] ??
      routes[url] ??
      routes[`${req.method} ${pathOnly}`] ??
      routes[pathOnly];
    if (!route) {
      res.statusCode = 404;
      res.setHeader('content-type', 'application/json');
      return res.end(JSON.stringify({ message: `no route for ${req.method} ${url}` }));
    }
    if (route.hang) return;
    // A route may insist on request headers (the IMDSv2 token, Azure's "Metadata: true").
    for (const [k, v] of Object.entries(route.requireHeaders ?? {})) {
      if (req.headers[k.toLowerCase()] !== v) {
        res.statusCode = 401;
        return res.end('missing or wrong header');
      }
    }
    res.statusCode = route.status ?? 200;
    if (pathOnly === '/_ping') res.setHeader('api-version', '1.43');
    res.setHeader('content-type', route.contentType ?? 'application/json');
    for (const [k, v] of Object.entries(route.headers ?? {})) res.setHeader(k, v);
    res.end(route.fixture ? fixture(route.fixture) : (route.body ?? ''));
  });
});

if (socketPath) {
  server.listen(socketPath, () => process.stdout.write(`${JSON.stringify({ socket: socketPath })}\n`));
} else {
  server.listen(0, '127.0.0.1', () =>
    process.stdout.write(`${JSON.stringify({ port: server.address().port })}\n`),
  );
}
