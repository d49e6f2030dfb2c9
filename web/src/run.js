// run.js — "run a new scenario" from the page: edit the main rules of a
// scenario (parks by year, new-land cap, share thresholds, weights), create
// it with the planner token, run it and follow its progress live (SSE).
import { h } from './details.js';
import * as api from './api.js';

/** ruleFields: the rules the form edits, as [path in the scenario, label, step]. */
export const ruleFields = [
  ['target_parks', 'target parks', 1],
  ['target_year', 'by year', 1],
  ['max_new_land_parks', 'max parks on new land (−1: no cap)', 1],
  ['specialty_share_firms', 'specialty share of firms ≥', 0.05],
  ['specialty_share_floor', 'specialty share of floor ≥', 0.05],
  ['small_micro_share', 'small/micro share of firms ≥', 0.05],
  ['quota_scale', 'quota scale ×', 0.1],
  ['weights.floor_m2', 'weight: floor m² housed', 'any'],
  ['weights.firms', 'weight: firms housed', 'any'],
  ['weights.output', 'weight: output', 'any'],
  ['weights.land_mu', 'weight: land mu (−)', 'any'],
  ['weights.distance_km', 'weight: firm-km moved (−)', 'any'],
  ['weights.cost', 'weight: cost (−)', 'any'],
];

/** seedRules are the seed's rules, used when no scenario is at hand to copy from. */
const seedRules = {
  target_parks: 20, target_year: 2020, max_new_land_parks: 6,
  specialty_share_firms: 0.7, specialty_share_floor: 0.7, small_micro_share: 0.7, quota_scale: 1,
  every_town: true,
};

function getPath(o, path) {
  return path.split('.').reduce((x, k) => (x == null ? undefined : x[k]), o);
}

function setPath(o, path, v) {
  const ks = path.split('.');
  let x = o;
  for (const k of ks.slice(0, -1)) x = x[k] = x[k] && typeof x[k] === 'object' ? x[k] : {};
  x[ks[ks.length - 1]] = v;
}

/**
 * runPanel builds the form. base() returns the scenario to start from (the
 * one shown as A); onDone(id) is called when the new scenario's plan is
 * saved; onToken() when the token changes (the scenarios it may read change).
 */
export function runPanel(base, onDone, report, onToken) {
  const tokenInput = h('input', { type: 'password', id: 'token', placeholder: 'planner token', autocomplete: 'off' });
  tokenInput.value = api.token();
  tokenInput.addEventListener('change', () => {
    api.setToken(tokenInput.value.trim());
    if (onToken) onToken();
  });
  const name = h('input', { type: 'text', id: 'run-name', placeholder: 'scenario name' });
  const inputs = new Map();
  const grid = h('div', { class: 'rules-grid' });
  for (const [path, label, step] of ruleFields) {
    const inp = h('input', { type: 'number', step, 'data-rule': path });
    inputs.set(path, inp);
    grid.appendChild(h('label', {}, h('span', {}, label), inp));
  }
  const status = h('div', { class: 'run-status', id: 'run-status' });
  const bar = h('progress', { id: 'run-progress', max: 1, value: 0 });
  const button = h('button', { type: 'submit', id: 'run-button' }, 'Create and run');
  const form = h('form', { id: 'run-form' },
    h('label', {}, h('span', {}, 'planner token'), tokenInput),
    h('label', {}, h('span', {}, 'name'), name),
    grid, button, bar, status);

  function fill() {
    const sc = base() || seedRules;
    for (const [path, inp] of inputs) {
      const v = getPath(sc, path) ?? getPath(seedRules, path);
      inp.value = v === undefined ? '' : String(v);
    }
    const stamp = new Date().toISOString().slice(11, 19).replace(/:/g, '');
    name.value = ((sc.name || 'scenario').replace(/-v\d{6}$/, '') + '-v' + stamp).slice(0, 60);
  }

  let running = null;
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    if (running) return;
    api.setToken(tokenInput.value.trim());
    const sc = JSON.parse(JSON.stringify(base() || seedRules));
    delete sc.id;
    sc.name = name.value.trim();
    for (const [path, inp] of inputs) if (inp.value !== '') setPath(sc, path, Number(inp.value));
    button.disabled = true;
    status.textContent = 'creating…';
    bar.removeAttribute('value');
    running = new AbortController();
    try {
      // POST /scenarios saves the scenario and queues its first run (202).
      const created = await api.send('POST', 'scenarios', sc);
      const id = created.id;
      status.textContent = `created ${id}; ${created.status || 'queued'}…`;
      report({ id, type: 'created', data: { status: created.status } });
      let final = null;
      await api.events(id, (type, data) => {
        const d = data && typeof data === 'object' ? data : {};
        if (type === 'status' || type === 'end') {
          status.textContent = `${id}: ${d.status}${d.queue_position ? ' (queue position ' + d.queue_position + ')' : ''}${d.error ? ' — ' + d.error : ''}`;
        } else if (type === 'progress') {
          const parts = [id + ': running'];
          if (typeof d.incumbent === 'number') parts.push('incumbent ' + d.incumbent.toFixed(1));
          if (typeof d.bound === 'number') parts.push('bound ' + d.bound.toFixed(1));
          if (typeof d.gap === 'number') {
            parts.push('gap ' + (d.gap * 100).toFixed(2) + ' %');
            bar.max = 1;
            bar.value = Math.max(0, 1 - Math.min(1, d.gap));
          }
          if (typeof d.nodes === 'number') parts.push(d.nodes + ' nodes');
          if (typeof d.elapsed_s === 'number') parts.push(d.elapsed_s.toFixed(1) + ' s');
          status.textContent = parts.join(' · ');
        }
        report({ id, type, data: d });
        if (type === 'end') {
          final = d.status;
          return false;
        }
        return true;
      }, running.signal);
      if (!final) {
        const s = await api.getJSON('scenarios/' + encodeURIComponent(id));
        final = s.status;
      }
      bar.value = 1;
      bar.max = 1;
      if (final === 'done') {
        status.textContent = `${id}: done`;
        await onDone(id);
      } else {
        const s = await api.getJSON('scenarios/' + encodeURIComponent(id)).catch(() => ({}));
        status.textContent = `${id}: ${final}${s.error ? ' — ' + s.error : ''}`;
      }
    } catch (e) {
      status.textContent = 'failed: ' + e.message;
      status.classList.add('error');
      report({ error: e.message });
    } finally {
      button.disabled = false;
      running = null;
    }
  });
  return { el: form, fill };
}
