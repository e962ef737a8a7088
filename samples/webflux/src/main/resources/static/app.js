'use strict';
// Live view of the daemon, fed by one server-sent event stream: "status" snapshots, "replay" results (the
// ticks that finished before this page connected, oldest first) and "tick" results (new ones).
// Times on the timeline are this browser's receive times, so no clock needs to agree with the server's; a
// replayed tick was received late, so it goes into the table only.

const WINDOW_MS = 30_000;
const MAX_ROWS = 30;
const state = { status: null, roots: [], marks: [], ticks: [], inFlight: null, last: null };
const $ = id => document.getElementById(id);

function relative(path) {
  for (const root of state.roots) {
    if (path === root) return '.';
    if (path.startsWith(root + '/')) return path.slice(root.length + 1);
  }
  return path;
}

function plural(n, word, many) { return n + ' ' + (n === 1 ? word : (many || word + 's')); }

function onStatus(s) {
  const now = Date.now();
  state.roots = s.watchPaths || [];
  if (state.last) {
    const ev = s.eventsSeen - state.last.eventsSeen;
    const ba = s.batchesSeen - state.last.batchesSeen;
    if (ev > 0 || ba > 0) state.marks.push({ t: now, events: Math.max(ev, 0), batches: Math.max(ba, 0) });
  }
  if (s.tickInFlight && !state.inFlight) state.inFlight = { since: now, number: s.tickCount + 1 };
  if (!s.tickInFlight) state.inFlight = null;
  state.last = s;
  state.status = s;
  renderStatus();
}

function onTick(t) {
  const end = Date.now();
  state.ticks.push({ ...t, start: end - t.durationMs, end });
  if (state.inFlight && state.inFlight.number <= t.tick) state.inFlight = null;
  renderRow(t);
}

function onReplay(t) {
  renderRow(t);
}

function renderStatus() {
  const s = state.status;
  const pill = $('state');
  pill.textContent = s.active ? 'watching · ' + s.backend : 'stopped';
  pill.className = 'pill ' + (s.active ? 'on' : 'off');
  $('roots').textContent = state.roots.join('  ');
  $('tickCount').textContent = s.tickCount;
  // Tick numbers survive a restart (with a state file) but the details of the last tick do not.
  $('lastTick').textContent = s.tickCount === 0 ? 'no tick yet'
      : !s.lastTickAt ? 'none since the application started'
      : 'last: ' + (s.lastTickTrigger || []).join('+') + ', ' + plural(s.lastTickChanges, 'change')
        + ' in ' + s.lastTickDuration + ' ms, ' + s.lastOutcome;
  renderEmpty(s);
  const flight = $('flight');
  flight.textContent = s.tickInFlight ? 'tick ' + (s.tickCount + 1) + ' running'
      : s.pendingRerun ? 'rerun pending' : 'idle';
  flight.className = 'value' + (s.tickInFlight ? ' running' : s.pendingRerun ? ' pending' : '');
  $('pending').textContent = s.pendingChanges === 0 ? 'nothing pending'
      : plural(s.pendingChanges, 'change') + ' pending' + (s.tickInFlight && s.pendingRerun ? ' → one rerun' : '');
  $('events').textContent = s.eventsSeen + ' → ' + s.batchesSeen;
  $('coalesced').textContent = s.coalescedEvents + ' coalesced' + (s.droppedChanges ? ', ' + s.droppedChanges + ' dropped' : '')
      + (s.rescans ? ', ' + plural(s.rescans, 'rescan') : '');
  $('tracked').textContent = plural(s.trackedFiles, 'file') + ', ' + plural(s.trackedDirectories, 'directory', 'directories');
  $('config').textContent = 'window ' + s.coalesceWindow + ' ms · on busy: ' + s.busyPolicy
      + (s.pollInterval ? ' · poll ' + s.pollInterval + ' ms' : '');
  const problem = s.backendError || s.lastError;
  const err = $('error');
  err.textContent = problem ? '⚠ ' + problem : '';
  err.className = problem ? 'error' : 'error hidden';
}

