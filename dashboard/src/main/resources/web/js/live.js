// The live page: every rig's state, a 60 s trace per rig, alerts, and (with control rights) the
// slate and rig commands. Fed by the dashboard's server-sent events (/live/stream).
//
// Two views of one page: the wall (every rig as a compact tile sized so that all of them fit the
// screen, alerts in a side column; a tablet gets a scrollable two-column list with the alerts
// pinned) and a rig's own page (#rig=ID: today's detailed tile with its chart and commands).
import { decorateHeader, el, fixed, getJson, postJson, randomId, session, tokenPrompt } from './common.js';
import { liveChart } from './charts.js';

const WINDOW_SECONDS = 60;
const REDRAW_MS = 250;
/** Without trace messages for this long, a rig's chart is drawn from its once-a-second motion. */
const TRACE_QUIET_MS = 3000;
/** Old impacts and clock alerts in the snapshot raise an alert only if this recent. */
const SNAPSHOT_ALERT_AGE_MS = 10 * 60 * 1000;
const IMU_LOW_RATIO = 0.9;
/** The compact tile's trace: the last this many seconds of resultant g. */
const SPARK_SECONDS = 30;
/** The tablet layout (CSS media query of the same width): a scrollable list, not a fitted wall. */
const TABLET = window.matchMedia('(max-width: 1100px)');
const RATES = ['23.976', '24', '25', '29.97', '30', '48', '50', '59.94', '60'];

const rigs = new Map();
const alerts = new Map();
let me = { rights: 'none', thresholds: { impact_g: 10, stunt_impact_g: 15, battery_low_percent: 20 } };
/** Snoozes of impact alerts until cut, by rig ('*': every rig): {takeId, text, at, held}. */
const snoozes = new Map();
/** Takes the feed said were cut (a snapshot's snooze of one of them is over). */
const endedTakes = new Set();
let latestTake = null;
/** The rig whose own page is open (#rig=ID), or null on the wall. */
let focus = null;

// The latency harness (LatencyBench) reads these: ms from the collector's clock to this page.
window.rigtelLatency = { trace: [], state: [] };
function recordLatency(kind, sentMs) {
  const list = window.rigtelLatency[kind];
  if (list.length < 200000 && Number.isFinite(sentMs)) list.push(Date.now() - sentMs);
}

// --- rigs ------------------------------------------------------------------------------------

function rig(id) {
  let r = rigs.get(id);
  if (r) return r;
  r = {
    id,
    state: null,
    motion: null,
    gaps: [],
    xs: [],
    acc: [],
    yaw: [],
    markers: [],
    lastTraceAt: 0,
    dirty: false,
    drift: null,
    commands: new Map(),
  };
  r.view = rigView(r);
  rigs.set(id, r);
  const grid = document.getElementById('rigs');
  const after = [...grid.children].find((tile) => tile.dataset.rig > id);
  grid.insertBefore(r.view.tile, after || null);
  document.getElementById('empty').hidden = true;
  r.view.tile.classList.toggle('focus', r.id === focus);
  r.chart = liveChart(r.view.chart, r.markers, WINDOW_SECONDS);
  layoutWall();
  return r;
}

function fact(label, name, wide = false) {
  const dd = el('dd', { dataset: { fact: name } }, '–');
  return { node: el('div', { class: wide ? 'wide' : null }, el('dt', {}, label), dd), dd };
}

function rigView(r) {
  const facts = {
    battery: fact('Battery', 'battery'),
    wifi: fact('Wi-Fi', 'wifi'),
    temp: fact('Temp', 'temp'),
    imu: fact('IMU', 'imu'),
    dropouts: fact('Gaps 60 s', 'dropouts'),
    rec: fact('Camera', 'rec'),
    tc: fact('Timecode · drift', 'tc', true),
    take: fact('Take', 'take'),
  };
  const status = el('span', { class: 'status' }, '…');
  const wearer = el('span', { class: 'wearer' }, '');
  const chart = el('div', { class: 'chart' });
  const commandResult = el('span', { class: 'command-result' });
  const controls = el(
    'div',
    { class: 'controls', hidden: me.rights !== 'control' },
    el('button', { type: 'button', onclick: () => command(r, 'identify', { seconds: 10 }) }, 'Identify'),
    el('button', { type: 'button', class: 'primary', onclick: () => command(r, 'start-recording', takeArg()) }, 'Start rec'),
    el('button', { type: 'button', class: 'danger', onclick: () => command(r, 'stop-recording', {}) }, 'Stop rec'),
    commandResult,
  );
  // The wall's compact facts: take, camera, battery and timecode lock, in type readable across a set.
  const chips = {
    take: el('span', { class: 'chip take', dataset: { chip: 'take' } }, '–'),
    rec: el('span', { class: 'chip rec', dataset: { chip: 'rec' } }, ''),
    battery: el('span', { class: 'chip battery', dataset: { chip: 'battery' } }, '–'),
    tc: el('span', { class: 'chip tc', dataset: { chip: 'tc' } }, 'TC –'),
  };
  const spark = el('canvas', { class: 'spark', 'aria-hidden': 'true' });
  const tile = el(
    'article',
    {
      class: 'rig',
      dataset: { rig: r.id, online: 'unknown', points: '0', lastTrace: '0' },
      title: `open ${r.id}'s own page`,
      onclick: () => openRig(r.id),
      onkeydown: (event) => event.key === 'Enter' && event.target === tile && openRig(r.id),
      tabindex: '0',
    },
    el('header', {}, el('h2', {}, r.id), status, wearer),
    el('div', { class: 'chips' }, Object.values(chips)),
    spark,
    el('dl', {}, Object.values(facts).map((f) => f.node)),
    el('div', { class: 'legend' }, el('span', { class: 'acc' }, 'resultant g'), el('span', { class: 'yaw' }, 'yaw rate °/s')),
    chart,
    controls,
  );
  return { tile, status, wearer, chart, facts, chips, spark, controls, commandResult };
}

