// The pgforce console: one page over the admin API (/api), refreshed every few seconds. The token
// (pgforce.admin.token) is asked for when the API answers 401 and kept for this browser tab only.
'use strict';

const REFRESH_MS = 3000;
const PAGE = 25;
const PROBLEM_STATES = ['DB_UNAVAILABLE', 'SF_UNAVAILABLE', 'UNAUTHORIZED', 'NOT_ADOPTED', 'SYSTEM_ERROR'];
const BUSY_STATES = ['POLLING_DB_CHANGES', 'WRITING'];
const $ = (id) => document.getElementById(id);
const log = { offset: 0, total: 0 };
// What each part of the page last showed: a part is rebuilt only when its data changed, so a row
// under the user's pointer (a Retry button about to be clicked) is not replaced every refresh.
const shown = {};

function show(part, data, render) {
  const json = JSON.stringify(data);
  if (shown[part] !== json) {
    shown[part] = json;
    render(data);
  }
}

class Unauthorized extends Error {}

async function api(path, options = {}) {
  const headers = { 'Accept': 'application/json', ...(options.body ? { 'Content-Type': 'application/json' } : {}) };
  const token = sessionStorage.getItem('pgforce.token');
  if (token) {
    headers['Authorization'] = 'Bearer ' + token;
  }
  const response = await fetch('/api' + path, { ...options, headers });
  if (response.status === 401) {
    throw new Unauthorized((await response.json().catch(() => ({}))).error || 'the admin API wants its token');
  }
  const body = await response.json().catch(() => null);
  if (!response.ok) {
    throw new Error((body && body.error) || ('HTTP ' + response.status + ' from /api' + path));
  }
  return body;
}

function cell(row, text, className) {
  const td = row.insertCell();
  td.textContent = text === null || text === undefined ? '' : String(text);
  if (className) {
    td.className = className;
  }
  return td;
}

function when(iso) {
  return iso ? new Date(iso).toLocaleString() : '';
}

function age(seconds) {
  if (seconds === null || seconds === undefined) {
    return 'none';
  }
  if (seconds < 90) {
    return Math.round(seconds) + ' s';
  }
  return seconds < 5400 ? Math.round(seconds / 60) + ' min' : (seconds / 3600).toFixed(1) + ' h';
}

function showStatus(status) {
  const state = $('state');
  state.textContent = status.label;
  state.dataset.state = status.state;
  state.title = status.state;
  state.className = 'state' + (PROBLEM_STATES.includes(status.state) ? ' problem'
      : BUSY_STATES.includes(status.state) ? ' busy' : status.state === 'PAUSED' ? ' paused' : status.state === 'STANDBY' ? ' standby' : '');
  $('state-detail').textContent = (status.reason || '') + (status.writer === false ? ' (this instance stands by)' : '');
  // the org's daily API requests as Salesforce last said (every integration's): pgforce waits at the share
  const api = status.apiRequests;
  $('api-usage').textContent = api && api.max !== null && api.max !== undefined
      ? 'API: ' + api.used + ' of ' + api.max + ' daily API requests (waits at ' + Math.round(api.maxShare * 100) + '%)' : '';
  $('pause-btn').hidden = !!status.paused;
  $('resume-btn').hidden = !status.paused;
  $('total-pending').textContent = status.pending;
  $('total-failed').textContent = status.failed;
  $('total-written').textContent = status.writtenToday;
  $('oldest-age').textContent = age(status.oldestNewAgeSeconds);
}

function showMappings(mappings) {
  const body = $('mappings').tBodies[0];
  body.replaceChildren();
  const tables = $('log-table');
  for (const m of mappings) {
    const row = body.insertRow();
    row.dataset.table = m.table;
    cell(row, m.object);
    cell(row, m.table);
    cell(row, m.access);
    cell(row, m.fields, 'number');
    cell(row, m.pending, 'number pending');
    cell(row, m.failed, 'number failed');
    cell(row, m.writtenToday, 'number written');
    // the read from Salesforce: its phase (the last error as the cell's title) and now minus the newest SystemModstamp read
    cell(row, m.read ? m.read.phase : '–', 'read-phase').title = (m.read && m.read.lastError) || '';
    cell(row, m.read ? age(m.read.lagSeconds) : '–', 'lag number');
    if (![...tables.options].some((o) => o.value === m.table)) {
      tables.add(new Option(m.table, m.table));
    }
  }
}

