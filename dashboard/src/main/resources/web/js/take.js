// The take page: every rig's acceleration and angular rate through a take, aligned on timecode,
// with its motion events; zoom re-queries the collector (raw samples when zoomed in); a second
// take of the same shot side by side; downloads.
import { decorateHeader, el, fixed, getJson, session, showError, tokenPrompt } from './common.js';
import { takeChart } from './charts.js';
import { labeller } from './timecode.js';

const MAX_POINTS = 1500;
const columns = [];

function resultant(x, y, z) {
  return Math.sqrt(x * x + y * y + z * z);
}

/** uPlot data from a series answer: raw samples, or per-bucket peaks and RMS. */
function chartData(series) {
  const xs = series.t_ns.map((t) => t / 1e9);
  if (series.resolution === 'raw') {
    const g = series.accel_g || series.ax_mps2.map((ax, i) => resultant(ax, series.ay_mps2[i], series.az_mps2[i]) / 9.80665);
    const dps = series.gx_dps.map((gx, i) => resultant(gx, series.gy_dps[i], series.gz_dps[i]));
    return { rollup: false, data: [xs, g, dps] };
  }
  return {
    rollup: true,
    data: [xs, series.accel_peak_g, series.accel_rms_g, series.gyro_peak_dps, series.gyro_rms_dps],
  };
}

function resolutionText(series) {
  if (series.resolution === 'raw') return 'raw samples';
  return `${series.resolution} ${series.bucket_ms ? `${series.bucket_ms} ms` : ''}`.trim();
}

function eventLabel(e) {
  if (e.type === 'impact') return `${fixed(e.peak ?? e.peak_g, 1)} g`;
  if (e.type === 'head-turn' || e.type === 'whip-pan') return `${e.direction === 'left' ? '←' : '→'} ${fixed(e.angle_deg, 0)}°`;
  return e.type;
}

/** The traces of one rig: its own board's, and beside it its camera's where a clip was imported. */
function tracesOf(rig, clips) {
  if (!clips.some((c) => c.rig === rig)) return [{ rig, source: null, key: rig }];
  return [
    { rig, source: 'rig', key: `${rig}|rig` },
    { rig, source: 'gopro', key: `${rig}|gopro` },
  ];
}

class TakeColumn {
  constructor(take, events, clips, container, syncKey) {
    this.take = take;
    this.events = events;
    this.clips = clips;
    this.syncKey = syncKey;
    this.label = labeller(take.start_tc, take.start_ns, take.rate || '25');
    this.from = take.start_ns;
    this.to = take.end_ns || Date.now() * 1e6;
    this.rigs = Object.keys(take.rigs || {}).sort();
    this.charts = new Map();
    this.node = el('section', { class: 'take-column', dataset: { take: take.id } });
    container.append(this.node);
  }

  header() {
    const t = this.take;
    const id = encodeURIComponent(t.id);
    const downloads = [
      ['summary CSV', `/api/takes/${id}/summary.csv`, `${t.name}-summary.csv`],
      ...this.rigs.map((rig) => [`${rig} samples CSV`, `/api/takes/${id}/samples.csv?rig=${encodeURIComponent(rig)}`, `${t.name}-${rig}.csv`]),
      ['cuts EDL (CMX3600)', `/api/takes/${id}/cuts.edl`, `${t.name}-cuts.edl`],
      ['Resolve markers EDL', `/api/takes/${id}/cuts.resolve.edl`, `${t.name}-markers.edl`],
      ['FCPXML markers', `/api/takes/${id}/cuts.fcpxml`, `${t.name}-markers.fcpxml`],
      ['Avid locators', `/api/takes/${id}/cuts.txt`, `${t.name}-locators.txt`],
    ];
    return [
      el('h2', {}, t.name, t.mark ? ` · ${t.mark}` : ''),
      el(
        'div',
        { class: 'facts' },
        `${t.date} · ${t.start_tc}–${t.end_tc || 'rolling'} @ ${t.rate} fps · ${this.rigs.length} rigs`,
        t.closed_by_next_roll ? ' · closed by the next roll' : '',
      ),
      el(
        'div',
        { class: 'downloads' },
        downloads.map(([text, href, name]) => el('a', { href, download: name, dataset: { download: text } }, text)),
      ),
    ];
  }

  render() {
    const events = el(
      'ul',
      { class: 'events-list' },
      this.events.map((e) =>
        el('li', { class: e.type }, `${this.label(e.onset_ns)} ${e.rig}${e.wearer ? ` (${e.wearer})` : ''}: ${e.type} ${eventLabel(e)}`),
      ),
    );
    this.node.replaceChildren(...this.header(), el('details', {}, el('summary', {}, `${this.events.length} motion events`), events));
    if (this.clips.length) this.node.append(this.clipList());
    for (const rig of this.rigs) {
      const info = this.take.rigs[rig];
      const wearers = (info.wearers || []).map((w) => w.person).filter(Boolean).join(', ');
      const traces = tracesOf(rig, this.clips);
      const row = el('div', { class: traces.length > 1 ? 'trace-pair' : 'trace-single' });
      this.node.append(row);
      for (const trace of traces) {
        const resolution = el('span', { class: 'resolution' }, '');
        const chartBox = el('div', { class: 'chart' });
        const from = trace.source === 'gopro' ? ' · camera' : trace.source === 'rig' ? ' · rig' : '';
        const dataset = trace.source ? { rig, source: trace.source } : { rig };
        const box = el('div', { class: 'rig-trace', dataset }, el('h3', {}, rig, from, wearers ? ` · ${wearers}` : '', resolution), chartBox);
        row.append(box);
        const markers = this.events
          .filter((e) => e.rig === rig && (!trace.source || (e.source || 'rig') === trace.source))
          .map((e) => ({ t: e.onset_ns / 1e9, type: e.type, label: eventLabel(e) }));
        this.charts.set(trace.key, { trace, box, chartBox, resolution, markers, chart: null, rollup: null });
      }
    }
  }

