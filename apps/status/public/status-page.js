// The pg2ddb status page: polls /api/status and draws it. Plain browser JavaScript, no build
// step and no library: the plots are a few SVG elements (see docs/status-page.md for why).
'use strict';

const REFRESH_MS = Number(new URLSearchParams(location.search).get('refresh') || 2000);
const HOUR_MS = 3600_000;
const $ = (selector) => document.querySelector(selector);

/** Builds an element: el('td', { class: 'x' }, 'text', child…). */
function el(tag, attributes = {}, ...children) {
  const svg = ['svg', 'polyline', 'line', 'text', 'rect', 'g', 'title', 'circle'].includes(tag);
  const node = svg ? document.createElementNS('http://www.w3.org/2000/svg', tag) : document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) if (value !== undefined) node.setAttribute(name, String(value));
  for (const child of children) node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  return node;
}

const fmt = (n) => (n === undefined || n === null || n < 0 ? '?' : Math.round(n).toLocaleString('en-US'));
function bytes(n) {
  if (n === null || n === undefined) return '?';
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = n;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) (value /= 1024), unit++;
  return `${value.toFixed(unit === 0 ? 0 : 1)} ${units[unit]}`;
}
function duration(ms) {
  if (ms === undefined || ms === null) return '-';
  const s = Math.round(ms / 1000);
  return s < 60 ? `${s}s` : s < 3600 ? `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s` : `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}
const time = (at) => new Date(at).toISOString().slice(11, 19);

/**
 * A line plot of the points of the last hour into an SVG: axes, scale labels, one polyline. The
 * time axis spans the data it has (a minute at least, an hour at most), so a young service's
 * first minutes are readable too.
 */
function plot(svg, points, format = fmt) {
  const width = 480, height = 160, left = 56, bottom = 18, top = 8;
  const now = Date.now();
  const shown = points.filter((point) => point.at >= now - HOUR_MS);
  const span = Math.min(HOUR_MS, Math.max(60_000, shown.length > 0 ? now - shown[0].at : 0));
  const max = Math.max(1, ...shown.map((point) => point.value));
  const x = (at) => left + ((at - (now - span)) / span) * (width - left - 4);
  const y = (value) => height - bottom - (value / max) * (height - bottom - top);
  svg.replaceChildren(
    el('line', { class: 'axis', x1: left, y1: height - bottom, x2: width, y2: height - bottom }),
    el('line', { class: 'axis', x1: left, y1: top, x2: left, y2: height - bottom }),
    el('text', { x: left - 4, y: top + 8, 'text-anchor': 'end' }, format(max)),
    el('text', { x: left - 4, y: height - bottom, 'text-anchor': 'end' }, '0'),
    el('text', { x: left, y: height - 4 }, `-${Math.round(span / 60_000)} min`),
    el('text', { x: width - 4, y: height - 4, 'text-anchor': 'end' }, 'now'),
    el('polyline', { class: 'line', points: shown.map((point) => `${x(point.at).toFixed(1)},${y(point.value).toFixed(1)}`).join(' ') }),
  );
  if (shown.length > 0) {
    const last = shown[shown.length - 1];
    svg.append(el('text', { x: width - 4, y: top + 8, 'text-anchor': 'end' }, `last ${format(last.value)}`));
  }
  svg.setAttribute('data-points', String(shown.length));
}

/** Findings per reconciliation run as stacked bars over the last 24 hours. */
function plotRuns(svg, runs) {
  const width = 960, height = 140, bottom = 18, top = 8;
  const now = Date.now();
  const span = 24 * HOUR_MS;
  const max = Math.max(1, ...runs.map((run) => run.missing + run.unexpected + run.mismatch));
  const children = [el('line', { class: 'axis', x1: 0, y1: height - bottom, x2: width, y2: height - bottom }), el('text', { x: 2, y: height - 4 }, '-24 h'), el('text', { x: width - 2, y: height - 4, 'text-anchor': 'end' }, 'now'), el('text', { x: 2, y: top + 8 }, `${max} finding(s)`)];
  for (const run of runs) {
    const at = new Date(run.startedAt).getTime();
    const x = ((at - (now - span)) / span) * (width - 8);
    let base = height - bottom;
    const findings = run.missing + run.unexpected + run.mismatch;
    if (findings === 0) {
      children.push(el('rect', { class: 'clean', x: x.toFixed(1), y: base - 3, width: 4, height: 3 }, el('title', {}, `${run.entity} ${run.mode}: clean`)));
      continue;
    }
    for (const kind of ['missing', 'unexpected', 'mismatch']) {
      const h = (run[kind] / max) * (height - bottom - top);
      if (h <= 0) continue;
      base -= h;
      children.push(el('rect', { class: kind, x: x.toFixed(1), y: base.toFixed(1), width: 4, height: h.toFixed(1) }, el('title', {}, `${run.entity} ${run.mode}: ${run[kind]} ${kind}`)));
    }
  }
  svg.replaceChildren(...children);
  svg.setAttribute('data-points', String(runs.length));
}

function renderConnector(connector) {
  const state = $('#connector-state');
  state.textContent = connector.state;
  state.className = `state ${connector.state}`;
  $('#connector-name').textContent = connector.name;
  $('#connector-tasks').textContent = connector.tasks.length ? `tasks: ${connector.tasks.join(', ')}` : 'no tasks';
  const trace = $('#connector-trace');
  const traces = connector.traces || [];
  trace.hidden = traces.length === 0;
  trace.textContent = traces.map((entry) => `${entry.part}:\n${entry.trace}`).join('\n\n');
}

function renderEntities(state) {
  const rows = state.entities.map((entity) => {
    const known = entity.rows >= 0 && entity.items >= 0;
    const pct = !known ? 0 : entity.rows === 0 ? 100 : Math.min(100, (entity.items / entity.rows) * 100);
    const run = entity.lastReconciliation;
    const done = entity.rows >= 0 && entity.items >= entity.rows;
    return el(
      'tr',
      { 'data-entity': entity.entity },
      el('td', {}, entity.entity),
      el('td', {}, entity.source),
      el('td', {}, el('span', { class: 'bar' }, el('span', { style: `width:${pct.toFixed(1)}%` })), known ? ` ${pct.toFixed(1)}%` : ' ?'),
      el('td', { class: 'counts' }, `${fmt(entity.items)} / ${fmt(entity.rows)}`),
      el('td', {}, entity.rate === undefined ? '-' : fmt(entity.rate)),
      el('td', { class: 'eta' }, entity.etaMs !== undefined ? duration(entity.etaMs) : done ? 'done' : '-'),
      el('td', {}, fmt(entity.transformerLag)),
      el('td', {}, run ? `${run.mode} ${run.status}${run.consistencyRate !== null ? ` ${(run.consistencyRate * 100).toFixed(2)}%` : ''}` : 'never reconciled'),
    );
  });
  $('#entities tbody').replaceChildren(...rows);
  const age = state.lastAppliedAt !== undefined ? duration(state.at - state.lastAppliedAt) : 'none yet';
  $('#writer-line').textContent = `writer lag ${fmt(state.writerLag)} · last applied write ${age} old${state.errors.length ? ` · ${state.errors.join('; ')}` : ''}`;
}

function renderDeadLetters(dlq) {
  if (!dlq) return;
  $('#dlq-pending').textContent = `${dlq.total} letter(s) on ${dlq.topic}, ${dlq.pending} awaiting replay`;
  $('#dlq-pending').setAttribute('data-pending', String(dlq.pending));
  $('#dlq-summary tbody').replaceChildren(...dlq.byStageAndCode.map((group) => el('tr', {}, el('td', {}, group.stage), el('td', {}, group.code), el('td', {}, group.total), el('td', {}, group.pending))));
  $('#dlq-list tbody').replaceChildren(
    ...dlq.letters.map((entry) => {
      const letter = entry.letter;
      const original = letter ? `${letter.original.topic}[${letter.original.partition}]@${letter.original.offset}` : '';
      return el(
        'tr',
        { 'data-position': `${entry.partition}/${entry.offset}`, 'data-replayed': String(entry.replayed) },
        el('td', {}, `${entry.partition}/${entry.offset}`),
        el('td', {}, entry.replayed ? 'yes' : 'no'),
        el('td', {}, letter ? letter.stage : '?'),
        el('td', {}, letter ? letter.code : 'UNREADABLE'),
        el('td', {}, original),
        el('td', {}, letter ? letter.failedAt : ''),
        el('td', { class: 'reason' }, letter ? letter.message : entry.unreadable || ''),
      );
    }),
  );
}

function renderRuns(runs) {
  plotRuns($('#runs-plot'), runs);
  $('#runs-table tbody').replaceChildren(
    ...runs.slice(0, 30).map((run) =>
      el('tr', {}, el('td', {}, new Date(run.startedAt).toISOString().replace('T', ' ').slice(0, 19)), el('td', {}, run.entity), el('td', {}, run.mode), el('td', {}, run.status), el('td', {}, run.checked), el('td', {}, run.missing), el('td', {}, run.unexpected), el('td', {}, run.mismatch), el('td', {}, run.inFlight), el('td', {}, run.consistencyRate === null ? '-' : `${(run.consistencyRate * 100).toFixed(2)}%`)),
    ),
  );
}

function render(view) {
  $('#prefix').textContent = view.prefix;
  document.body.classList.toggle('read-only', !view.actionsEnabled);
  for (const button of document.querySelectorAll('button')) button.disabled = !view.actionsEnabled;
  if (!view.state) return;
  $('#updated-at').textContent = `read at ${time(view.state.at)} (every ${view.sampleSeconds}s)`;
  renderConnector(view.state.connector);
  renderEntities(view.state);
  plot($('#plot-lag'), view.series.lagMs);
  plot($('#plot-throughput'), view.series.throughput);
  plot($('#plot-wal'), view.series.retainedWalBytes, bytes);
  $('#lag-note').textContent = view.lagMeasured ? '' : '(set PG2DDB_STATUS_WRITER_METRICS_URLS to plot it)';
  $('#slot').textContent = view.slot
    ? `slot ${view.slot.slot}: ${view.slot.active ? 'active' : 'INACTIVE'}, WAL retained ${bytes(view.slot.retainedBytes)}, confirmed ${bytes(view.slot.confirmedLagBytes)} behind${view.slot.walStatus ? `, wal_status ${view.slot.walStatus}` : ''}`
    : 'no replication slot yet';
  renderDeadLetters(view.deadLetters);
  renderRuns(view.runs);
}

function say(text, error = false) {
  const message = $('#message');
  message.textContent = text;
  message.className = error ? 'error' : '';
}

async function refresh() {
  try {
    const response = await fetch('api/status', { cache: 'no-store' });
    if (!response.ok) throw new Error(`status answered ${response.status}`);
    render(await response.json());
  } catch (error) {
    say(`cannot read the status: ${error.message}`, true);
  }
}

/** POSTs an action with the admin token; says what happened. */
async function act(path, body, what) {
  const token = $('#token').value.trim();
  sessionStorage.setItem('pg2ddb-admin-token', token);
  say(`${what}…`);
  try {
    const response = await fetch(path, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body || {}) });
    const answer = await response.json().catch(() => ({}));
    if (!response.ok) throw new Error(answer.message || `answered ${response.status}`);
    say(`${what}: done${answer.state ? ` (${answer.state})` : answer.sent ? ` (${answer.sent.length} re-submitted, ${answer.skipped.length} skipped)` : ''}`);
  } catch (error) {
    say(`${what} failed: ${error.message}`, true);
  }
  await refresh();
}

$('#token').value = sessionStorage.getItem('pg2ddb-admin-token') || '';
for (const button of document.querySelectorAll('button[data-action]')) {
  button.addEventListener('click', () => act(`api/connector/${button.dataset.action}`, undefined, `${button.dataset.action} connector`));
}
$('#dlq-replay').addEventListener('click', () => act('api/dead-letters/replay', {}, 'replay dead letters'));
refresh();
setInterval(refresh, REFRESH_MS);