function showErrors(page) {
  const body = $('errors').tBodies[0];
  body.replaceChildren();
  for (const e of page.rows) {
    const row = body.insertRow();
    row.dataset.id = e.id;
    cell(row, e.id);
    cell(row, e.table);
    cell(row, e.recordId);
    cell(row, e.action);
    cell(row, when(e.processedAt || e.createdAt));
    cell(row, e.message, 'message');
    const buttons = row.insertCell();
    for (const [verb, label] of [['retry', 'Retry'], ['ignore', 'Ignore']]) {
      const button = document.createElement('button');
      button.type = 'button';
      button.className = verb;
      button.textContent = label;
      button.addEventListener('click', () => act('/errors/' + e.id + '/' + verb));
      buttons.append(button, ' ');
    }
  }
  $('no-errors').hidden = page.rows.length > 0;
  $('retry-all').hidden = page.rows.length === 0;
}

function showActivity(points) {
  const svg = $('activity');
  const width = 600;
  const height = 120;
  const most = Math.max(1, ...points.map((p) => p.written + p.failed));
  const step = width / Math.max(1, points.length);
  const bars = [];
  points.forEach((p, i) => {
    const written = (p.written / most) * (height - 4);
    const failed = (p.failed / most) * (height - 4);
    const x = (i * step).toFixed(1);
    const w = Math.max(1, step - 1).toFixed(1);
    const title = new Date(p.at).toLocaleTimeString() + ': ' + p.written + ' written, ' + p.failed + ' errors';
    bars.push('<g><title>' + title + '</title>'
        + '<rect class="written" x="' + x + '" y="' + (height - written).toFixed(1) + '" width="' + w + '" height="' + written.toFixed(1) + '" fill="#2e7d32"/>'
        + '<rect class="failed" x="' + x + '" y="' + (height - written - failed).toFixed(1) + '" width="' + w + '" height="' + failed.toFixed(1) + '" fill="#c62828"/></g>');
  });
  svg.innerHTML = bars.join('');
  svg.dataset.written = points.reduce((n, p) => n + p.written, 0);
  svg.dataset.failed = points.reduce((n, p) => n + p.failed, 0);
}

function logQuery() {
  const query = new URLSearchParams({ limit: PAGE, offset: log.offset });
  for (const [param, id] of [['table', 'log-table'], ['state', 'log-state'], ['action', 'log-action']]) {
    if ($(id).value) {
      query.set(param, $(id).value);
    }
  }
  if ($('log-archive').checked) {
    query.set('archive', 'true');
  }
  return query;
}

function showLog(page) {
  const body = $('log').tBodies[0];
  body.replaceChildren();
  for (const r of page.rows) {
    const row = body.insertRow();
    row.dataset.id = r.id;
    cell(row, r.id);
    cell(row, r.table);
    cell(row, r.recordId);
    cell(row, r.action);
    cell(row, r.state, 'state-cell');
    cell(row, r.sfid);
    cell(row, when(r.createdAt));
    cell(row, r.message, 'message');
  }
  log.total = page.total;
  $('log-range').textContent = page.total === 0 ? 'no rows'
      : (page.offset + 1) + '–' + (page.offset + page.rows.length) + ' of ' + page.total;
  $('log-prev').disabled = page.offset === 0;
  $('log-next').disabled = page.offset + page.rows.length >= page.total;
}

function problem(error) {
  if (error instanceof Unauthorized) {
    $('token-why').textContent = error.message;
    $('token-form').hidden = false;
    $('problem').hidden = true;
    return;
  }
  $('problem').textContent = error.message;
  $('problem').hidden = false;
}

async function refresh() {
  try {
    const [status, mappings, errors, activity, page] = await Promise.all([
      api('/status'), api('/mappings'), api('/errors?limit=100'), api('/activity?window=PT1H&interval=PT1M'), api('/trigger-log?' + logQuery())]);
    show('status', status, showStatus);
    show('mappings', mappings, showMappings);
    show('errors', errors, showErrors);
    show('activity', activity, showActivity);
    show('log', page, showLog);
    $('problem').hidden = true;
    $('token-form').hidden = true;
    document.body.dataset.refreshed = String(Date.now());
  } catch (error) {
    problem(error);
  }
}

async function act(path, body = {}) {
  try {
    await api(path, { method: 'POST', body: JSON.stringify(body) });
  } catch (error) {
    problem(error);
  }
  await refresh();
}

$('pause-btn').addEventListener('click', () => act('/pause', { by: 'console' }));
$('resume-btn').addEventListener('click', () => act('/resume', { by: 'console' }));
$('retry-all').addEventListener('click', () => act('/errors/retry'));
$('log-filters').addEventListener('submit', (event) => {
  event.preventDefault();
  log.offset = 0;
  refresh();
});
$('log-prev').addEventListener('click', () => { log.offset = Math.max(0, log.offset - PAGE); refresh(); });
$('log-next').addEventListener('click', () => { log.offset += PAGE; refresh(); });
$('token-form').addEventListener('submit', (event) => {
  event.preventDefault();
  sessionStorage.setItem('pgforce.token', $('token-input').value);
  $('token-input').value = '';
  refresh();
});

refresh();
setInterval(refresh, REFRESH_MS);