  /** The camera clips imported onto the take's rigs. */
  clipList() {
    const rows = this.clips.map((c) =>
      el(
        'tr',
        { dataset: { clip: c.clip } },
        el('td', {}, c.clip_name || c.clip),
        el('td', {}, c.camera_model || '–'),
        el('td', {}, c.camera_serial || '–'),
        el('td', {}, c.rig, c.wearer ? ` (${c.wearer})` : ''),
        el('td', {}, c.timecode || '–'),
        el('td', {}, String(c.samples)),
      ),
    );
    return el(
      'table',
      { class: 'clips', id: 'clips' },
      el('caption', {}, `${this.clips.length} imported camera clips`),
      el('thead', {}, el('tr', {}, ...['clip', 'camera', 'serial', 'rig', 'timecode', 'samples'].map((h) => el('th', {}, h)))),
      el('tbody', {}, ...rows),
    );
  }

  async load(fromNs, toNs) {
    await Promise.all(
      [...this.charts.values()].map(async (entry) => {
        const { rig, source } = entry.trace;
        const sourceParam = source ? `&source=${source}` : '';
        const query = `rig=${encodeURIComponent(rig)}${sourceParam}&from_ns=${Math.round(fromNs)}&to_ns=${Math.round(toNs)}&max_points=${MAX_POINTS}`;
        try {
          const series = await getJson(`/api/takes/${encodeURIComponent(this.take.id)}/series?${query}`);
          const { rollup, data } = chartData(series);
          if (!entry.chart || entry.rollup !== rollup) {
            entry.chartBox.replaceChildren();
            entry.chart = takeChart(entry.chartBox, {
              markers: entry.markers,
              label: (s) => this.label(s * 1e9),
              syncKey: this.syncKey,
              rollup,
              onZoom: (min, max) => this.zoom(min * 1e9, max * 1e9),
            });
            entry.rollup = rollup;
          }
          entry.chart.setData(data, false);
          entry.chart.setScale('x', { min: fromNs / 1e9, max: toNs / 1e9 });
          entry.resolution.textContent = resolutionText(series);
          entry.box.dataset.resolution = series.resolution;
          entry.box.dataset.points = String(series.t_ns.length);
        } catch (error) {
          showError(entry.chartBox, error);
          entry.box.dataset.error = error.message;
        }
      }),
    );
  }

  zoom(fromNs, toNs) {
    this.load(fromNs, toNs);
  }

  reset() {
    this.load(this.from, this.to);
  }
}

async function loadTake(id, container, syncKey) {
  const [take, events, clips] = await Promise.all([
    getJson(`/api/takes/${encodeURIComponent(id)}`),
    getJson(`/api/takes/${encodeURIComponent(id)}/events`).catch(() => []),
    getJson(`/api/takes/${encodeURIComponent(id)}/clips`)
      .then((answer) => answer.clips || [])
      .catch(() => []),
  ]);
  const column = new TakeColumn(take, events, clips, container, syncKey);
  column.render();
  columns.push(column);
  return column;
}

async function fillCompare(primary, compareId) {
  const select = document.getElementById('compare');
  try {
    const day = await getJson(`/api/days/${primary.take.date}/takes`);
    const same = day.filter((t) => t.id !== primary.take.id && t.scene === primary.take.scene && t.shot === primary.take.shot);
    for (const t of same) select.append(el('option', { value: t.id, selected: t.id === compareId }, `${t.name} ${t.start_tc}${t.mark ? ` (${t.mark})` : ''}`));
  } catch (error) {
    // No day listing: comparing is still possible with &compare= in the address.
  }
  select.addEventListener('change', () => {
    const url = new URL(location.href);
    if (select.value) url.searchParams.set('compare', select.value);
    else url.searchParams.delete('compare');
    location.assign(url.toString());
  });
}

async function start() {
  const me = await session();
  decorateHeader(me);
  const main = document.getElementById('main');
  if (me.rights === 'none') {
    tokenPrompt(main, me.problem);
    return;
  }
  const params = new URLSearchParams(location.search);
  const id = params.get('id');
  const container = document.getElementById('columns');
  if (!id) {
    showError(container, new Error('no take: open a take from the review page (take.html?id=...)'));
    return;
  }
  const compareId = params.get('compare');
  if (compareId) container.classList.add('two');
  let primary;
  try {
    primary = await loadTake(id, container, 'take-a');
    document.title = `rigtel · ${primary.take.name}`;
  } catch (error) {
    showError(container, error);
    return;
  }
  if (compareId) {
    try {
      await loadTake(compareId, container, 'take-b');
    } catch (error) {
      container.append(el('p', { class: 'error' }, `compare: ${error.message}`));
    }
  }
  document.body.dataset.ready = 'true';
  fillCompare(primary, compareId);
  document.getElementById('reset-zoom').addEventListener('click', () => columns.forEach((c) => c.reset()));
  await Promise.all(columns.map((c) => c.load(c.from, c.to)));
  document.body.dataset.traces = 'true';
}

start();