function takeArg() {
  return latestTake && latestTake.event === 'started' ? { take_id: latestTake.name } : {};
}

function setFact(f, text, cls = '') {
  f.dd.textContent = text;
  f.dd.className = cls;
}

function onState(s) {
  const r = rig(s.rig);
  r.state = s;
  renderState(r);
  const status = s.status || {};
  const t = me.thresholds;
  standing(`${s.rig}:offline`, !s.online, 'bad', `${s.rig} offline${s.wearer ? ` (${s.wearer})` : ''}`);
  standing(
    `${s.rig}:timecode`,
    s.online && s.timecode_lock !== 'locked',
    s.timecode_lock === 'unlocked' ? 'bad' : 'warn',
    `${s.rig} timecode ${s.timecode_lock}`,
  );
  const battery = status.battery_percent;
  standing(
    `${s.rig}:battery`,
    s.online && battery !== null && battery !== undefined && battery < t.battery_low_percent,
    'warn',
    `${s.rig} battery low: ${fixed(battery, 0)} %`,
  );
}

function renderState(r) {
  const s = r.state;
  const v = r.view;
  if (!s) return;
  const status = s.status || {};
  v.tile.dataset.online = String(Boolean(s.online));
  v.status.textContent = s.online ? 'online' : 'offline';
  v.wearer.textContent = s.wearer || 'no wearer';
  const battery = status.battery_percent;
  setFact(
    v.facts.battery,
    battery === null || battery === undefined ? '–' : `${fixed(battery, 0)} %`,
    battery < me.thresholds.battery_low_percent ? 'bad' : battery < 40 ? 'warn' : 'ok',
  );
  const rssi = status.wifi_rssi_dbm;
  setFact(v.facts.wifi, rssi === null || rssi === undefined ? '–' : `${rssi} dBm`, rssi < -80 ? 'bad' : rssi < -70 ? 'warn' : 'ok');
  const drift = r.drift === null ? '' : ` ${r.drift >= 0 ? '+' : ''}${fixed(r.drift, 1)} ppm`;
  setFact(v.facts.tc, `${s.timecode_lock}${drift}`, s.timecode_lock === 'locked' ? 'ok' : s.timecode_lock === 'holdover' ? 'warn' : 'bad');
  const recording = status.recording;
  setFact(v.facts.rec, recording === true ? '● REC' : recording === false ? 'stopped' : '–', recording ? 'rec-on' : '');
  setFact(v.facts.take, s.take ? s.take.name : '–');
  v.chips.take.textContent = s.take ? s.take.name : 'no take';
  v.chips.rec.textContent = recording === true ? '● REC' : recording === false ? 'stopped' : '';
  v.chips.rec.className = `chip rec ${recording ? 'rec-on' : ''}`;
  v.chips.battery.textContent = v.facts.battery.dd.textContent === '–' ? '–' : `▮ ${v.facts.battery.dd.textContent}`;
  v.chips.battery.className = `chip battery ${v.facts.battery.dd.className}`;
  v.chips.tc.textContent = `TC ${s.timecode_lock}`;
  v.chips.tc.className = `chip tc ${v.facts.tc.dd.className}`;
  const temp = status.temperature_celsius;
  setFact(v.facts.temp, temp === null || temp === undefined ? '–' : `${fixed(temp, 0)} °C`, temp > 70 ? 'bad' : '');
}

