// The review page: a shooting day's takes on a timecode timeline, the wearer x take matrix
// coloured by a metric, and each wearer's exposure with thresholds.
import { decorateHeader, el, fixed, getJson, session, showError, today, tokenPrompt } from './common.js';
import { labeller } from './timecode.js';
import { shootQuery, shootTable, smallMultiples } from './shoot.js';

const METRICS = {
  peak_g: { label: 'peak g', digits: 1, unit: 'g' },
  head_turns: { label: 'head turns', digits: 0, unit: '' },
  msdv: { label: 'MSDV', digits: 2, unit: 'm/s^1.5' },
};

/** Exposure figures with their thresholds (amber, red); ours, see the page text and dashboard/README.md. */
const EXPOSURE = [
  { key: 'impactsOverThreshold', snake: 'impacts_over_threshold', label: 'impacts', digits: 0, warn: 1, bad: 3, max: 5 },
  { key: 'msdvTotal', snake: 'msdv_total', label: 'MSDV', digits: 1, warn: 15, bad: 30, max: 45 },
  { key: 'secondsAbove30Dps', snake: 'seconds_above_30_dps', label: 'min > 30 °/s', digits: 1, warn: 300, bad: 900, max: 1200, scale: 1 / 60 },
  { key: 'secondsAbove3G', snake: 'seconds_above_3_g', label: 's > 3 g', digits: 0, warn: 30, bad: 120, max: 180 },
  { key: 'maxHic15', snake: 'max_hic15', label: 'max HIC15', digits: 0, warn: 100, bad: 250, max: 400 },
];

let matrix = null;

/** Blue (low) to red (high), t in 0..1. */
function colour(t) {
  const stops = [
    [44, 127, 184],
    [127, 205, 187],
    [255, 255, 178],
    [253, 141, 60],
    [227, 26, 28],
  ];
  const x = Math.max(0, Math.min(1, t)) * (stops.length - 1);
  const i = Math.min(stops.length - 2, Math.floor(x));
  const f = x - i;
  const c = stops[i].map((v, k) => Math.round(v + (stops[i + 1][k] - v) * f));
  return `rgb(${c[0]}, ${c[1]}, ${c[2]})`;
}

function renderTimeline(m) {
  const box = document.getElementById('timeline');
  const takes = m.takes.filter((t) => t.start_ns);
  if (takes.length === 0) {
    box.replaceChildren(el('p', { class: 'muted' }, 'No takes on this day.'));
    return;
  }
  const first = takes[0];
  const start = Math.min(...takes.map((t) => t.start_ns));
  const end = Math.max(...takes.map((t) => t.end_ns || t.start_ns));
  const span = Math.max(1, end - start);
  const label = labeller(first.start_tc, first.start_ns, first.rate || '25');
  const nodes = takes.map((t) => {
    const left = ((t.start_ns - start) / span) * 100;
    const width = (((t.end_ns || t.start_ns) - t.start_ns) / span) * 100;
    return el(
      'a',
      {
        class: `take ${t.mark || ''}`,
        href: `/take.html?id=${encodeURIComponent(t.id)}`,
        style: `left:${left}%;width:${Math.max(width, 0.3)}%`,
        title: `${t.name} ${t.start_tc}${t.end_tc ? `–${t.end_tc}` : ''}`,
        dataset: { take: t.id },
      },
      t.name,
    );
  });
  const ticks = 6;
  for (let i = 0; i <= ticks; i++) {
    const ns = start + (span * i) / ticks;
    nodes.push(el('span', { class: 'tick', style: `left:${(i / ticks) * 100}%` }, label(ns).slice(0, 8)));
  }
  box.replaceChildren(...nodes);
}