// The placeholder row while the table is empty. The server replays its recent ticks on connect, so an empty
// table beside a tick count means those ticks ran before the application (re)started, or are still arriving.
function renderEmpty(s) {
  const cell = document.querySelector('#tick-rows tr.empty td');
  if (!cell) return;
  cell.textContent = s.tickCount === 0
      ? 'Waiting for the first tick: change a file under a watched directory.'
      : !s.lastTickAt
        ? plural(s.tickCount, 'tick') + ' before the application started, none since: change a file under a watched directory.'
        : 'Loading the last ticks…';
}

function renderRow(t) {
  const body = $('tick-rows');
  // A reconnect replays ticks this page may show already; a restart without state reuses numbers.
  const key = t.tick + '@' + t.finishedAt;
  if ([...body.children].some(row => row.dataset.key === key)) return;
  const empty = body.querySelector('tr.empty');
  if (empty) empty.remove();
  const tr = document.createElement('tr');
  tr.dataset.key = key;
  const shown = t.changes.slice(0, 4).map(c =>
      '<span class="kind-' + c.kind + '">' + ({ created: '+', modified: '~', deleted: '−' })[c.kind] + '</span> '
      + escapeHtml(relative(c.path))).join('<br>');
  const more = t.changeCount > 4 ? '<br>… and ' + (t.changeCount - 4) + ' more' : '';
  const counted = t.result ? plural(t.result.files, 'file') + ', ' + plural(t.result.lines, 'line') : '–';
  tr.innerHTML = '<td>' + t.tick + '</td>'
      + '<td>' + t.triggers.map(x => '<span class="tag">' + x + '</span>').join('') + (t.rescan ? '<span class="tag">rescan</span>' : '') + '</td>'
      + '<td class="paths">' + (t.changeCount === 0 ? '<span style="color:var(--muted)">none</span>' : shown + more) + '</td>'
      + '<td>' + t.durationMs + ' ms</td>'
      + '<td class="outcome ' + t.outcome + '">' + t.outcome + (t.error ? '<br><small>' + escapeHtml(t.error) + '</small>' : '') + '</td>'
      + '<td>' + counted + '</td>';
  // Newest first, by the server's finish time: replayed and new ticks may arrive interleaved.
  const at = Date.parse(t.finishedAt);
  tr.dataset.at = at;
  body.insertBefore(tr, [...body.children].find(row => Number(row.dataset.at) < at) || null);
  while (body.children.length > MAX_ROWS) body.lastChild.remove();
}

