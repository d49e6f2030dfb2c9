// charts.js — two small hand-drawn SVG charts: parks open by year against
// the target (20 by 2020), and new-land quota used against quota available
// per town. No chart library: a few rectangles, lines and labels.

const ns = 'http://www.w3.org/2000/svg';

function el(name, attrs, text) {
  const e = document.createElementNS(ns, name);
  for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, String(v));
  if (text !== undefined) e.textContent = text;
  return e;
}

/** seriesColors: scenario A and scenario B in every chart and table. */
export const seriesColors = ['#2b6cb0', '#dd6b20'];

// niceMax rounds v up to 1, 2, 2.5 or 5 × a power of ten.
function niceMax(v) {
  if (v <= 0) return 1;
  const p = Math.pow(10, Math.floor(Math.log10(v)));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * p >= v) return m * p;
  return 10 * p;
}

// ticksFor gives the tick count that puts ticks on round values of [0, max]
// (max from niceMax): 4 for 2 × 10^k, else 5.
function ticksFor(max) {
  const m = Math.round(max / Math.pow(10, Math.floor(Math.log10(max))));
  return m === 2 ? 4 : 5;
}

function axisY(svg, x, y0, y1, max, ticks) {
  svg.appendChild(el('line', { x1: x, y1: y0, x2: x, y2: y1, stroke: '#999' }));
  for (let i = 0; i <= ticks; i++) {
    const v = (max * i) / ticks;
    const y = y0 - ((y0 - y1) * i) / ticks;
    svg.appendChild(el('line', { x1: x - 3, y1: y, x2: x, y2: y, stroke: '#999' }));
    svg.appendChild(el('text', { x: x - 5, y: y + 3, 'text-anchor': 'end', 'font-size': 10 }, fmtShort(v)));
  }
}

function fmtShort(v) {
  if (v >= 10000) return (v / 1000).toFixed(0) + 'k';
  if (v >= 1000) return (v / 1000).toFixed(1) + 'k';
  return Number.isInteger(v) ? String(v) : v.toFixed(1);
}

/**
 * parksByYearChart: series is [{name, byYear: Map(year → parks open that
 * year)}]; the chart shows cumulative parks open per year for each series,
 * with the target drawn as a dashed line reaching targetParks at targetYear.
 */
export function parksByYearChart(series, targetParks, targetYear, firstYear, lastYear) {
  const W = 360, H = 200, L = 36, R = 10, T = 14, B = 34;
  const svg = el('svg', { viewBox: `0 0 ${W} ${H}`, width: W, height: H, class: 'chart', 'data-chart': 'parks-by-year' });
  const years = new Set();
  for (const s of series) for (const y of s.byYear.keys()) years.add(y);
  if (targetYear) years.add(targetYear);
  if (lastYear) years.add(lastYear);
  const ys = [...years].filter((y) => y > 0).sort((a, b) => a - b);
  if (ys.length === 0) {
    svg.appendChild(el('text', { x: W / 2, y: H / 2, 'text-anchor': 'middle' }, 'no parks'));
    return svg;
  }
  const first = ys[0], last = ys[ys.length - 1];
  const span = [];
  for (let y = first; y <= last; y++) span.push(y);
  const cum = series.map((s) => {
    let c = 0;
    return span.map((y) => (c += s.byYear.get(y) || 0));
  });
  const max = niceMax(Math.max(targetParks || 0, ...cum.flat()));
  const x0 = L, x1 = W - R, y0 = H - B, y1 = T;
  const bw = (x1 - x0) / span.length;
  axisY(svg, x0, y0, y1, max, ticksFor(max));
  svg.appendChild(el('line', { x1: x0, y1: y0, x2: x1, y2: y0, stroke: '#999' }));
  const barW = (bw * 0.8) / Math.max(1, series.length);
  span.forEach((year, i) => {
    svg.appendChild(el('text', { x: x0 + bw * (i + 0.5), y: y0 + 14, 'text-anchor': 'middle', 'font-size': 10 }, (firstYear && year < firstYear ? '≤ ' : '') + year));
    series.forEach((s, k) => {
      const v = cum[k][i];
      const h = ((y0 - y1) * v) / max;
      const r = el('rect', {
        x: x0 + bw * i + bw * 0.1 + barW * k, y: y0 - h, width: Math.max(1, barW - 1), height: h,
        fill: seriesColors[k % seriesColors.length], 'data-year': year, 'data-value': v,
      });
      r.appendChild(el('title', {}, `${s.name}: ${v} parks open by ${year}`));
      svg.appendChild(r);
    });
  });
  if (targetParks && targetYear) {
    const ty = y0 - ((y0 - y1) * targetParks) / max;
    const idx = span.indexOf(targetYear);
    const tx = idx >= 0 ? x0 + bw * (idx + 1) : x1;
    svg.appendChild(el('line', { x1: x0, y1: ty, x2: tx, y2: ty, stroke: '#c53030', 'stroke-dasharray': '5 3', 'stroke-width': 1.5 }));
    svg.appendChild(el('text', { x: x0 + 4, y: ty - 4, 'font-size': 10, fill: '#c53030' }, `target: ${targetParks} by ${targetYear}`));
  }
  legend(svg, series.map((s) => s.name), H - 8, L);
  return svg;
}

