// uPlot (vendored, global `uPlot`) charts of resultant acceleration and angular rate, with motion
// events drawn as vertical markers.

const MARK_COLOURS = { impact: '#ff4d4f', 'head-turn': '#4aa3ff', 'whip-pan': '#c47aff', dropout: '#f2b134', clipping: '#f2b134' };
const AXIS = { stroke: '#9aa7b4', grid: { stroke: 'rgba(255,255,255,0.07)' }, ticks: { stroke: 'rgba(255,255,255,0.15)' } };

/**
 * Draws markers[] ({t: seconds, type, label}) as vertical lines. `source()` returns the array, so
 * the caller can keep adding to it.
 */
export function markerPlugin(source) {
  return {
    hooks: {
      draw: [
        (u) => {
          const { ctx } = u;
          const { left, top, width, height } = u.bbox;
          const [min, max] = [u.scales.x.min, u.scales.x.max];
          ctx.save();
          ctx.font = `${Math.round(11 * devicePixelRatio)}px system-ui, sans-serif`;
          // Labels only where they do not overlap the previous one; every marker keeps its line.
          let labelEnd = -Infinity;
          for (const mark of source()) {
            if (mark.t < min || mark.t > max) continue;
            const x = Math.round(u.valToPos(mark.t, 'x', true));
            ctx.strokeStyle = MARK_COLOURS[mark.type] || '#ffffff';
            ctx.lineWidth = (mark.type === 'impact' ? 3 : 2) * devicePixelRatio;
            ctx.setLineDash(mark.type === 'impact' ? [] : [6 * devicePixelRatio, 4 * devicePixelRatio]);
            ctx.beginPath();
            ctx.moveTo(x, top);
            ctx.lineTo(x, top + height);
            ctx.stroke();
            if (mark.label && x > labelEnd) {
              const at = Math.min(x + 3 * devicePixelRatio, left + width - 40 * devicePixelRatio);
              ctx.fillStyle = ctx.strokeStyle;
              ctx.fillText(mark.label, at, top + 12 * devicePixelRatio);
              labelEnd = at + ctx.measureText(mark.label).width + 4 * devicePixelRatio;
            }
          }
          ctx.restore();
        },
      ],
    },
  };
}

/** The live chart of one rig: the last `windowSeconds` of resultant g (left) and yaw rate (right). */
export function liveChart(container, markers, windowSeconds) {
  const options = {
    width: Math.max(200, container.clientWidth),
    height: 160,
    legend: { show: false },
    cursor: { show: false },
    scales: {
      x: { time: true, range: (u, min, max) => [max - windowSeconds, max] },
      g: { range: (u, min, max) => [0, Math.max(2, Math.ceil(max || 0))] },
      dps: { range: (u, min, max) => { const m = Math.max(60, Math.abs(min || 0), Math.abs(max || 0)); return [-m, m]; } },
    },
    axes: [
      {
        ...AXIS,
        size: 28,
        // Ticks every 10 s back from the newest sample, labelled as seconds ago.
        splits: (u) => [60, 50, 40, 30, 20, 10, 0].filter((d) => d <= windowSeconds).map((d) => u.scales.x.max - d),
        values: (u, ticks) => ticks.map((t) => `${Math.round(t - u.scales.x.max)} s`),
      },
      { ...AXIS, scale: 'g', size: 40, values: (u, ticks) => ticks.map((t) => `${t} g`) },
      { ...AXIS, scale: 'dps', side: 1, size: 48, grid: { show: false }, values: (u, ticks) => ticks.map((t) => `${t}°/s`) },
    ],
    series: [
      {},
      { label: 'acceleration', scale: 'g', stroke: '#ffd166', width: 1.5, points: { show: false } },
      { label: 'yaw rate', scale: 'dps', stroke: '#4aa3ff', width: 1.5, points: { show: false } },
    ],
    plugins: [markerPlugin(() => markers)],
  };
  // eslint-disable-next-line no-undef
  const chart = new uPlot(options, [[], [], []], container);
  new ResizeObserver(() => chart.setSize({ width: Math.max(200, container.clientWidth), height: 160 })).observe(container);
  return chart;
}

/**
 * A take chart: acceleration (g) and angular rate (deg/s) of one rig against time, x labelled by
 * `label(seconds)`, synced with the other charts of the same `syncKey`, and `onZoom(minS, maxS)`
 * when the user drags a range.
 */
export function takeChart(container, { markers, label, syncKey, onZoom, rollup }) {
  const series = rollup
    ? [
        {},
        { label: 'peak g', scale: 'g', stroke: '#ffd166', width: 1.5 },
        { label: 'rms g', scale: 'g', stroke: 'rgba(255,209,102,0.45)', width: 1 },
        { label: 'peak °/s', scale: 'dps', stroke: '#4aa3ff', width: 1.5 },
        { label: 'rms °/s', scale: 'dps', stroke: 'rgba(74,163,255,0.45)', width: 1 },
      ]
    : [
        {},
        { label: 'resultant g', scale: 'g', stroke: '#ffd166', width: 1.2 },
        { label: 'angular rate °/s', scale: 'dps', stroke: '#4aa3ff', width: 1.2 },
      ];
  const options = {
    width: Math.max(300, container.clientWidth),
    height: 220,
    cursor: { sync: { key: syncKey }, drag: { x: true, y: false, setScale: false } },
    select: { show: true },
    scales: { x: { time: false }, g: { range: (u, min, max) => [0, Math.max(2, Math.ceil(max || 0))] }, dps: {} },
    axes: [
      { ...AXIS, size: 34, space: 110, values: (u, ticks) => ticks.map((t) => label(t)) },
      { ...AXIS, scale: 'g', size: 44, values: (u, ticks) => ticks.map((t) => `${t} g`) },
      { ...AXIS, scale: 'dps', side: 1, size: 54, grid: { show: false }, values: (u, ticks) => ticks.map((t) => `${t}°/s`) },
    ],
    series: series.map((s, i) => (i === 0 ? { value: (u, v) => (v == null ? '' : label(v)) } : { ...s, points: { show: false } })),
    hooks: {
      setSelect: [
        (u) => {
          if (u.select.width < 4) return;
          const min = u.posToVal(u.select.left, 'x');
          const max = u.posToVal(u.select.left + u.select.width, 'x');
          u.setSelect({ left: 0, top: 0, width: 0, height: 0 }, false);
          onZoom(min, max);
        },
      ],
    },
    plugins: [markerPlugin(() => markers)],
  };
  // eslint-disable-next-line no-undef
  const chart = new uPlot(options, series.map(() => []), container);
  new ResizeObserver(() => chart.setSize({ width: Math.max(300, container.clientWidth), height: 220 })).observe(container);
  return chart;
}