function onMotion(m) {
  const r = rig(m.rig);
  r.motion = m;
  const now = Date.now();
  r.gaps.push({ at: now, gaps: m.gaps || 0 });
  r.gaps = r.gaps.filter((g) => now - g.at <= WINDOW_SECONDS * 1000);
  renderImu(r);
  if (m.expected_samples > 0) {
    standing(
      `${m.rig}:imu`,
      m.samples < IMU_LOW_RATIO * m.expected_samples,
      'warn',
      `${m.rig} IMU rate low: ${m.samples} of ${m.expected_samples} samples`,
    );
  }
  if (now - r.lastTraceAt > TRACE_QUIET_MS) {
    // No trace topic (an older collector) or traces lost: draw the second's peak g and yaw rate.
    pushPoint(r, m.time_nanos / 1e9, m.accel_peak_g, m.yaw_rate_dps);
  }
}

function renderImu(r) {
  const m = r.motion;
  if (m) {
    const low = m.expected_samples > 0 && m.samples < IMU_LOW_RATIO * m.expected_samples;
    const imu = m.samples === m.expected_samples ? `${m.samples} Hz` : `${m.samples}/${m.expected_samples} Hz`;
    setFact(r.view.facts.imu, imu, low ? 'warn' : 'ok');
  }
  const gaps = r.gaps.reduce((sum, g) => sum + g.gaps, 0);
  setFact(r.view.facts.dropouts, String(gaps), gaps > 0 ? 'warn' : 'ok');
}

function pushPoint(r, t, acc, yaw) {
  const last = r.xs.length ? r.xs[r.xs.length - 1] : -Infinity;
  if (!(t > last)) return;
  r.xs.push(t);
  r.acc.push(acc);
  r.yaw.push(yaw);
  r.dirty = true;
}

function onTrace(m) {
  const r = rig(m.rig);
  const ts = m.t_nanos || [];
  for (let i = 0; i < ts.length; i++) {
    pushPoint(r, ts[i] / 1e9, m.accel_g[i], m.yaw_rate_dps[i]);
  }
  r.lastTraceAt = Date.now();
  recordLatency('trace', m.received_ms);
}

function redraw() {
  for (const r of rigs.values()) {
    if (!r.dirty) continue;
    r.dirty = false;
    if (r.xs.length === 0) continue;
    const newest = r.xs[r.xs.length - 1];
    let drop = 0;
    while (drop < r.xs.length && r.xs[drop] < newest - WINDOW_SECONDS) drop++;
    if (drop > 0) {
      r.xs.splice(0, drop);
      r.acc.splice(0, drop);
      r.yaw.splice(0, drop);
    }
    while (r.markers.length && r.markers[0].t < newest - WINDOW_SECONDS) r.markers.shift();
    // The wall draws only the compact trace; a rig's own page only its chart.
    if (focus === null) drawSpark(r);
    else if (focus === r.id) r.chart.setData([r.xs, r.acc, r.yaw]);
    r.view.tile.dataset.points = String(r.xs.length);
    r.view.tile.dataset.lastTrace = String(Math.round(newest * 1000));
  }
}

/** The compact tile's trace: resultant g of the last SPARK_SECONDS, impacts as red lines. */
function drawSpark(r) {
  const canvas = r.view.spark;
  const ratio = window.devicePixelRatio || 1;
  const width = Math.round(canvas.clientWidth * ratio);
  const height = Math.round(canvas.clientHeight * ratio);
  if (width === 0 || height === 0) return;
  if (canvas.width !== width || canvas.height !== height) {
    canvas.width = width;
    canvas.height = height;
  }
  const ctx = canvas.getContext('2d');
  ctx.clearRect(0, 0, width, height);
  if (r.xs.length === 0) return;
  const newest = r.xs[r.xs.length - 1];
  const from = newest - SPARK_SECONDS;
  let first = r.xs.length - 1;
  let top = 4;
  while (first > 0 && r.xs[first - 1] >= from) first--;
  for (let i = first; i < r.xs.length; i++) if (r.acc[i] > top) top = r.acc[i];
  const x = (t) => ((t - from) / SPARK_SECONDS) * width;
  const y = (g) => height - 2 * ratio - (g / top) * (height - 4 * ratio);
  ctx.strokeStyle = 'rgba(255,255,255,0.12)';
  ctx.beginPath();
  ctx.moveTo(0, y(1));
  ctx.lineTo(width, y(1));
  ctx.stroke();
  ctx.strokeStyle = '#ff4d4f';
  ctx.lineWidth = 2 * ratio;
  for (const mark of r.markers) {
    if (mark.type !== 'impact' || mark.t < from) continue;
    ctx.beginPath();
    ctx.moveTo(x(mark.t), 0);
    ctx.lineTo(x(mark.t), height);
    ctx.stroke();
  }
  ctx.strokeStyle = '#ffd166';
  ctx.lineWidth = 1.5 * ratio;
  ctx.beginPath();
  for (let i = first; i < r.xs.length; i++) {
    if (i === first) ctx.moveTo(x(r.xs[i]), y(r.acc[i]));
    else ctx.lineTo(x(r.xs[i]), y(r.acc[i]));
  }
  ctx.stroke();
}

