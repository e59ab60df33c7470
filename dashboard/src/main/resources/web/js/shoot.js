// The shoot at a glance (review page) and the pictures the daily report shares with it: per wearer,
// ISO weeks and a small chart of the rolling 7 days of head impacts against the limit. The figures
// come from the collector's GET /api/shoot/exposure (collector/README.md).
import { el, fixed } from './common.js';

/** Text made safe for SVG markup. */
export function esc(text) {
  return String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** An element from SVG markup (parsed as HTML, so no namespace string is needed). */
export function svg(markup) {
  const box = document.createElement('div');
  box.innerHTML = markup;
  return box.firstElementChild;
}

/** The query of /api/shoot/exposure for these filters. */
export function shootQuery({ from, to, scene, stunt, impactLimit, hicLimit }) {
  const q = new URLSearchParams({ from, to });
  if (scene) q.set('scene', scene);
  if (stunt) q.set('stunt', stunt);
  if (impactLimit !== undefined && impactLimit !== null && impactLimit !== '') q.set('impact_limit', impactLimit);
  if (hicLimit !== undefined && hicLimit !== null && hicLimit !== '') q.set('hic_limit', hicLimit);
  return `/api/shoot/exposure?${q}`;
}

/**
 * One wearer's small chart: days on x, each day's impacts as bars, the rolling 7-day impacts as a
 * line and the limit as a dashed line; days over the limit get a red dot. The chart says what it
 * drew in data attributes (crossings: days the rolling line goes over the limit), for tests and
 * for screen readers' titles.
 */
export function smallChart(person, limit, { width = 260, height = 90 } = {}) {
  const days = person.days;
  const pad = { l: 22, r: 4, t: 6, b: 14 };
  const w = width - pad.l - pad.r;
  const h = height - pad.t - pad.b;
  const top = Math.max(limit * 1.25, 1, ...days.map((d) => Math.max(d.rolling7.impacts, d.day.impacts)));
  const x = (i) => pad.l + (days.length <= 1 ? w / 2 : (i / (days.length - 1)) * w);
  const y = (v) => pad.t + h - (v / top) * h;
  const bar = Math.max(1, w / Math.max(1, days.length) - 1);
  const bars = days
    .map((d, i) => (d.day.impacts > 0 ? `<rect class="day-bar" x="${(x(i) - bar / 2).toFixed(1)}" y="${y(d.day.impacts).toFixed(1)}" width="${bar.toFixed(1)}" height="${(pad.t + h - y(d.day.impacts)).toFixed(1)}"></rect>` : ''))
    .join('');
  const points = days.map((d, i) => `${x(i).toFixed(1)},${y(d.rolling7.impacts).toFixed(1)}`).join(' ');
  const over = days
    .map((d, i) => (d.rolling7.impacts > limit ? `<circle class="over" cx="${x(i).toFixed(1)}" cy="${y(d.rolling7.impacts).toFixed(1)}" r="2.2" data-date="${d.date}"></circle>` : ''))
    .join('');
  const crossings = [];
  days.forEach((d, i) => {
    const before = i === 0 ? 0 : days[i - 1].rolling7.impacts;
    if (d.rolling7.impacts > limit && before <= limit) crossings.push(d.date);
  });
  const ly = y(limit).toFixed(1);
  const first = days.length ? days[0].date.slice(5) : '';
  const last = days.length ? days[days.length - 1].date.slice(5) : '';
  return svg(
    `<svg class="small-chart" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img"` +
      ` data-person="${esc(person.person)}" data-limit="${limit}" data-crossings="${crossings.join(',')}"` +
      ` data-x0="${x(0).toFixed(1)}" data-dx="${days.length <= 1 ? 0 : (w / (days.length - 1)).toFixed(4)}">` +
      `<title>${esc(person.person)}: rolling 7-day head impacts against the limit of ${limit}</title>` +
      `<line class="axis" x1="${pad.l}" y1="${pad.t + h}" x2="${pad.l + w}" y2="${pad.t + h}"></line>` +
      `<text class="label" x="2" y="${pad.t + 8}">${Math.round(top)}</text>` +
      `<text class="label" x="${pad.l}" y="${height - 2}">${first}</text>` +
      `<text class="label" x="${pad.l + w}" y="${height - 2}" text-anchor="end">${last}</text>` +
      bars +
      `<line class="limit" x1="${pad.l}" y1="${ly}" x2="${pad.l + w}" y2="${ly}"></line>` +
      `<polyline class="rolling" fill="none" points="${points}"></polyline>` +
      over +
      `</svg>`,
  );
}

/** The table: a row per wearer with the range's totals, and the impacts of each ISO week. */
export function shootTable(shoot) {
  const weeks = [...new Set(shoot.people.flatMap((p) => p.weeks.map((w) => w.week)))].sort();
  const head = el(
    'tr',
    {},
    el('th', {}, 'wearer'),
    el('th', {}, 'takes'),
    el('th', { title: "impacts over the collector's impact threshold" }, 'impacts'),
    el('th', { title: 'a screening index from a 1 kHz rig, not a medical finding' }, 'max HIC15'),
    el('th', {}, 'peak g'),
    el('th', {}, 'head turns'),
    el('th', { title: 'ISO 2631-1 motion sickness dose, m/s^1.5' }, 'MSDV'),
    el('th', { title: `largest rolling 7-day impacts (limit ${shoot.limits.impacts_7d})` }, 'max 7 d'),
    el('th', {}, 'days over'),
    weeks.map((w) => el('th', { class: 'week', title: `impacts in ISO week ${w}` }, w.slice(5))),
  );
  const rows = shoot.people.map((p) => {
    const byWeek = new Map(p.weeks.map((w) => [w.week, w]));
    return el(
      'tr',
      { dataset: { person: p.person } },
      el('th', {}, p.person),
      el('td', {}, p.total.takes),
      el('td', {}, p.total.impacts),
      el('td', { class: p.total.max_hic15 > shoot.limits.hic15_7d ? 'over' : '' }, fixed(p.total.max_hic15, 0)),
      el('td', {}, fixed(p.total.peak_g, 1)),
      el('td', {}, p.total.head_turns),
      el('td', {}, fixed(p.total.msdv, 1)),
      el('td', { class: p.max_rolling7_impacts > shoot.limits.impacts_7d ? 'over' : '' }, p.max_rolling7_impacts),
      el('td', { class: p.days_over_limit > 0 ? 'over' : '' }, p.days_over_limit),
      weeks.map((w) => {
        const week = byWeek.get(w);
        return el('td', { class: `week ${week && week.over_limit ? 'over' : ''}`, title: week ? `${week.from} – ${week.to}` : '' }, week ? week.figures.impacts : '');
      }),
    );
  });
  return el('table', { class: 'shoot' }, el('thead', {}, head), el('tbody', {}, rows));
}

/** Small multiples: one chart per wearer. */
export function smallMultiples(shoot) {
  return el(
    'div',
    { class: 'multiples' },
    shoot.people.map((p) =>
      el('figure', { class: 'multiple', dataset: { person: p.person } }, el('figcaption', {}, p.person, el('span', { class: 'muted' }, ` · max ${p.max_rolling7_impacts} in 7 d`)), smallChart(p, shoot.limits.impacts_7d)),
    ),
  );
}