function renderMatrix() {
  const box = document.getElementById('matrix');
  const m = matrix;
  const metric = document.getElementById('metric').value;
  const info = METRICS[metric];
  if (!m.takes.length) {
    box.replaceChildren(el('p', { class: 'muted' }, 'Nothing to show.'));
    document.getElementById('scale').replaceChildren();
    return;
  }
  const cells = new Map();
  const rows = new Set(m.people);
  for (const c of m.cells) {
    const who = c.person || `${c.rig} (nobody)`;
    rows.add(who);
    const key = `${who}\u0000${c.take_id}`;
    const existing = cells.get(key);
    // A person who wore two rigs in one take: the larger figure counts.
    if (!existing || (c[metric] ?? -Infinity) > (existing[metric] ?? -Infinity)) cells.set(key, c);
  }
  const values = [...cells.values()].map((c) => c[metric]).filter((v) => typeof v === 'number' && Number.isFinite(v));
  const min = values.length ? Math.min(...values) : 0;
  const max = values.length ? Math.max(...values) : 1;
  const head = el(
    'tr',
    {},
    el('th', {}, 'wearer'),
    m.takes.map((t) => el('th', { class: 'take', title: t.start_tc }, el('a', { href: `/take.html?id=${encodeURIComponent(t.id)}` }, t.name))),
  );
  const body = [...rows].sort().map((who) =>
    el(
      'tr',
      { dataset: { person: who } },
      el('th', {}, who),
      m.takes.map((t) => {
        const c = cells.get(`${who}\u0000${t.id}`);
        const v = c ? c[metric] : null;
        if (v === null || v === undefined) return el('td', { class: 'empty' }, '');
        const relative = max > min ? (v - min) / (max - min) : 0.5;
        return el(
          'td',
          {
            style: `background:${colour(relative)}`,
            title: `${who}, ${t.name} on ${c.rig}: ${info.label} ${fixed(v, info.digits)} ${info.unit}`,
            dataset: { take: t.id, rig: c.rig, value: String(v) },
            onclick: () => location.assign(`/take.html?id=${encodeURIComponent(t.id)}`),
          },
          fixed(v, info.digits),
        );
      }),
    ),
  );
  box.replaceChildren(el('table', { class: 'matrix' }, el('thead', {}, head), el('tbody', {}, body)));
  document
    .getElementById('scale')
    .replaceChildren(el('span', {}, `${fixed(min, info.digits)} ${info.unit}`), el('span', { class: 'bar' }), el('span', {}, `${fixed(max, info.digits)} ${info.unit}`));
}

async function renderExposure(date, people) {
  const box = document.getElementById('exposure');
  box.replaceChildren();
  for (const person of people) {
    const card = el('div', { class: 'person', dataset: { person } }, el('h3', {}, person), el('p', { class: 'muted' }, 'loading…'));
    box.append(card);
    try {
      const answer = await getJson(`/api/people/${encodeURIComponent(person)}/exposure?date=${date}`);
      const e = answer.exposure || {};
      const rows = EXPOSURE.map((x) => {
        const raw = e[x.key] ?? e[x.snake];
        const value = typeof raw === 'number' && Number.isFinite(raw) ? raw : null;
        const shown = value === null ? '–' : fixed(value * (x.scale || 1), x.digits);
        const level = value === null ? '' : value >= x.bad ? 'bad' : value >= x.warn ? 'warn' : '';
        const pct = (v) => `${Math.min(100, (v / x.max) * 100)}%`;
        return el(
          'div',
          { class: 'meter', dataset: { figure: x.key, level: level || 'ok' } },
          el('span', {}, x.label),
          el(
            'span',
            { class: 'track' },
            el('span', { class: `fill ${level}`, style: `width:${value === null ? 0 : pct(value)}` }),
            el('span', { class: 'threshold', style: `left:${pct(x.warn)}`, title: `amber from ${x.warn * (x.scale || 1)}` }),
            el('span', { class: 'threshold', style: `left:${pct(x.bad)}`, title: `red from ${x.bad * (x.scale || 1)}` }),
          ),
          el('span', { class: 'value' }, shown),
        );
      });
      card.replaceChildren(el('h3', {}, person), el('div', { class: 'muted' }, `${(answer.takes || []).length} takes`), ...rows);
    } catch (error) {
      card.replaceChildren(el('h3', {}, person), el('p', { class: 'error' }, error.message));
    }
  }
}