// --- wall and rig page ------------------------------------------------------------------------

function openRig(id) {
  if (focus === null) location.hash = `rig=${encodeURIComponent(id)}`;
}

/** #rig=ID opens that rig's own page; anything else is the wall. */
function route() {
  const match = /(?:^#|&)rig=([^&]+)/.exec(location.hash);
  focus = match ? decodeURIComponent(match[1]) : null;
  document.body.classList.toggle('rig-page', focus !== null);
  document.body.classList.toggle('wall', focus === null);
  document.getElementById('back-to-wall').hidden = focus === null;
  for (const r of rigs.values()) {
    r.view.tile.classList.toggle('focus', r.id === focus);
    r.dirty = true;
  }
  document.title = focus === null ? 'rigtel · live' : `rigtel · ${focus}`;
  layoutWall();
}

/**
 * Sizes the wall so that every rig fits the screen: the column count that gives the largest tiles
 * of about 1.6 : 1, and type that grows with the tile (CSS reads --tile-h). A tablet scrolls instead.
 */
function layoutWall() {
  const grid = document.getElementById('rigs');
  const n = rigs.size;
  if (focus !== null || TABLET.matches || n === 0) {
    grid.style.removeProperty('--cols');
    grid.style.removeProperty('--rows');
    grid.style.removeProperty('--tile-h');
    return;
  }
  const gap = parseFloat(getComputedStyle(grid).columnGap) || 12;
  const width = grid.clientWidth;
  const height = grid.clientHeight;
  let best = { cols: 1, rows: n, score: -1, tileHeight: 0 };
  for (let cols = 1; cols <= n; cols++) {
    const rows = Math.ceil(n / cols);
    const tileWidth = (width - (cols - 1) * gap) / cols;
    const tileHeight = (height - (rows - 1) * gap) / rows;
    const score = Math.min(tileWidth / 1.6, tileHeight);
    if (score > best.score) best = { cols, rows, score, tileHeight };
  }
  grid.style.setProperty('--cols', String(best.cols));
  grid.style.setProperty('--rows', String(best.rows));
  grid.style.setProperty('--tile-h', `${Math.floor(best.tileHeight)}px`);
}

// --- events and alerts -----------------------------------------------------------------------

/** Events and alerts already shown: a reconnect's snapshot repeats the recent ones. */
const seen = new Set();
function firstTime(key) {
  if (seen.has(key)) return false;
  if (seen.size > 5000) seen.clear();
  seen.add(key);
  return true;
}

function onEvent(e, fromSnapshot = false) {
  if (!firstTime(`event ${e.rig} ${e.type} ${e.onset_nanos}`)) return;
  const r = rig(e.rig);
  const t = e.onset_nanos / 1e9;
  const label =
    e.type === 'impact' ? `${fixed(e.peak_g, 1)} g`
      : e.type === 'head-turn' || e.type === 'whip-pan' ? `${e.direction === 'left' ? '←' : '→'} ${fixed(e.angle_deg, 0)}°`
        : e.type;
  r.markers.push({ t, type: e.type, label });
  r.markers.sort((a, b) => a.t - b.t);
  r.dirty = true;
  const recent = !fromSnapshot || Date.now() - e.onset_nanos / 1e6 < SNAPSHOT_ALERT_AGE_MS;
  if (!recent) return;
  if (e.type === 'impact' && e.peak_g >= impactThreshold(e.rig)) {
    const snooze = snoozeOf(e.rig);
    if (snooze) {
      // Snoozed until cut: counted on the snooze's line, not raised.
      snooze.held += 1;
      renderAlerts();
    } else {
      raise(`${e.rig}:impact`, 'bad', `${e.rig} impact ${fixed(e.peak_g, 1)} g${wearerOf(e.rig)}`);
    }
  } else if (e.type === 'dropout') {
    raise(`${e.rig}:dropout`, 'warn', `${e.rig} dropout: ${e.missing_samples ?? '?'} samples missing`);
  }
}

/**
 * The impact alert threshold for a rig's wearer: the wearer's own (--wearer-impact-alert-g) or the
 * normal one; a rehearsed fight (the slate's stunt flag on the rolling take) alerts only on harder
 * impacts, the higher of the stunt threshold and the wearer's own.
 */
function impactThreshold(rig) {
  const t = me.thresholds;
  const r = rig ? rigs.get(rig) : null;
  const wearer = r && r.state ? r.state.wearer : null;
  const own = wearer && t.wearer_impact_g ? t.wearer_impact_g[wearer] : undefined;
  const base = own ?? t.impact_g;
  const stunt = latestTake && latestTake.event === 'started' && latestTake.stunt;
  return stunt && t.stunt_impact_g ? Math.max(t.stunt_impact_g, own ?? 0) : base;
}

function snoozeOf(rig) {
  return snoozes.get(rig) || snoozes.get('*') || null;
}

function onSnooze(a) {
  if (a.take_id && endedTakes.has(a.take_id)) return;
  snoozes.set(a.rig, { rig: a.rig, takeId: a.take_id || null, text: a.message, at: a.time_nanos / 1e6, held: 0 });
  // Impact alerts already up for the rig go quiet with it; the other kinds stay.
  for (const key of [...alerts.keys()]) {
    if (key.endsWith(':impact') && (a.rig === '*' || key === `${a.rig}:impact`)) alerts.delete(key);
  }
  renderAlerts();
}

/** A cut ends the snoozes of its take (and those made with no take rolling). */
function endSnoozes(takeId) {
  let changed = false;
  for (const [rig, snooze] of snoozes) {
    if (snooze.takeId === null || snooze.takeId === takeId) {
      snoozes.delete(rig);
      changed = true;
    }
  }
  if (changed) renderAlerts();
}

function wearerOf(id) {
  const r = rigs.get(id);
  return r && r.state && r.state.wearer ? ` (${r.state.wearer})` : '';
}

function onAlert(a, fromSnapshot = false) {
  if (!firstTime(`alert ${a.rig} ${a.type} ${a.time_nanos}`)) return;
  if (fromSnapshot && Date.now() - a.time_nanos / 1e6 > SNAPSHOT_ALERT_AGE_MS) return;
  if (a.type === 'snooze-until-cut') {
    onSnooze(a);
    return;
  }
  if (a.type === 'timecode-restored') {
    clear(`${a.rig}:clock:timecode-lost`);
    clear(`${a.rig}:clock:timecode-unlocked`);
    return;
  }
  raise(`${a.rig}:clock:${a.type}`, a.type === 'timecode-unlocked' || a.type === 'timecode-jump' ? 'bad' : 'warn', `${a.rig}: ${a.message}`);
}

/** An alert raised by something that happened: a new one after acknowledgement comes back. */
function raise(key, severity, text) {
  const existing = alerts.get(key);
  if (existing && !existing.acked) {
    existing.count += 1;
    existing.text = text;
    existing.at = Date.now();
  } else {
    alerts.set(key, { key, severity, text, at: Date.now(), count: 1, acked: false, standing: false });
  }
  renderAlerts();
}

/** An alert that lasts while a condition holds; acknowledged, it stays quiet until the condition ends. */
function standing(key, holds, severity, text) {
  const existing = alerts.get(key);
  if (!holds) {
    if (existing) clear(key);
    return;
  }
  if (existing) {
    // Unchanged: no redraw, so a tap on the alert never lands on a node just replaced.
    if (existing.text === text && existing.severity === severity) return;
    existing.text = text;
    existing.severity = severity;
  } else {
    alerts.set(key, { key, severity, text, at: Date.now(), count: 1, acked: false, standing: true });
  }
  renderAlerts();
}

function clear(key) {
  if (alerts.delete(key)) renderAlerts();
}

/** Alerts shown in full in the side column; more are folded into one line. */
const ALERTS_SHOWN = 8;
let alertsExpanded = false;

function renderAlerts() {
  // Red before amber; within each, conditions that still hold (offline, unlocked) before events; newest first.
  const rank = (a) => (a.severity === 'bad' ? 0 : 2) + (a.standing ? 0 : 1);
  const open = [...alerts.values()].filter((a) => !a.acked).sort((a, b) => rank(a) - rank(b) || b.at - a.at);
  const acked = [...alerts.values()].filter((a) => a.acked).length;
  const shown = alertsExpanded ? open : open.slice(0, ALERTS_SHOWN);
  // Offline, timecode and battery alerts are never snoozed: during a snooze they say so.
  const snoozed = (a) => (a.key.startsWith('*:') ? null : snoozeOf(a.key.split(':')[0]));
  const snoozeNodes = [...snoozes.values()].map((z) =>
    el(
      'div',
      { class: 'alert snooze', dataset: { key: `${z.rig}:snooze`, held: String(z.held) } },
      el('span', {}, `⏸ ${z.text}`),
      z.held > 0 ? el('span', { class: 'count' }, `${z.held} held`) : null,
      el('span', { class: 'when' }, new Date(z.at).toLocaleTimeString()),
    ),
  );
  const nodes = shown.map((a) =>
    el(
      'div',
      {
        class: `alert ${a.severity}${snoozed(a) ? ' during-snooze' : ''}`,
        role: 'button',
        tabindex: '0',
        title: 'click to acknowledge',
        dataset: { key: a.key },
        onclick: () => acknowledge(a.key),
        onkeydown: (event) => (event.key === 'Enter' || event.key === ' ') && acknowledge(a.key),
      },
      el('span', {}, a.text),
      a.count > 1 ? el('span', { class: 'count', dataset: { count: String(a.count) } }, `×${a.count}`) : null,
      snoozed(a) ? el('span', { class: 'not-snoozed' }, 'not snoozed') : null,
      el('span', { class: 'when' }, new Date(a.at).toLocaleTimeString()),
      el('span', { class: 'ack' }, 'tap to acknowledge'),
    ),
  );
  const more = open.length - shown.length;
  const row = [];
  if (more > 0 || alertsExpanded) {
    row.push(
      el(
        'button',
        { type: 'button', id: 'alerts-more', onclick: () => { alertsExpanded = !alertsExpanded; renderAlerts(); } },
        alertsExpanded ? 'show fewer' : `+${more} more alert${more > 1 ? 's' : ''}`,
      ),
    );
  }
  if (open.length > 1) row.push(el('button', { type: 'button', id: 'alerts-ack-all', onclick: acknowledgeAll }, 'Acknowledge all'));
  if (acked > 0) row.push(el('span', { class: 'acked-note' }, `${acked} acknowledged alert${acked > 1 ? 's' : ''} still holding`));
  if (row.length) nodes.push(el('div', { class: 'alerts-row' }, row));
  document.getElementById('alerts').replaceChildren(...snoozeNodes, ...nodes);
}

function acknowledgeAll() {
  for (const alert of [...alerts.values()]) {
    if (alert.standing) alert.acked = true;
    else alerts.delete(alert.key);
  }
  alertsExpanded = false;
  renderAlerts();
}

function acknowledge(key) {
  const alert = alerts.get(key);
  if (!alert) return;
  if (alert.standing) alert.acked = true;
  else alerts.delete(key);
  renderAlerts();
}

// --- takes, commands, feed -------------------------------------------------------------------

function onTakes(t) {
  latestTake = t;
  if (t.event === 'ended') {
    endedTakes.add(t.take_id);
    endSnoozes(t.take_id);
  }
  const badge = document.getElementById('take-now');
  if (t.event === 'started') {
    badge.textContent = `ROLLING ${t.name}${t.stunt ? ' · STUNT' : ''} · ${t.start_timecode}`;
    badge.className = 'badge bad';
  } else {
    badge.textContent = `cut ${t.name}${t.end_timecode ? ` · ${t.end_timecode}` : ''}`;
    badge.className = 'badge';
  }
  renderSlateTake();
}

function onCommand(c) {
  const r = rigs.get(c.rig);
  if (!r) return;
  // A rig can answer before the collector publishes "sent": "sent" never replaces an answer.
  if (c.status === 'sent' && r.commands.has(c.id) && r.commands.get(c.id) !== 'sent') return;
  r.commands.set(c.id, c.status);
  if (r.commands.size > 100) r.commands.delete(r.commands.keys().next().value);
  r.view.commandResult.textContent = `${c.command}: ${c.status}${c.detail ? ` (${c.detail})` : ''}`;
}

function onFeed(f) {
  const badge = document.getElementById('feed');
  // With several collectors (--mqtt-url a,b) the feed lists each; connected means all of them.
  const down = (f.feeds || []).filter((x) => !x.connected).map((x) => x.url);
  const partly = !f.connected && f.feeds && down.length < f.feeds.length;
  badge.textContent = f.connected ? 'live' : partly ? `${down.length} of ${f.feeds.length} collectors unreachable` : 'collector unreachable';
  badge.className = `badge ${f.connected ? 'ok' : 'bad'}`;
  standing(
    'feed',
    !f.connected,
    'bad',
    partly
      ? `No live connection to ${down.join(', ')}: the states of its rigs below may be old`
      : 'No live connection to the collector: states below may be old',
  );
}

/** Disk used by the shoot, and what it will be on the last day: a badge, and an alert while a disk is short. */
function onStorage(d) {
  const badge = document.getElementById('storage');
  const known = d.influx_bytes >= 0;
  badge.textContent = known
    ? `disk ${gigabytes(d.influx_bytes)} · ${gigabytes(d.forecast_bytes)} by day ${d.shoot_days}`
    : 'disk use unknown';
  badge.title = `${d.message} (day ${d.shoot_day} of ${d.shoot_days})`;
  badge.className = `badge ${d.level === 'ok' ? 'ok' : d.level === 'warning' ? 'warn' : 'bad'}`;
  badge.dataset.level = d.level;
  badge.hidden = false;
  standing('storage', d.level !== 'ok', d.level === 'critical' ? 'bad' : 'warn', `Disk space: ${d.message}`);
}

function gigabytes(bytes) {
  if (bytes < 0) return '?';
  const gb = bytes / 1e9;
  return gb >= 10 ? `${gb.toFixed(0)} GB` : gb >= 0.1 ? `${gb.toFixed(1)} GB` : `${(bytes / 1e6).toFixed(0)} MB`;
}

function onSnapshot(s) {
  onFeed(s.feed);
  if (s.storage) onStorage(s.storage);
  for (const state of s.states) onState(state);
  for (const take of s.takes) onTakes(take);
  for (const event of s.events) onEvent(event, true);
  for (const alert of s.alerts) onAlert(alert, true);
  for (const c of s.commands) onCommand(c);
}

function connect() {
  const source = new EventSource('/live/stream');
  const handlers = {
    snapshot: onSnapshot,
    state: (s) => {
      onState(s);
      recordLatency('state', s.time_nanos / 1e6);
    },
    motion: onMotion,
    trace: onTrace,
    event: (e) => onEvent(e),
    alert: (a) => onAlert(a),
    takes: onTakes,
    command: onCommand,
    storage: onStorage,
    feed: onFeed,
  };
  for (const [name, handler] of Object.entries(handlers)) {
    source.addEventListener(name, (message) => {
      try {
        handler(JSON.parse(message.data));
      } catch (error) {
        console.warn(`bad ${name} message`, error);
      }
    });
  }
  source.onerror = () => {
    const badge = document.getElementById('feed');
    badge.textContent = 'reconnecting…';
    badge.className = 'badge bad';
  };
}

async function pollClocks() {
  try {
    for (const c of await getJson('/api/rigs')) {
      const r = rigs.get(c.rig);
      if (r) {
        r.drift = c.drift_ppm;
        renderState(r);
      }
    }
  } catch (error) {
    // The collector's API is not reachable right now; the live feed says so too.
  }
}

// --- controls --------------------------------------------------------------------------------

async function command(r, name, args) {
  r.view.commandResult.textContent = `${name}: sending…`;
  try {
    const sent = await postJson(`/api/rigs/${encodeURIComponent(r.id)}/commands`, { command: name, args });
    // The rig's answer may have come through the live stream before this response did.
    if (!r.commands.has(sent.id)) r.view.commandResult.textContent = `${name}: ${sent.status}`;
  } catch (error) {
    r.view.commandResult.textContent = `${name}: ${error.message}`;
  }
}

const slate = {};

function buildSlate() {
  const panel = document.getElementById('slate');
  const input = (name, attributes) => el('input', { name, ...attributes });
  slate.rate = el('select', { name: 'rate' }, RATES.map((r) => el('option', { value: r, selected: r === '25' }, r)));
  slate.df = el('input', { type: 'checkbox', name: 'df' });
  slate.scene = input('scene', { size: 5, maxlength: 32, placeholder: 'scene' });
  slate.shot = input('shot', { size: 4, maxlength: 32, placeholder: 'shot' });
  slate.take = input('take', { type: 'number', min: 1, max: 999, value: 1 });
  slate.roll = input('camera_roll', { size: 6, maxlength: 32, placeholder: 'A001' });
  slate.stunt = el('input', { type: 'checkbox', name: 'stunt' });
  slate.rig = el('select', { name: 'rig' });
  slate.person = input('person', { size: 14, maxlength: 64, placeholder: 'name (empty: nobody)' });
  slate.current = el('span', { class: 'current' }, 'no take yet');
  slate.result = el('div', { class: 'result', 'aria-live': 'polite' });
  panel.replaceChildren(
    el('div', { class: 'row' }, slate.current, el('label', {}, 'rate', slate.rate), el('label', {}, 'DF', slate.df)),
    el(
      'div',
      { class: 'row' },
      el('label', {}, 'scene', slate.scene),
      el('label', {}, 'shot', slate.shot),
      el('label', {}, 'take', slate.take),
      el('label', {}, 'roll', slate.roll),
      el('label', { title: `a rehearsed stunt or fight: impact alerts from ${me.thresholds.stunt_impact_g} g` }, 'stunt', slate.stunt),
      el('button', { type: 'button', class: 'danger', id: 'slate-roll', onclick: roll }, 'Roll'),
      el('button', { type: 'button', id: 'slate-cut', onclick: cut }, 'Cut'),
    ),
    el(
      'div',
      { class: 'row' },
      el('span', { class: 'muted' }, 'mark last take'),
      ...['good', 'ng', 'circled'].map((mark) => el('button', { type: 'button', onclick: () => markTake(mark) }, mark)),
      el('span', { class: 'spacer' }),
      el('label', {}, 'assign', slate.rig),
      slate.person,
      el('button', { type: 'button', id: 'slate-assign', onclick: assign }, 'Assign'),
    ),
    el(
      'div',
      { class: 'row' },
      el('span', { class: 'muted' }, 'impact alerts until cut'),
      el('button', { type: 'button', id: 'slate-snooze', onclick: () => snooze(slate.rig.value) }, 'Snooze rig'),
      el('button', { type: 'button', id: 'slate-snooze-all', onclick: () => snooze('*') }, 'Snooze all'),
    ),
    slate.result,
  );
  // The slate folds away: a button in the header opens it over the wall, so rigs never move.
  const toggle = document.getElementById('slate-toggle');
  toggle.hidden = false;
  toggle.addEventListener('click', () => {
    panel.hidden = !panel.hidden;
    toggle.setAttribute('aria-expanded', String(!panel.hidden));
    toggle.textContent = panel.hidden ? 'Slate ▾' : 'Slate ▴';
  });
}

function renderSlateTake() {
  if (!slate.current || !latestTake) return;
  const t = latestTake;
  slate.current.textContent = t.event === 'started' ? `Rolling ${t.name}` : `Last: ${t.name} (cut)`;
  if (t.timecode_rate) slate.rate.value = t.timecode_rate;
  if (!slate.scene.value) {
    slate.scene.value = t.scene;
    slate.shot.value = t.shot;
    slate.take.value = t.take + 1;
  }
}

function refreshRigChoices() {
  if (!slate.rig) return;
  const chosen = slate.rig.value;
  slate.rig.replaceChildren(...[...rigs.keys()].sort().map((id) => el('option', { value: id, selected: id === chosen }, id)));
}

async function sendSlate(event, done) {
  const body = { v: 1, id: randomId(event.type), rate: slate.rate.value, ...event };
  if (slate.df.checked && (body.rate === '29.97' || body.rate === '59.94')) body.df = true;
  slate.result.className = 'result';
  slate.result.textContent = `${event.type}: sending…`;
  try {
    const stored = await postJson('/api/slate', body);
    slate.result.textContent = `${event.type} stored at ${stored.tc} (${stored.date})`;
    if (done) done(stored);
  } catch (error) {
    slate.result.className = 'result bad';
    slate.result.textContent = `${event.type} refused: ${error.message}`;
  }
}

function roll() {
  const take = Number(slate.take.value);
  const event = { type: 'roll', scene: slate.scene.value.trim(), shot: slate.shot.value.trim(), take };
  if (slate.roll.value.trim()) event.camera_roll = slate.roll.value.trim();
  if (slate.stunt.checked) event.stunt = true;
  sendSlate(event, () => {
    slate.take.value = take + 1;
  });
}

function cut() {
  sendSlate({ type: 'cut' });
}

function markTake(mark) {
  if (!latestTake) {
    slate.result.textContent = 'no take to mark yet';
    return;
  }
  sendSlate({ type: 'mark', scene: latestTake.scene, shot: latestTake.shot, take: latestTake.take, mark });
}

/** Snoozes impact alerts of a rig ('*': all) until the take is cut; stored with the slate events. */
function snooze(rig) {
  if (!rig) return;
  sendSlate({ type: 'snooze', rig });
}

function assign() {
  if (!slate.rig.value) return;
  sendSlate({ type: 'assign', rig: slate.rig.value, person: slate.person.value.trim() });
}

// --- start -----------------------------------------------------------------------------------

function tick() {
  document.getElementById('clock').textContent = new Date().toLocaleTimeString();
}

async function start() {
  me = await session();
  decorateHeader(me);
  if (me.rights === 'none') {
    tokenPrompt(document.getElementById('main'), me.problem);
    return;
  }
  route();
  window.addEventListener('hashchange', route);
  window.addEventListener('resize', layoutWall);
  TABLET.addEventListener('change', layoutWall);
  if (me.rights === 'control') buildSlate();
  connect();
  setInterval(redraw, REDRAW_MS);
  setInterval(tick, 1000);
  setInterval(refreshRigChoices, 2000);
  setInterval(pollClocks, 10000);
  setTimeout(pollClocks, 1500);
  tick();
}

window.rigtelLive = {
  rigs: () => [...rigs.values()].map((r) => ({ id: r.id, online: r.state ? r.state.online : null, points: r.xs.length, markers: r.markers.length })),
  alerts: () => [...alerts.values()],
  snoozes: () => [...snoozes.values()],
  /** Browser tests: hands a message to the same handler the live stream does. */
  deliver: (name, message) => ({ event: onEvent, alert: onAlert, takes: onTakes, state: onState })[name](message),
};

start();