function escapeHtml(s) {
  return s.replace(/[&<>"']/g, c => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);
}

const COLORS = { ok: '#3fb950', failed: '#f85149', 'timed-out': '#f85149', cancelled: '#8b949e',
                 run: '#58a6ff', pend: '#d29922', ev: '#a371f7', ba: '#39c5cf', grid: '#2a323c', text: '#8a96a3' };

function draw() {
  const canvas = $('timeline');
  const dpr = window.devicePixelRatio || 1;
  const w = canvas.clientWidth, h = canvas.clientHeight;
  if (canvas.width !== w * dpr || canvas.height !== h * dpr) { canvas.width = w * dpr; canvas.height = h * dpr; }
  const g = canvas.getContext('2d');
  g.setTransform(dpr, 0, 0, dpr, 0, 0);
  g.clearRect(0, 0, w, h);
  const now = Date.now(), from = now - WINDOW_MS, left = 70, right = w - 10;
  const x = t => left + (t - from) / WINDOW_MS * (right - left);
  const lanes = { events: 30, batches: 70, ticks: 118 };
  g.font = '12px system-ui, sans-serif';
  g.fillStyle = COLORS.text;
  g.textBaseline = 'middle';
  g.fillText('events', 8, lanes.events);
  g.fillText('batches', 8, lanes.batches);
  g.fillText('ticks', 8, lanes.ticks);
  g.strokeStyle = COLORS.grid;
  g.lineWidth = 1;
  for (let s = 0; s <= WINDOW_MS / 1000; s += 5) {
    const gx = Math.round(x(now - s * 1000)) + .5;
    g.beginPath(); g.moveTo(gx, 10); g.lineTo(gx, h - 22); g.stroke();
    g.fillStyle = COLORS.text;
    g.textAlign = 'center';
    g.fillText(s === 0 ? 'now' : '−' + s + ' s', gx, h - 10);
  }
  g.textAlign = 'left';
  state.marks = state.marks.filter(m => m.t >= from - 1000);
  for (const m of state.marks) {
    if (m.events) {
      const hgt = Math.min(30, 6 + 6 * Math.log10(m.events + 1) * 2);
      g.fillStyle = COLORS.ev;
      g.fillRect(x(m.t) - 1.5, lanes.events - hgt / 2, 3, hgt);
    }
    if (m.batches) {
      g.fillStyle = COLORS.ba;
      g.fillRect(x(m.t) - 3, lanes.batches - 6, 6, 12);
    }
  }
  state.ticks = state.ticks.filter(t => t.end >= from - 1000);
  let labelEnd = -Infinity;   // labels that would overlap the previous one are left out
  for (const t of state.ticks) {
    const x0 = Math.max(left, x(t.start)), x1 = Math.max(x(t.end), x0 + 3);
    g.fillStyle = COLORS[t.outcome] || COLORS.ok;
    roundRect(g, x0, lanes.ticks - 14, x1 - x0, 28, 4);
    const label = '#' + t.tick, lw = g.measureText(label).width;
    if (x1 - x0 > lw + 8) {
      g.fillStyle = '#0b1320';
      g.fillText(label, x0 + 4, lanes.ticks);
    } else if (x0 > labelEnd + 4) {
      g.fillStyle = COLORS.text;
      g.fillText(label, x0, lanes.ticks - 24);
      labelEnd = x0 + lw;
    }
  }
  if (state.inFlight) {
    const x0 = Math.max(left, x(state.inFlight.since)), x1 = Math.max(x(now), x0 + 3);
    g.fillStyle = COLORS.run;
    roundRect(g, x0, lanes.ticks - 14, x1 - x0, 28, 4);
    const label = '#' + state.inFlight.number + ' running';
    g.fillStyle = COLORS.text;
    g.fillText(label, Math.min(x0, right - g.measureText(label).width), lanes.ticks + 26);
  }
  const s = state.status;
  if (s && s.pendingRerun && s.pendingChanges > 0) {
    const px = x(now) - 4;
    g.fillStyle = COLORS.pend;
    g.beginPath(); g.arc(px, lanes.ticks - 24, 5, 0, Math.PI * 2); g.fill();
    g.textAlign = 'right';
    g.fillText(plural(s.pendingChanges, 'change') + ' pending', px - 10, lanes.ticks - 24);
    g.textAlign = 'left';
  }
  requestAnimationFrame(draw);
}

function roundRect(g, x, y, w, h, r) {
  g.beginPath();
  g.moveTo(x + r, y); g.arcTo(x + w, y, x + w, y + h, r); g.arcTo(x + w, y + h, x, y + h, r);
  g.arcTo(x, y + h, x, y, r); g.arcTo(x, y, x + w, y, r); g.closePath(); g.fill();
}

function connect() {
  const source = new EventSource('watch/stream');
  source.addEventListener('status', e => onStatus(JSON.parse(e.data)));
  source.addEventListener('replay', e => onReplay(JSON.parse(e.data)));
  source.addEventListener('tick', e => onTick(JSON.parse(e.data)));
  source.onerror = () => {
    if (source.readyState === EventSource.CLOSED) {
      $('state').textContent = 'disconnected';
      $('state').className = 'pill off';
      setTimeout(connect, 2000);
    }
  };
}

$('tick-now').addEventListener('click', async () => {
  const button = $('tick-now');
  button.disabled = true;
  try {
    await fetch('watch/tick', { method: 'POST' });
  } finally {
    button.disabled = false;
  }
});

connect();
requestAnimationFrame(draw);