function legend(svg, names, y, x) {
  let cx = x;
  names.forEach((n, k) => {
    svg.appendChild(el('rect', { x: cx, y: y - 8, width: 9, height: 9, fill: seriesColors[k % seriesColors.length] }));
    const label = n.length > 22 ? n.slice(0, 21) + '…' : n;
    svg.appendChild(el('text', { x: cx + 12, y: y, 'font-size': 10 }, label));
    cx += 24 + label.length * 6;
  });
}

/**
 * quotaChart: towns is [{code, name, available, used: [usedA, usedB?]}] in
 * mu summed over the horizon; draws available quota as a grey bar and each
 * scenario's new land used beside it.
 */
export function quotaChart(towns, names) {
  const rowH = 16, L = 78, R = 40, T = 6;
  const W = 360;
  const H = T + rowH * Math.max(1, towns.length) + 26;
  const svg = el('svg', { viewBox: `0 0 ${W} ${H}`, width: W, height: H, class: 'chart', 'data-chart': 'quota' });
  const max = niceMax(Math.max(1, ...towns.map((t) => Math.max(t.available, ...t.used))));
  const x0 = L, x1 = W - R;
  towns.forEach((t, i) => {
    const y = T + rowH * i;
    svg.appendChild(el('text', { x: L - 4, y: y + rowH - 5, 'text-anchor': 'end', 'font-size': 10 }, t.name));
    const wa = ((x1 - x0) * t.available) / max;
    const bg = el('rect', { x: x0, y: y + 1, width: wa, height: rowH - 3, fill: '#e2e2e2', stroke: '#aaa', 'data-town': t.code, 'data-available': t.available });
    bg.appendChild(el('title', {}, `${t.name}: ${t.available.toFixed(1)} mu quota available`));
    svg.appendChild(bg);
    const h = (rowH - 5) / Math.max(1, t.used.length);
    t.used.forEach((u, k) => {
      const w = ((x1 - x0) * u) / max;
      const r = el('rect', { x: x0, y: y + 2 + h * k, width: w, height: Math.max(1, h - 0.5), fill: seriesColors[k % seriesColors.length], 'data-town': t.code, 'data-used': u });
      r.appendChild(el('title', {}, `${t.name}, ${names[k] || ''}: ${u.toFixed(1)} mu new land used`));
      svg.appendChild(r);
    });
    const over = t.used.some((u) => u > t.available + 1e-6);
    svg.appendChild(el('text', { x: x0 + Math.max(wa, ...t.used.map((u) => ((x1 - x0) * u) / max)) + 3, y: y + rowH - 5, 'font-size': 9, fill: over ? '#c53030' : '#555' },
      t.used.map((u) => u.toFixed(0)).join('/') + ' of ' + t.available.toFixed(0)));
  });
  legend(svg, names, H - 6, L);
  return svg;
}
