// Drives Debian's chromium with playwright-core against a Weft node's dashboard and prints one
// line "RESULT {json}" on stdout. Run by io.weft.dashboard.DashboardBrowserTest:
//
//   node dashboard-check.mjs --url http://127.0.0.1:PORT/ --peers ID1,ID2 --screenshot FILE
//        --modules DIR [--chromium /usr/bin/chromium] [--timeout-ms 60000] [--rise 3]
//
// --modules: a directory whose node_modules holds playwright-core (npm install --prefix DIR).
// --peers: the full hex ids of the peers the page must show as connected.
// It waits until the peers table shows every expected peer (short id, state "connected"), then
// until the displayed height has risen by --rise, writes a full-page screenshot, and reports what
// it saw. Exit code 0 when every check passed, 1 otherwise (the JSON says which), 2 on bad usage.
import { createRequire } from 'node:module';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

function args(argv) {
  const out = {};
  for (let i = 0; i < argv.length; i += 2) {
    if (!argv[i].startsWith('--') || argv[i + 1] === undefined) {
      console.error('bad argument: ' + argv[i]);
      process.exit(2);
    }
    out[argv[i].slice(2)] = argv[i + 1];
  }
  for (const required of ['url', 'peers', 'screenshot', 'modules']) {
    if (!out[required]) {
      console.error('missing --' + required);
      process.exit(2);
    }
  }
  return out;
}

const opts = args(process.argv.slice(2));
const timeoutMs = Number(opts['timeout-ms'] || 60000);
const rise = Number(opts.rise || 3);
const expected = opts.peers.split(',').filter(Boolean);
const result = { ok: false, url: opts.url, expectedPeers: expected.map((p) => p.slice(0, 8)), steps: [] };
const origin = new URL(opts.url).origin;
const require = createRequire(path.join(path.resolve(opts.modules), 'noop.js'));
const { chromium } = require('playwright-core');

// stack.md: the flags for Debian's chromium here, and a fresh profile directory.
const profile = mkdtempSync(path.join(tmpdir(), 'weft-chromium-'));
const flags = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
  '--disable-dev-shm-usage'];

let context;
try {
  context = await chromium.launchPersistentContext(profile, {
    executablePath: opts.chromium || '/usr/bin/chromium',
    headless: true,
    args: flags,
    viewport: { width: 1280, height: 1000 },
    timeout: 30000,
  });
  result.browserVersion = context.browser() ? context.browser().version() : null;
  const page = context.pages()[0] || await context.newPage();
  result.consoleErrors = [];
  result.pageErrors = [];
  result.externalRequests = [];
  result.failedRequests = [];
  page.on('console', (m) => { if (m.type() === 'error') result.consoleErrors.push(m.text()); });
  page.on('pageerror', (e) => result.pageErrors.push(String(e)));
  page.on('request', (r) => {
    const u = r.url();
    if (!u.startsWith(origin) && !u.startsWith('data:')) result.externalRequests.push(u);
  });
  page.on('response', (r) => {
    if (r.status() >= 400) result.failedRequests.push(r.url() + ' HTTP ' + r.status());
  });
  page.on('requestfailed', (r) => {
    // the open event stream is cancelled when the page closes; anything else is a failure
    if (!r.url().endsWith('/api/events')) result.failedRequests.push(r.url() + ' ' + (r.failure() || {}).errorText);
  });

  const response = await page.goto(opts.url, { waitUntil: 'load', timeout: 30000 });
  result.httpStatus = response.status();
  result.csp = response.headers()['content-security-policy'] || null;
  result.steps.push('loaded');

  // 1. the peers table shows every expected peer as connected
  await page.waitForFunction((ids) => ids.every((id) => {
    const tr = document.querySelector('#peers tbody tr[data-peer="' + id + '"]');
    return tr && tr.querySelector('td.id').textContent === id.slice(0, 8)
      && tr.querySelector('td.state').textContent === 'connected';
  }), expected, { timeout: timeoutMs, polling: 200 });
  result.steps.push('peers shown');

  const height = () => page.$eval('#height', (el) => Number(el.dataset.height));
  result.heightStart = await height();
  // 2. the displayed height rises (live updates, no reload)
  await page.waitForFunction(([start, by]) => Number(document.getElementById('height').dataset.height) >= start + by,
    [result.heightStart, rise], { timeout: timeoutMs, polling: 200 });
  result.steps.push('height rose');
  // let the chart gather a few points
  await page.waitForFunction(() => document.getElementById('chart-line').getAttribute('points').split(' ').length >= 3,
    null, { timeout: timeoutMs, polling: 200 });

  Object.assign(result, await page.evaluate(() => ({
    nodeId: document.getElementById('node-id').textContent,
    heightEnd: Number(document.getElementById('height').dataset.height),
    live: document.getElementById('live').textContent,
    peerRows: [...document.querySelectorAll('#peers tbody tr[data-peer]')].map((tr) => ({
      peerId: tr.dataset.peer,
      cells: [...tr.cells].map((td) => td.textContent),
    })),
    graphLinks: [...document.querySelectorAll('#graph line.link')].map((l) => l.getAttribute('data-peer')),
    graphNodes: [...document.querySelectorAll('#graph g[data-peer]')].map((g) => g.getAttribute('data-peer')),
    chartPoints: document.getElementById('chart-line').getAttribute('points').split(' ').filter(Boolean).length,
    events: [...document.querySelectorAll('#events li')].map((li) => ({
      type: li.className, peerId: li.dataset.peer, text: li.textContent,
    })),
  })));
  result.peersShown = result.peerRows.map((r) => r.cells[0]);

  await page.screenshot({ path: opts.screenshot, fullPage: true });
  result.screenshot = opts.screenshot;
  result.steps.push('screenshot');
  result.ok = result.httpStatus === 200 && result.externalRequests.length === 0
    && result.pageErrors.length === 0 && result.failedRequests.length === 0 && result.heightEnd >= result.heightStart + rise;
} catch (e) {
  result.error = String(e && e.message ? e.message : e).split('\n').slice(0, 6).join('\n');
  try {
    const page = context && context.pages()[0];
    if (page) {
      await page.screenshot({ path: opts.screenshot, fullPage: true });
      result.screenshot = opts.screenshot;
    }
  } catch (ignored) { /* the failure is reported already */ }
} finally {
  if (context) await context.close().catch(() => {});
  rmSync(profile, { recursive: true, force: true });
}
console.log('RESULT ' + JSON.stringify(result));
process.exit(result.ok ? 0 : 1);
