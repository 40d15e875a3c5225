// Weft node dashboard: plain JS + SVG, no framework, nothing loaded from elsewhere.
// Data: GET api/status once, then server-sent events from api/events ("status" every second,
// "peer" for each NewPeer/LostPeer). When the stream is refused (503: too many streams) or
// drops, it polls api/status every 2 s and tries the stream again every 10 s.
// Every value shown comes from peers (addresses, ids): it is only ever set as text, never as HTML.
(function () {
  'use strict';
  const SVG = 'http://www.w3.org/2000/svg';
  const MAX_EVENTS = 20;
  const MAX_POINTS = 300;
  const history = [];          // [{t, h}] highest synced over time
  let lastStatusKey = '';
  let source = null;
  let pollTimer = null;
  let retryTimer = null;

  const $ = (id) => document.getElementById(id);
  const short = (hex) => (hex || '').slice(0, 8);
  const text = (el, value) => { const s = value === null || value === undefined ? '–' : String(value); if (el.textContent !== s) el.textContent = s; };
  const svgEl = (name, attrs) => {
    const el = document.createElementNS(SVG, name);
    for (const [k, v] of Object.entries(attrs || {})) el.setAttribute(k, String(v));
    return el;
  };

  function renderNode(s) {
    text($('node-short'), short(s.peerId));
    text($('node-id'), s.peerId);
    text($('node-address'), s.address);
    text($('height'), s.highestSynced);
    $('height').dataset.height = String(s.highestSynced);
    text($('highest-known'), s.highestKnown);
    text($('genesis'), s.genesis ? short(s.genesis) : 'none (not syncing)');
    text($('peer-count'), (s.peers || []).length);
    text($('known-count'), s.knownPeerCount === undefined ? (s.knownPeers || []).length : s.knownPeerCount);
    text($('uptime'), Math.floor((s.uptimeMs || 0) / 1000) + ' s');
    document.title = 'Weft ' + short(s.peerId) + ' h=' + s.highestSynced;
  }

  // Connected peers and known ones, one row each, keyed by peer id.
  function peerRows(s) {
    const rows = new Map();
    for (const p of s.knownPeers || []) rows.set(p.peerId, p);
    for (const p of s.peers || []) rows.set(p.peerId, Object.assign({}, rows.get(p.peerId) || {}, p, { state: 'connected' }));
    return [...rows.values()].sort((a, b) =>
      (a.state === 'connected' ? 0 : 1) - (b.state === 'connected' ? 0 : 1) || (a.peerId < b.peerId ? -1 : 1));
  }

  function renderTable(rows) {
    const body = document.querySelector('#peers tbody');
    const existing = new Map([...body.querySelectorAll('tr[data-peer]')].map((tr) => [tr.dataset.peer, tr]));
    rows.forEach((p, i) => {
      let tr = existing.get(p.peerId);
      if (!tr) {
        tr = document.createElement('tr');
        tr.dataset.peer = p.peerId;
        for (const cls of ['id', 'address', 'height', 'rtt', 'state']) {
          const td = document.createElement('td');
          td.className = cls;
          tr.appendChild(td);
        }
        tr.cells[0].title = p.peerId;
      }
      existing.delete(p.peerId);
      text(tr.cells[0], short(p.peerId));
      text(tr.cells[1], p.address || (p.addresses || [])[0]);
      text(tr.cells[2], p.height);
      text(tr.cells[3], p.rttMs === null || p.rttMs === undefined ? null : p.rttMs + ' ms');
      text(tr.cells[4], p.state);
      tr.cells[4].className = 'state state-' + p.state;
      tr.dataset.state = p.state;
      if (body.children[i] !== tr) body.insertBefore(tr, body.children[i] || null);
    });
    for (const tr of existing.values()) tr.remove();
  }

  // This node in the middle; connected peers on a circle and linked; known ones unlinked, dashed.
  function renderGraph(s, rows) {
    const links = $('graph-links');
    const nodes = $('graph-nodes');
    links.replaceChildren();
    nodes.replaceChildren();
    const cx = 210, cy = 150, r = 110;
    const shown = rows.slice(0, 48);
    shown.forEach((p, i) => {
      const a = (2 * Math.PI * i) / Math.max(shown.length, 1) - Math.PI / 2 + (shown.length === 2 ? Math.PI / 4 : 0);
      const ring = p.state === 'connected' ? r : r + 20;
      const x = cx + ring * Math.cos(a), y = cy + ring * 0.85 * Math.sin(a);
      if (p.state === 'connected') {
        links.appendChild(svgEl('line', { class: 'link', 'data-peer': p.peerId, x1: cx, y1: cy, x2: x, y2: y }));
      }
      const g = svgEl('g', { class: 'peer ' + p.state, 'data-peer': p.peerId });
      g.appendChild(svgEl('circle', { cx: x, cy: y, r: 9 }));
      // label outside the circle, away from the centre, so it never sits on a link
      const dx = Math.cos(a), dy = Math.sin(a);
      const label = svgEl('text', { x: x + dx * 16, y: y + dy * 18 + 4,
        'text-anchor': Math.abs(dx) < 0.3 ? 'middle' : dx > 0 ? 'start' : 'end' });
      label.textContent = short(p.peerId) + (p.height === null || p.height === undefined ? '' : ' h' + p.height);
      const title = svgEl('title');
      title.textContent = p.peerId + ' ' + (p.address || '') + ' (' + p.state + ')';
      g.appendChild(title);
      g.appendChild(label);
      nodes.appendChild(g);
    });
    const self = svgEl('g', { class: 'self', 'data-peer': s.peerId });
    self.appendChild(svgEl('circle', { cx: cx, cy: cy, r: 14 }));
    const label = svgEl('text', { x: cx, y: cy + 30, 'text-anchor': 'middle' });
    label.textContent = short(s.peerId) + ' (this node)';
    self.appendChild(label);
    nodes.appendChild(self);
  }

  function renderChart(s) {
    const t = s.timeMs || Date.now();
    if (history.length === 0 || history[history.length - 1].t !== t) {
      history.push({ t: t, h: s.highestSynced });
      if (history.length > MAX_POINTS) history.shift();
    }
    const t0 = history[0].t, t1 = history[history.length - 1].t;
    const hs = history.map((p) => p.h);
    const lo = Math.min(...hs), hi = Math.max(...hs);
    const x = (tt) => 40 + (t1 === t0 ? 370 : ((tt - t0) / (t1 - t0)) * 370);
    const y = (h) => 140 - (hi === lo ? 65 : ((h - lo) / (hi - lo)) * 130);
    $('chart-line').setAttribute('points', history.map((p) => x(p.t).toFixed(1) + ',' + y(p.h).toFixed(1)).join(' '));
    text($('chart-max'), hi);
    text($('chart-min'), lo);
    text($('chart-span'), Math.round((t1 - t0) / 1000) + ' s');
  }

  function onStatus(s) {
    const rows = peerRows(s);
    renderNode(s);
    renderTable(rows);
    const key = rows.map((p) => p.peerId + p.state + p.height).join('|');
    if (key !== lastStatusKey) {
      lastStatusKey = key;
      renderGraph(s, rows);
    }
    renderChart(s);
  }

  function onPeerEvent(e) {
    const list = $('events');
    const li = document.createElement('li');
    li.className = e.type;
    li.dataset.peer = e.peerId;
    const time = document.createElement('span');
    time.className = 'time';
    time.textContent = new Date(e.ts || Date.now()).toLocaleTimeString();
    const kind = document.createElement('span');
    kind.className = 'kind';
    kind.textContent = e.type === 'NEW_PEER' ? 'NewPeer' : 'LostPeer';
    const rest = document.createElement('span');
    rest.textContent = ' ' + short(e.peerId) + (e.address ? ' ' + e.address : '') + (e.reason ? ' ' + e.reason : '');
    li.append(time, kind, rest);
    list.insertBefore(li, list.firstChild);
    while (list.children.length > MAX_EVENTS) list.lastChild.remove();
  }

  function setLive(on, label) {
    const el = $('live');
    el.classList.toggle('off', !on);
    text(el, label);
  }

  function poll() {
    fetch('api/status', { cache: 'no-store' }).then((r) => r.json()).then(onStatus).catch(() => setLive(false, 'node unreachable'));
  }

  function startPolling() {
    if (!pollTimer) pollTimer = setInterval(poll, 2000);
    clearTimeout(retryTimer);
    retryTimer = setTimeout(connect, 10000);
  }

  function connect() {
    if (source) source.close();
    source = new EventSource('api/events');
    source.addEventListener('open', () => {
      setLive(true, 'live');
      if (pollTimer) { clearInterval(pollTimer); pollTimer = null; }
    });
    source.addEventListener('status', (m) => onStatus(JSON.parse(m.data)));
    source.addEventListener('peer', (m) => onPeerEvent(JSON.parse(m.data)));
    source.addEventListener('error', () => {
      if (source.readyState === EventSource.CLOSED) {
        setLive(false, 'polling');
        startPolling();
      } else {
        setLive(false, 'reconnecting');
      }
    });
  }

  poll();
  connect();
})();
