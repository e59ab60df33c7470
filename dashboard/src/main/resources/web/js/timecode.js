// SMPTE ST 12-1 timecode labels for display: frame numbers, drop-frame counting (DOMAIN.md 1).
// Times are UTC nanoseconds on the production timeline; a label is placed relative to a known
// (label, nanoseconds) pair such as a take's start_tc and start_ns.

const RATES = {
  '23.976': { num: 24000, den: 1001, base: 24 },
  '24': { num: 24, den: 1, base: 24 },
  '25': { num: 25, den: 1, base: 25 },
  '29.97': { num: 30000, den: 1001, base: 30 },
  '30': { num: 30, den: 1, base: 30 },
  '48': { num: 48, den: 1, base: 48 },
  '50': { num: 50, den: 1, base: 50 },
  '59.94': { num: 60000, den: 1001, base: 60 },
  '60': { num: 60, den: 1, base: 60 },
};

export function rateOf(label) {
  return RATES[String(label)] || RATES['25'];
}

/** Labels dropped per minute: 2 at 29.97 DF, 4 at 59.94 DF, 0 otherwise. */
function dropped(rate, df) {
  if (!df) return 0;
  return rate.base === 30 ? 2 : rate.base === 60 ? 4 : 0;
}

/** Frame number of a label "hh:mm:ss:ff" (";" before ff for drop-frame). */
export function frameOf(label, rateLabel) {
  const rate = rateOf(rateLabel);
  const df = label.includes(';');
  const [hh, mm, ss, ff] = label.split(/[:;]/).map(Number);
  const d = dropped(rate, df);
  const minutes = 60 * hh + mm;
  return (3600 * hh + 60 * mm + ss) * rate.base + ff - d * (minutes - Math.floor(minutes / 10));
}

/** The label of a frame number; drop-frame labels as FFmpeg's libavutil/timecode.c makes them. */
export function labelOf(frame, rateLabel, df) {
  const rate = rateOf(rateLabel);
  const d = dropped(rate, df);
  const perDay = framesPerDay(rate, d);
  let n = ((frame % perDay) + perDay) % perDay;
  if (d > 0) {
    const f10 = rate.base * 600 - 9 * d;
    const f1 = f10 === 0 ? 0 : (rate.base * 60 - d);
    const tens = Math.floor(n / f10);
    const m = n % f10;
    n = n + 9 * d * tens + (m < d ? 0 : d * Math.floor((m - d) / f1));
  }
  const ff = n % rate.base;
  const totalSeconds = Math.floor(n / rate.base);
  const ss = totalSeconds % 60;
  const mm = Math.floor(totalSeconds / 60) % 60;
  const hh = Math.floor(totalSeconds / 3600) % 24;
  const two = (v) => String(v).padStart(2, '0');
  return `${two(hh)}:${two(mm)}:${two(ss)}${d > 0 ? ';' : ':'}${two(ff)}`;
}

function framesPerDay(rate, d) {
  return d > 0 ? (rate.base * 600 - 9 * d) * 6 * 24 : rate.base * 86400;
}

/**
 * A function from UTC nanoseconds (a Number is precise enough for display) to the label of the
 * frame then, given one known pair: the label of the frame starting at refNs.
 */
export function labeller(refLabel, refNs, rateLabel) {
  const rate = rateOf(rateLabel);
  const df = refLabel.includes(';');
  const refFrame = frameOf(refLabel, rateLabel);
  return (ns) => {
    const frames = Math.floor(((ns - refNs) * rate.num) / (rate.den * 1e9));
    return labelOf(refFrame + frames, rateLabel, df);
  };
}
