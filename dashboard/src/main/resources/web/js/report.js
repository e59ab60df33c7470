// The daily report: one printable page per shooting day for the stunt coordinator and the
// production's safety officer. Served by the dashboard as a page of its own, filled from the
// collector's JSON through the dashboard's /api proxy; the browser prints it (css/shoot.css, @media print).
import { el, fixed, getJson, session, showError, today, tokenPrompt } from './common.js';
import { labeller } from './timecode.js';
import { esc, shootQuery, svg } from './shoot.js';

const params = new URLSearchParams(location.search);

/** The takes on the day's timeline, impact ticks above them. */
function timeline(takes, impacts, label) {
  const width = 1000;
  const height = 86;
  const rolled = takes.filter((t) => t.start_ns);
  if (!rolled.length) return el('p', { class: 'muted' }, 'No takes on this day.');
  const start = Math.min(...rolled.map((t) => t.start_ns));
  const end = Math.max(...rolled.map((t) => t.end_ns || t.start_ns));
  const span = Math.max(1, end - start);
  const x = (ns) => 10 + ((ns - start) / span) * (width - 20);
  const parts = [];
  for (const t of rolled) {
    const x0 = x(t.start_ns);
    const w = Math.max(2, x(t.end_ns || t.start_ns) - x0);
    parts.push(`<rect class="take-bar ${esc(t.mark || '')}" x="${x0.toFixed(1)}" y="34" width="${w.toFixed(1)}" height="22"><title>${esc(t.name)} ${esc(t.start_tc)}</title></rect>`);
  }
  for (const i of impacts) {
    const xi = x(i.onset_ns).toFixed(1);
    parts.push(`<line class="impact-tick" x1="${xi}" y1="8" x2="${xi}" y2="32"><title>${esc(label(i.onset_ns))} ${esc(i.wearer || i.rig)}</title></line>`);
  }
  for (let k = 0; k <= 6; k++) {
    const ns = start + (span * k) / 6;
    parts.push(`<text class="label" x="${x(ns).toFixed(1)}" y="76" text-anchor="${k === 0 ? 'start' : k === 6 ? 'end' : 'middle'}">${esc(label(ns).slice(0, 8))}</text>`);
  }
  return svg(`<svg class="report-timeline" viewBox="0 0 ${width} ${height}" role="img" data-takes="${rolled.length}" data-impacts="${impacts.length}"><title>The day's takes on the timecode timeline with head impacts</title>${parts.join('')}</svg>`);
}

/** Per wearer: small bars of the rolling 7-day impacts and largest HIC15 against the limits. */
function bars(shoot, date) {
  if (!shoot.people.length) return el('p', { class: 'muted' }, 'Nobody wore a rig.');
  const limits = shoot.limits;
  const rowH = 20;
  const width = 420;
  const labelW = 120;
  const barW = (width - labelW - 20) / 2;
  const rows = [];
  shoot.people.forEach((p, i) => {
    const d = p.days.find((x) => x.date === date) || p.days[p.days.length - 1];
    const y = 18 + i * rowH;
    const imp = d.rolling7.impacts;
    const hic = d.rolling7.max_hic15;
    const scaleI = Math.max(limits.impacts_7d * 1.5, imp, 1);
    const scaleH = Math.max(limits.hic15_7d * 1.5, hic, 1);
    const wi = (imp / scaleI) * barW;
    const wh = (hic / scaleH) * barW;
    const li = labelW + (limits.impacts_7d / scaleI) * barW;
    const lh = labelW + barW + 20 + (limits.hic15_7d / scaleH) * barW;
    rows.push(
      `<g class="wearer" data-person="${esc(p.person)}">` +
        `<text class="label" x="0" y="${y + 12}">${esc(p.person)}</text>` +
        `<rect class="bar ${imp > limits.impacts_7d ? 'over' : ''}" x="${labelW}" y="${y + 2}" width="${wi.toFixed(1)}" height="13"><title>${imp} impacts in 7 days (today ${d.day.impacts})</title></rect>` +
        `<text class="value" x="${(labelW + wi + 3).toFixed(1)}" y="${y + 12}">${imp}</text>` +
        `<line class="limit" x1="${li.toFixed(1)}" y1="${y}" x2="${li.toFixed(1)}" y2="${y + 17}"></line>` +
        `<rect class="bar hic ${hic > limits.hic15_7d ? 'over' : ''}" x="${labelW + barW + 20}" y="${y + 2}" width="${wh.toFixed(1)}" height="13"><title>largest HIC15 in 7 days ${fixed(hic, 0)}</title></rect>` +
        `<text class="value" x="${(labelW + barW + 23 + wh).toFixed(1)}" y="${y + 12}">${fixed(hic, 0)}</text>` +
        `<line class="limit" x1="${lh.toFixed(1)}" y1="${y}" x2="${lh.toFixed(1)}" y2="${y + 17}"></line>` +
        `</g>`,
    );
  });
  const height = 22 + shoot.people.length * rowH;
  return svg(
    `<svg class="report-bars" viewBox="0 0 ${width} ${height}" role="img" data-wearers="${shoot.people.length}">` +
      `<title>Rolling 7-day head impacts and largest HIC15 per wearer against the limits</title>` +
      `<text class="label" x="${labelW}" y="10">impacts, 7 d (limit ${limits.impacts_7d})</text>` +
      `<text class="label" x="${labelW + barW + 20}" y="10">HIC15, 7 d (limit ${limits.hic15_7d})</text>` +
      rows.join('') +
      `</svg>`,
  );
}