/** YYYY-MM-DD plus n days. */
function plusDays(date, n) {
  const d = new Date(`${date}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

/** The shoot view: every wearer over a range of days, from one request. */
async function renderShoot(date, params) {
  const valid = (v) => /^\d{4}-\d{2}-\d{2}$/.test(v || '');
  const filters = {
    to: valid(params.get('shoot_to')) ? params.get('shoot_to') : date,
    from: valid(params.get('shoot_from')) ? params.get('shoot_from') : plusDays(date, -27),
    scene: params.get('scene') || '',
    stunt: params.get('stunt') || '',
    impactLimit: params.get('impact_limit') || '',
    hicLimit: params.get('hic_limit') || '',
  };
  const form = document.getElementById('shoot-filters');
  const field = { from: 'shoot-from', to: 'shoot-to', scene: 'shoot-scene', stunt: 'shoot-stunt', impactLimit: 'shoot-impact-limit', hicLimit: 'shoot-hic-limit' };
  for (const [key, id] of Object.entries(field)) document.getElementById(id).value = filters[key];
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const url = new URL(location.href);
    const names = { from: 'shoot_from', to: 'shoot_to', scene: 'scene', stunt: 'stunt', impactLimit: 'impact_limit', hicLimit: 'hic_limit' };
    for (const [key, id] of Object.entries(field)) {
      const value = document.getElementById(id).value.trim();
      if (value) url.searchParams.set(names[key], value);
      else url.searchParams.delete(names[key]);
    }
    location.assign(url.toString());
  });
  const table = document.getElementById('shoot-table');
  try {
    const shoot = await getJson(shootQuery(filters));
    if (!filters.impactLimit) document.getElementById('shoot-impact-limit').placeholder = shoot.limits.impacts_7d;
    if (!filters.hicLimit) document.getElementById('shoot-hic-limit').placeholder = shoot.limits.hic15_7d;
    const notes = [`${shoot.from} to ${shoot.to}`, `limits: ${shoot.limits.impacts_7d} impacts, HIC15 ${shoot.limits.hic15_7d} in 7 days`];
    if (shoot.scene) notes.push(`scene ${shoot.scene}`);
    if (shoot.stunt && shoot.stunt.note) notes.push(`stunt filter ${shoot.stunt.note}`);
    document.getElementById('shoot-note').textContent = notes.join(' · ');
    if (!shoot.people.length) {
      table.replaceChildren(el('p', { class: 'muted' }, 'No takes in this range.'));
      document.getElementById('shoot-charts').replaceChildren();
    } else {
      table.replaceChildren(shootTable(shoot));
      document.getElementById('shoot-charts').replaceChildren(smallMultiples(shoot));
    }
  } catch (error) {
    showError(table, error);
  }
  document.body.dataset.shoot = 'true';
}

async function start() {
  const me = await session();
  decorateHeader(me);
  if (me.rights === 'none') {
    tokenPrompt(document.getElementById('main'), me.problem);
    return;
  }
  const params = new URLSearchParams(location.search);
  const date = /^\d{4}-\d{2}-\d{2}$/.test(params.get('date') || '') ? params.get('date') : today();
  const dateInput = document.getElementById('date');
  dateInput.value = date;
  document.getElementById('report-link').href = `/report.html?date=${date}`;
  const shootDone = renderShoot(date, params);
  dateInput.addEventListener('change', () => {
    if (dateInput.value) location.assign(`/review.html?date=${dateInput.value}`);
  });
  const metric = document.getElementById('metric');
  if (METRICS[params.get('metric')]) metric.value = params.get('metric');
  metric.addEventListener('change', () => {
    const url = new URL(location.href);
    url.searchParams.set('metric', metric.value);
    history.replaceState(null, '', url);
    if (matrix) renderMatrix();
  });
  let listed = [];
  try {
    // The day's takes listing adds what the matrix leaves out: each take's rate (for timecode
    // labels), mark and end timecode.
    [matrix, listed] = await Promise.all([getJson(`/api/days/${date}/matrix`), getJson(`/api/days/${date}/takes`).catch(() => [])]);
  } catch (error) {
    showError(document.getElementById('matrix'), error);
    await shootDone;
    return;
  }
  const byId = new Map(listed.map((t) => [t.id, t]));
  matrix.takes = matrix.takes.map((t) => ({ ...byId.get(t.id), ...t }));
  document.getElementById('summary').textContent = `${matrix.takes.length} takes, ${matrix.people.length} wearers`;
  renderTimeline(matrix);
  renderMatrix();
  document.body.dataset.ready = 'true';
  await renderExposure(date, [...matrix.people].sort());
  document.body.dataset.exposure = 'true';
}

start();
