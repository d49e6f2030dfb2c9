// province.js — the province view: a saved provincial plan's counties
// (GET /provinces, collection province-{id}.allocation) coloured by the
// marginal value of a mu of new-land quota, where one more mu is worth
// most; a click on a county opens its plan, an ordinary scenario.
import { Fill, Stroke, Style, Text } from 'ol/style.js';
import * as api from './api.js';
import { h, num } from './details.js';

/** provinces lists the saved provincial plans (id, name, solved, …). */
export async function provinces() {
  const d = await api.getJSON('provinces');
  return (d && d.provinces) || [];
}

/** allocation reads plan id's allocation: one feature per county. */
export function allocation(id) {
  return api.getJSON('collections/' + encodeURIComponent('province-' + id + '.allocation') + '/items?limit=1000');
}

// The colour ramp of marginal values: pale yellow (a mu is worth least
// there) to deep red (worth most).
const ramp = [[255, 255, 204], [254, 217, 118], [253, 141, 60], [227, 26, 28], [128, 0, 38]];

/** marginalColor is value v's colour between lo and hi (rgb()). */
export function marginalColor(v, lo, hi) {
  const t = hi > lo ? Math.min(1, Math.max(0, (v - lo) / (hi - lo))) : 0.5;
  const x = t * (ramp.length - 1);
  const i = Math.min(ramp.length - 2, Math.floor(x));
  const f = x - i;
  const c = ramp[i].map((a, k) => Math.round(a + f * (ramp[i + 1][k] - a)));
  return `rgb(${c[0]}, ${c[1]}, ${c[2]})`;
}

/** colour sets each county feature's '_colour' from its marginal value; returns [lo, hi]. */
export function colour(features) {
  const vals = features.map((f) => Number(f.get('marginal_value')) || 0);
  const lo = Math.min(...vals);
  const hi = Math.max(...vals);
  for (const f of features) f.set('_colour', marginalColor(Number(f.get('marginal_value')) || 0, lo, hi), true);
  return [lo, hi];
}

const labelFont = '"Noto Sans CJK SC", "Noto Sans", sans-serif';

/** countyStyle fills a county with its colour and names it. */
export function countyStyle(feature) {
  const p = feature.getProperties();
  return new Style({
    fill: new Fill({ color: (p._colour || 'rgb(200, 200, 200)').replace('rgb(', 'rgba(').replace(')', ', 0.75)') }),
    stroke: new Stroke({ color: p._selected ? '#000' : '#555', width: p._selected ? 3 : 1.5 }),
    text: new Text({ text: p.name_zh || p.county || '', font: '12px ' + labelFont, fill: new Fill({ color: '#222' }),
      stroke: new Stroke({ color: '#fff', width: 3 }), overflow: true }),
  });
}

/** legend shows the ramp from lo to hi. */
export function legend(lo, hi) {
  const steps = [0, 0.25, 0.5, 0.75, 1].map((t) => lo + t * (hi - lo));
  return h('div', {}, h('b', {}, 'marginal value of a mu '),
    ...steps.map((v) => h('span', { class: 'sw' }, h('i', { style: `background:${marginalColor(v, lo, hi)}` }), num(v, 3))));
}

/** years returns the years of a county's flattened figures (allocated_mu_2021 …), sorted. */
export function years(p) {
  return Object.keys(p).map((k) => k.match(/^allocated_mu_(\d{4})$/)).filter(Boolean).map((m) => m[1]).sort();
}

/** countyDetails describes one county's allocation, year by year. */
export function countyDetails(p) {
  const row = (y) => h('tr', {}, h('td', {}, y), ...['request_mu', 'allocated_mu', 'used_mu', 'marginal_value', 'release_value']
    .map((k) => h('td', {}, num(p[k + '_' + y], 2))));
  return h('div', { class: 'county' },
    h('h3', {}, `${p.name_zh || p.county} ${p.name_en ? '· ' + p.name_en : ''}`),
    h('p', {}, `${p.prefecture || ''} · plan ${p.scenario_id || '— none —'} · marginal value ${num(p.marginal_value, 3)} per mu`),
    h('table', {}, h('thead', {}, h('tr', {}, ...['year', 'request mu', 'allocated mu', 'used mu', 'marginal', 'release'].map((x) => h('th', {}, x)))),
      h('tbody', {}, ...years(p).map(row))));
}