function impactTable(impacts, label, takeName) {
  if (!impacts.length) return el('p', { class: 'muted' }, 'No head impacts over the threshold.');
  return el(
    'table',
    { class: 'report-table impacts' },
    el('thead', {}, el('tr', {}, el('th', {}, 'timecode'), el('th', {}, 'take'), el('th', {}, 'wearer'), el('th', {}, 'g'), el('th', {}, 'HIC15'))),
    el(
      'tbody',
      {},
      impacts.map((i) =>
        el('tr', {}, el('td', {}, label(i.onset_ns)), el('td', {}, takeName.get(i.take) || ''), el('td', {}, i.wearer || i.rig), el('td', {}, fixed(i.peak, 1)), el('td', {}, fixed(i.hic15, 0))),
      ),
    ),
  );
}

function takeTable(takes, cells) {
  const impactsOf = new Map();
  for (const c of cells) impactsOf.set(c.take_id, (impactsOf.get(c.take_id) || 0) + (c.impacts || 0));
  return el(
    'table',
    { class: 'report-table takes' },
    el('thead', {}, el('tr', {}, el('th', {}, 'take'), el('th', {}, 'in – out'), el('th', {}, 'mark'), el('th', {}, 'who wore what'), el('th', {}, 'impacts'))),
    el(
      'tbody',
      {},
      takes.map((t) =>
        el(
          'tr',
          { dataset: { take: t.id } },
          el('td', {}, t.name),
          el('td', {}, `${t.start_tc || ''} – ${t.end_tc || ''}`),
          el('td', {}, t.mark || ''),
          el('td', { class: 'wearers' }, (t.wearers || []).filter((w) => w.from_ns === t.start_ns || !t.start_ns).map((w) => `${w.rig}: ${w.person}`).join(', ')),
          el('td', { class: impactsOf.get(t.id) ? 'over' : '' }, impactsOf.get(t.id) || 0),
        ),
      ),
    ),
  );
}

async function start() {
  const me = await session();
  if (me.rights === 'none') {
    tokenPrompt(document.getElementById('main'), me.problem);
    return;
  }
  const date = /^\d{4}-\d{2}-\d{2}$/.test(params.get('date') || '') ? params.get('date') : today();
  document.getElementById('day').textContent = date;
  document.title = `rigtel · daily report ${date}`;
  const input = document.getElementById('date');
  input.value = date;
  input.addEventListener('change', () => input.value && location.assign(`/report.html?date=${input.value}`));
  document.getElementById('back').href = `/review.html?date=${date}`;
  document.getElementById('print').addEventListener('click', () => window.print());
  try {
    const [takes, matrix, shoot] = await Promise.all([
      getJson(`/api/days/${date}/takes`),
      getJson(`/api/days/${date}/matrix`),
      getJson(shootQuery({ from: date, to: date, impactLimit: params.get('impact_limit'), hicLimit: params.get('hic_limit') })),
    ]);
    // Impact events only for the takes whose summaries counted some: a handful of requests.
    const withImpacts = [...new Set(matrix.cells.filter((c) => c.impacts > 0).map((c) => c.take_id))];
    const events = await Promise.all(withImpacts.map((id) => getJson(`/api/takes/${encodeURIComponent(id)}/events`).then((list) => list.filter((e) => e.type === 'impact').map((e) => ({ ...e, take: id })))));
    const impacts = events.flat().sort((a, b) => a.onset_ns - b.onset_ns);
    const first = takes.find((t) => t.start_ns && t.start_tc);
    const label = first ? labeller(first.start_tc, first.start_ns, first.rate || '25') : () => '';
    const takeName = new Map(takes.map((t) => [t.id, t.name]));
    // Who wore the rig when the take rolled, as the exposure counts it.
    const wornBy = new Map();
    for (const t of takes) for (const w of t.wearers || []) if (w.from_ns === t.start_ns) wornBy.set(`${t.id}\u0000${w.rig}`, w.person);
    for (const i of impacts) i.wearer = i.wearer || wornBy.get(`${i.take}\u0000${i.rig}`) || i.rig;
    document.getElementById('headline').textContent =
      `${takes.length} takes · ${matrix.people.length} wearers · ${impacts.length} head impact${impacts.length === 1 ? "" : "s"} over the threshold · limits ${shoot.limits.impacts_7d} impacts, HIC15 ${shoot.limits.hic15_7d} in 7 days`;
    document.getElementById('timeline').replaceChildren(timeline(takes, impacts, label));
    document.getElementById('bars').replaceChildren(bars(shoot, date));
    document.getElementById('impacts').replaceChildren(impactTable(impacts, label, takeName));
    document.getElementById('takes').replaceChildren(takeTable(takes, matrix.cells));
    const notes = takes.filter((t) => t.notes).map((t) => el('li', {}, el('b', {}, t.name), ' ', t.notes));
    document.getElementById('notes').replaceChildren(notes.length ? el('ul', {}, notes) : el('p', { class: 'muted' }, 'No notes on the slate.'));
    document.body.dataset.ready = 'true';
  } catch (error) {
    showError(document.getElementById('headline'), error);
    document.body.dataset.ready = 'error';
  }
}

start();
