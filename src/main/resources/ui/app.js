// Caravan's web UI: plain ES module over the REST API (/api/v1), hash routes, no build step.
import { cronText, describeSchedule } from './schedule.js';
import { specForm, readForm } from './forms.js';
import { historyChart } from './chart.js';

const main = document.getElementById('main');
let me = null; // {name, role, csrf, auth, hawtio}
let events = null; // the EventSource of the connection page's running job

export const esc = v => String(v ?? '').replace(/[&<>"']/g, c => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]));
const canEdit = () => me && (me.role === 'editor' || me.role === 'admin');
const isAdmin = () => me && me.role === 'admin';
const num = n => n == null ? '—' : Number(n).toLocaleString('en-US');
const bytes = n => n == null ? '—' : n < 1024 ? n + ' B' : n < 1048576 ? (n / 1024).toFixed(1) + ' KiB' : (n / 1048576).toFixed(1) + ' MiB';
const ms = n => n == null ? '—' : n < 1000 ? n + ' ms' : (n / 1000).toFixed(1) + ' s';

async function api(method, path, body) {
  const headers = { 'Accept': 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET' && me && me.csrf) headers['X-CSRF-Token'] = me.csrf;
  const r = await fetch('/api/v1' + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), credentials: 'same-origin' });
  if (r.status === 401) { me = null; location.hash = '#/signin'; throw new Error('Please sign in again.'); }
  const text = await r.text();
  const data = text && r.headers.get('Content-Type')?.includes('json') ? JSON.parse(text) : text;
  if (!r.ok) {
    const problems = (data.problems || []).map(p => `${p.path}: ${p.value == null ? '' : "'" + p.value + "' — "}${p.fix}`);
    throw new Error([data.message || r.status, ...problems].join('\n'));
  }
  return data;
}

function alertBox(kind, text) {
  return `<div class="alert alert-${kind}" role="${kind === 'danger' ? 'alert' : 'status'}"><pre class="result mb-0">${esc(text)}</pre></div>`;
}

function render(html) {
  main.innerHTML = html;
  const h1 = main.querySelector('h1');
  if (h1) document.title = h1.textContent + ' · Caravan';
}

function nav() {
  const items = [['#/connections', 'Connections'], ['#/sources', 'Sources'], ['#/destinations', 'Destinations'], ['#/catalog', 'Catalog']];
  if (isAdmin() && me.auth) items.push(['#/settings', 'Settings']);
  document.getElementById('nav').innerHTML = me ? items.map(([h, t]) =>
    `<li class="nav-item"><a class="nav-link${location.hash.startsWith(h) ? ' active" aria-current="page' : ''}" href="${h}">${t}</a></li>`).join('') : '';
  document.getElementById('who').innerHTML = me ? `${esc(me.name)} (${esc(me.role)})` + (me.auth
    ? ` <button class="btn btn-sm btn-outline-light ms-2" id="signout">Sign out</button>` : '') : '';
  document.getElementById('signout')?.addEventListener('click', async () => {
    await fetch('/ui/session', { method: 'DELETE', headers: { 'X-CSRF-Token': me.csrf } });
    me = null; location.hash = '#/signin'; route();
  });
}

// ---- sign in
function signIn(message) {
  render(`<h1 class="h3">Sign in</h1>
    <form id="signin" class="col-md-6">
      <div class="mb-3"><label class="form-label" for="token">API token</label>
        <input class="form-control" id="token" type="password" autocomplete="current-password" required>
        <div class="form-text">An admin creates tokens in Settings; the first admin token is printed in the server log.</div></div>
      <button class="btn btn-primary" type="submit">Sign in</button>
      <div id="out" class="mt-3">${message ? alertBox('danger', message) : ''}</div>
    </form>`);
  main.querySelector('#token').focus();
  main.querySelector('#signin').addEventListener('submit', async e => {
    e.preventDefault();
    const r = await fetch('/ui/session', { method: 'POST', headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ token: main.querySelector('#token').value }) });
    const data = await r.json();
    if (!r.ok) { main.querySelector('#out').innerHTML = alertBox('danger', data.message); return; }
    me = data; location.hash = '#/connections'; route();
  });
}

// ---- connections
async function connections() {
  const { connections } = await api('GET', '/connections');
  render(`<div class="d-flex flex-wrap align-items-center gap-2 mb-3"><h1 class="h3 me-auto mb-0">Connections</h1>
    ${canEdit() ? '<a class="btn btn-primary" href="#/new-connection">New connection</a>' : ''}</div>
    ${connections.length === 0 ? '<p>No connection yet.</p>' : `<div class="table-responsive"><table class="table table-hover align-middle">
    <thead><tr><th scope="col">Name</th><th scope="col">Source → destination</th><th scope="col">Schedule</th><th scope="col">Last job</th></tr></thead><tbody>
    ${connections.map(c => `<tr><td><a href="#/connections/${encodeURIComponent(c.name)}">${esc(c.name)}</a>${c.enabled === false ? ' <span class="badge text-bg-secondary">disabled</span>' : ''}</td>
      <td>${esc(c.source)} → ${esc(c.destination)}</td><td>${esc(describeSchedule(c.schedule))}</td>
      <td>${c.status.running_job_id ? '<span class="badge text-bg-info">running</span>' : c.status.last_job ? statusBadge(c.status.last_job.status) + ' ' + num(c.status.last_job.records) + ' records' : 'never run'}</td></tr>`).join('')}
    </tbody></table></div>`}`);
}

function statusBadge(status) {
  const kind = { succeeded: 'success', failed: 'danger', running: 'info', cancelled: 'secondary', interrupted: 'warning' }[status] || 'secondary';
  return `<span class="badge text-bg-${kind}">${esc(status)}</span>`;
}

async function connection(name, justEnded) {
  const c = await api('GET', '/connections/' + encodeURIComponent(name));
  const { jobs } = await api('GET', '/jobs?connection=' + encodeURIComponent(name) + '&limit=50');
  const streams = c.streams || [];
  render(`<nav aria-label="breadcrumb"><ol class="breadcrumb"><li class="breadcrumb-item"><a href="#/connections">Connections</a></li>
      <li class="breadcrumb-item active" aria-current="page">${esc(name)}</li></ol></nav>
    <h1 class="h3">${esc(name)}</h1>
    <p>${esc(c.source)} → ${esc(c.destination)} · ${esc(describeSchedule(c.schedule))} ·
      ${c.enabled === false ? '<span class="badge text-bg-secondary">disabled</span>' : '<span class="badge text-bg-success">enabled</span>'}
      ${c.status.next_sync_at ? ' · next sync ' + esc(new Date(c.status.next_sync_at).toLocaleString()) : ''}
      ${me.hawtio ? ` · <a href="/hawtio/" target="_blank" rel="noopener">Routes in Hawtio<span class="visually-hidden"> (the console opens on Camel; the connection is route group ${esc(name)})</span></a>` : ''}</p>
    ${canEdit() ? `<div class="btn-toolbar gap-2 mb-3" role="toolbar" aria-label="Actions">
      <button class="btn btn-primary" id="sync">Sync now</button>
      <button class="btn btn-outline-secondary" id="toggle">${c.enabled === false ? 'Enable' : 'Disable'}</button>
      <button class="btn btn-outline-danger" id="reset-all">Reset all streams</button>
      <a class="btn btn-outline-secondary" href="#/connections/${encodeURIComponent(name)}/edit">Edit</a>
      <button class="btn btn-outline-danger" id="delete">Delete connection</button></div>` : ''}
    <div id="out"></div>
    <section aria-labelledby="progress-h" id="progress-section" hidden><h2 class="h5" id="progress-h">Running job</h2><div id="progress" aria-live="polite"></div></section>
    <h2 class="h5 mt-3">Streams</h2>
    <div class="table-responsive"><table class="table table-sm"><thead><tr><th scope="col">Stream</th><th scope="col">Sync mode</th><th scope="col">Cursor</th><th scope="col">Primary key</th>${canEdit() ? '<th scope="col"><span class="visually-hidden">Actions</span></th>' : ''}</tr></thead><tbody>
    ${streams.map(s => `<tr><td>${esc(s.name)}</td><td>${esc(s.sync_mode || 'full_refresh_overwrite')}</td><td>${esc(s.cursor_field || '')}</td><td>${esc((s.primary_key || []).join(', '))}</td>
      ${canEdit() ? `<td><button class="btn btn-sm btn-outline-primary sync-one" data-stream="${esc(s.name)}">Sync ${esc(s.name)}</button>
        <button class="btn btn-sm btn-outline-danger reset-one" data-stream="${esc(s.name)}">Reset ${esc(s.name)}</button></td>` : ''}</tr>`).join('')}
    </tbody></table></div>
    ${schemaChangesSection(c, jobs)}
    <h2 class="h5 mt-3">History</h2>
    ${jobs.length ? historyChart(jobs) : ''}
    <div class="table-responsive"><table class="table table-sm" id="history"><thead><tr><th scope="col">Job</th><th scope="col">Status</th><th scope="col">Started</th><th scope="col">Duration</th><th scope="col">Records</th><th scope="col">Bytes</th><th scope="col">Error</th><th scope="col">Log</th></tr></thead><tbody>
    ${jobs.map(j => `<tr><td>${j.id}</td><td>${statusBadge(j.status)}</td><td>${esc(new Date(j.started_at).toLocaleString())}</td><td>${ms(j.duration_ms)}</td>
      <td class="records">${num(j.records)}</td><td>${bytes(j.bytes)}</td><td>${esc(j.error || '')}</td>
      <td><a href="/api/v1/jobs/${j.id}/logs" target="_blank" rel="noopener">view<span class="visually-hidden"> log of job ${j.id}</span></a> ·
        <a href="/api/v1/jobs/${j.id}/logs" download="job-${j.id}.log">download<span class="visually-hidden"> log of job ${j.id}</span></a></td></tr>`).join('') || '<tr><td colspan="8">No job yet.</td></tr>'}
    </tbody></table></div>`);
  const out = main.querySelector('#out');
  const act = async (fn, done) => {
    try { const r = await fn(); out.innerHTML = alertBox('success', done(r)); } catch (e) { out.innerHTML = alertBox('danger', e.message); }
  };
  main.querySelector('#sync')?.addEventListener('click', () => act(() => api('POST', '/connections/sync', { connection: name }),
    j => `Job ${j.id} started.`).then(() => watch(name)));
  main.querySelector('#toggle')?.addEventListener('click', () => act(() => api('POST', `/connections/${encodeURIComponent(name)}/${c.enabled === false ? 'enable' : 'disable'}`),
    () => 'Saved.').then(() => connection(name)));
  main.querySelector('#reset-all')?.addEventListener('click', () => confirm(`Reset every stream of ${name}? The next sync reads everything again.`)
    && act(() => api('POST', '/connections/reset', { connection: name }), r => 'Reset: ' + r.reset_streams.join(', ')));
  main.querySelector('#delete')?.addEventListener('click', async () => {
    if (!confirm(`Delete connection ${name}? Its schedule, routes and stream state go; the files in the lake stay.`)) return;
    try { await api('DELETE', `/connections/${encodeURIComponent(name)}`); location.hash = '#/connections'; } catch (e) { out.innerHTML = alertBox('danger', e.message); }
  });
  main.querySelectorAll('.sync-one').forEach(b => b.addEventListener('click', () =>
    act(() => api('POST', '/connections/sync', { connection: name, streams: [b.dataset.stream] }),
      j => `Job ${j.id} started (stream ${esc(b.dataset.stream)} only).`).then(() => watch(name))));
  main.querySelectorAll('.reset-one').forEach(b => b.addEventListener('click', () =>
    act(() => api('POST', '/connections/reset', { connection: name, streams: [b.dataset.stream] }), r => 'Reset: ' + r.reset_streams.join(', '))));
  main.querySelector('#accept-schema')?.addEventListener('click', () => confirm(`Accept the current source schema of ${name}? The next sync takes it as it is, without reporting these changes again.`)
    && act(() => api('POST', '/connections/accept-schema', { connection: name }), r => 'Accepted the schema of: ' + (r.accepted_streams.join(', ') || 'no stream')));
  if (c.status.running_job_id && !justEnded) watch(name);
}

/** The source schema changes the recent jobs found (newest first) and what was done; an Accept button while a stream is stopped or paused. */
function schemaChangesSection(c, jobs) {
  const changesOf = j => [...(j.schema_changes || []), ...(j.streams || []).flatMap(s => s.schema_changes || [])];
  const rows = jobs.flatMap(j => changesOf(j).map(ch => ({ job: j.id, ...ch })));
  const latest = jobs.find(j => j.status !== 'running' && j.status !== 'queued' && j.status !== 'skipped');
  const blocked = latest && changesOf(latest).some(ch => ch.action === 'stopped' || ch.action === 'paused');
  return `<h2 class="h5 mt-3" id="schema-h">Schema changes</h2>
    <p>Policy: <code>${esc(c.schema_changes || 'propagate_columns')}</code>${c.backfill_new_columns ? ' · backfill new columns' : ''}</p>
    ${blocked && canEdit() ? '<div class="mb-2"><button class="btn btn-sm btn-outline-warning" id="accept-schema">Accept schema changes</button></div>' : ''}
    ${rows.length ? `<div class="table-responsive"><table class="table table-sm" id="schema-changes" aria-labelledby="schema-h"><thead><tr><th scope="col">Job</th><th scope="col">Stream</th><th scope="col">Change</th><th scope="col">Column</th><th scope="col">Type</th><th scope="col">Action</th><th scope="col">Note</th></tr></thead><tbody>
    ${rows.map(r => `<tr><td>${r.job}</td><td>${esc(r.stream)}</td><td>${esc(r.kind.replaceAll('_', ' '))}</td><td>${esc(r.column || '')}</td>
      <td>${esc([r.from, r.to].filter(t => t).join(' → '))}</td><td class="action">${r.breaking ? '<span class="badge text-bg-danger">' + esc(r.action) + '</span>' : esc(r.action)}</td><td>${esc(r.note)}</td></tr>`).join('')}
    </tbody></table></div>` : '<p>No change found in the recent jobs.</p>'}`;
}

/** Shows the running job's progress (records, records/s, per stream), pushed by Server-Sent Events, until it ends. */
function watch(name) {
  stopWatching();
  const section = main.querySelector('#progress-section');
  const source = new EventSource('/api/v1/events/connections/' + encodeURIComponent(name));
  let seen = false;
  events = source;
  source.addEventListener('progress', async e => {
    seen = true;
    const p = JSON.parse(e.data);
    section.hidden = false;
    let done = [];
    try { done = (await api('GET', '/jobs/' + p.job_id)).streams || []; } catch (err) { /* shown at the next event */ }
    main.querySelector('#progress').innerHTML = `<p>Job ${p.job_id}: <strong>${num(p.records)}</strong> records, ${num(p.records_per_second)} records/s${p.stream ? ', now ' + esc(p.stream) : ''}
      ${canEdit() ? `<button class="btn btn-sm btn-outline-danger ms-2" id="cancel" data-job="${p.job_id}">Cancel job ${p.job_id}</button>` : ''}</p>
      <div class="progress mb-2" role="progressbar" aria-label="Job progress" aria-valuetext="running"><div class="progress-bar progress-bar-striped progress-bar-animated w-100">running</div></div>
      <ul>${done.map(s => `<li>${esc(s.stream)}: ${statusBadge(s.status)} ${num(s.records)} records, ${bytes(s.bytes)}</li>`).join('')}</ul>`;
    main.querySelector('#cancel')?.addEventListener('click', e => api('POST', `/jobs/${e.target.dataset.job}/cancel`)
      .then(() => { e.target.disabled = true; e.target.textContent = 'Cancelling…'; }, err => { main.querySelector('#out').innerHTML = alertBox('danger', err.message); }));
  });
  source.addEventListener('idle', () => {
    stopWatching();
    if (location.hash === '#/connections/' + encodeURIComponent(name)) connection(name, seen);
  });
}

function stopWatching() {
  if (events) { events.close(); events = null; }
}

// ---- sources and destinations
async function definitions(kind) {
  const title = kind === 'sources' ? 'Sources' : 'Destinations';
  const list = (await api('GET', '/' + kind))[kind];
  render(`<div class="d-flex flex-wrap align-items-center gap-2 mb-3"><h1 class="h3 me-auto mb-0">${title}</h1>
    ${canEdit() ? `<a class="btn btn-primary" href="#/${kind}/new">New ${kind.slice(0, -1)}</a>` : ''}</div>
    <div class="table-responsive"><table class="table"><thead><tr><th scope="col">Name</th><th scope="col">Connector</th></tr></thead><tbody>
    ${list.map(d => `<tr><td><a href="#/${kind}/${encodeURIComponent(d.name)}">${esc(d.name)}</a></td><td>${esc(d.connector)}</td></tr>`).join('') || `<tr><td colspan="2">None yet.</td></tr>`}
    </tbody></table></div>`);
}

async function definition(kind, name, testNow) {
  const noun = kind.slice(0, -1);
  const existing = name === 'new' ? null : await api('GET', `/${kind}/${encodeURIComponent(name)}`);
  const connectors = (await api('GET', '/connectors')).connectors.filter(c => c.kind === noun);
  const chosen = existing ? existing.connector : connectors[0]?.name;
  render(`<nav aria-label="breadcrumb"><ol class="breadcrumb"><li class="breadcrumb-item"><a href="#/${kind}">${kind === 'sources' ? 'Sources' : 'Destinations'}</a></li>
      <li class="breadcrumb-item active" aria-current="page">${esc(existing ? name : 'New')}</li></ol></nav>
    <h1 class="h3">${existing ? esc(name) : 'New ' + noun}</h1>
    <form id="def" class="col-lg-8" novalidate>
      <div class="mb-3"><label class="form-label" for="def-name">Name</label>
        <input class="form-control" id="def-name" required pattern="[a-z0-9][a-z0-9_-]{0,62}" value="${esc(existing?.name || '')}" ${existing ? 'readonly' : ''}>
        <div class="form-text">Lowercase letters, digits, - and _.</div></div>
      <div class="mb-3"><label class="form-label" for="def-connector">Connector</label>
        <select class="form-select" id="def-connector" ${existing ? 'disabled' : ''}>${connectors.map(c => `<option value="${esc(c.name)}" ${c.name === chosen ? 'selected' : ''}>${esc(c.title || c.name)} (${esc(c.name)} ${esc(c.version)})</option>`).join('')}</select></div>
      <fieldset id="config" ${canEdit() ? '' : 'disabled'}></fieldset>
      ${canEdit() ? `<div class="btn-toolbar gap-2"><button class="btn btn-primary" type="submit">Save and test</button>
        ${existing ? `<button class="btn btn-outline-secondary" type="button" id="test">Test</button>
          <button class="btn btn-outline-danger" type="button" id="delete">Delete ${esc(noun)}</button>` : ''}</div>` : ''}
      <div id="out" class="mt-3" aria-live="polite"></div>
    </form>`);
  const showSpec = async connector => {
    const spec = (await api('GET', `/connectors/${encodeURIComponent(connector)}/spec`)).spec;
    main.querySelector('#config').innerHTML = specForm(spec, existing?.config || {});
    main.querySelector('#config').dataset.connector = connector;
  };
  await showSpec(chosen);
  main.querySelector('#def-connector').addEventListener('change', e => showSpec(e.target.value));
  const out = main.querySelector('#out');
  const show = html => { out.innerHTML = html; out.scrollIntoView({ block: 'center' }); };
  const test = async defName => {
    const steps = [`Saved ${noun} ${defName}: its settings are valid.`];
    out.innerHTML = alertBox('info', steps.join('\n') + '\nTesting…');
    const check = await api('POST', `/${kind}/${encodeURIComponent(defName)}/check`);
    if (check.status !== 'succeeded') {
      show(alertBox('danger', steps.concat('✗ Test failed: ' + check.message).join('\n')));
      return;
    }
    steps.push('✓ Connection test succeeded.');
    if (kind === 'sources') {
      try {
        const catalog = await api('POST', `/sources/${encodeURIComponent(defName)}/discover`);
        steps.push(`✓ Discovered ${catalog.streams.length} stream(s): ${catalog.streams.map(s => s.name).join(', ')}`);
      } catch (e) { steps.push('✗ Discover failed: ' + e.message); }
    }
    show(alertBox('success', steps.join('\n')));
  };
  main.querySelector('#test')?.addEventListener('click', () => test(name).catch(e => { out.innerHTML = alertBox('danger', e.message); }));
  main.querySelector('#delete')?.addEventListener('click', async () => {
    if (!confirm(`Delete ${noun} ${name}?`)) return;
    try { await api('DELETE', `/${kind}/${encodeURIComponent(name)}`); location.hash = '#/' + kind; } catch (e) { show(alertBox('danger', e.message)); }
  });
  main.querySelector('#def').addEventListener('submit', async e => {
    e.preventDefault();
    const defName = main.querySelector('#def-name').value.trim();
    const body = { name: defName, connector: main.querySelector('#config').dataset.connector, config: readForm(main.querySelector('#config')) };
    try {
      await api(existing ? 'PUT' : 'POST', existing ? `/${kind}/${encodeURIComponent(defName)}` : `/${kind}`, body);
      if (existing) {
        await test(defName);
      } else {
        history.replaceState(null, '', `#/${kind}/${encodeURIComponent(defName)}`);
        await definition(kind, defName, true);
      }
    } catch (err) { out.innerHTML = alertBox('danger', err.message); }
  });
  if (testNow) await test(name).catch(e => { out.innerHTML = alertBox('danger', e.message); });
}

// ---- new connection wizard
/** The new connection wizard; with {@code editing}, the same steps pre-filled from that connection, saved with PUT. */
async function wizard(editing) {
  const sources = (await api('GET', '/sources')).sources;
  const destinations = (await api('GET', '/destinations')).destinations;
  const current = editing ? await api('GET', '/connections/' + encodeURIComponent(editing)) : null;
  const opts = (list, chosen) => list.map(d => `<option value="${esc(d.name)}" ${d.name === chosen ? 'selected' : ''}>${esc(d.name)} (${esc(d.connector)})</option>`).join('');
  render(`<h1 class="h3">${current ? 'Edit connection ' + esc(editing) : 'New connection'}</h1>
    <form id="wiz" class="col-lg-10" novalidate>
      <fieldset class="mb-3"><legend class="h5">1. Source and destination</legend>
        <div class="row g-2"><div class="col-sm-6"><label class="form-label" for="w-source">Source</label><select class="form-select" id="w-source" ${current ? 'disabled' : ''}>${opts(sources, current?.source)}</select></div>
        <div class="col-sm-6"><label class="form-label" for="w-dest">Destination</label><select class="form-select" id="w-dest" ${current ? 'disabled' : ''}>${opts(destinations, current?.destination)}</select></div></div>
        <button class="btn btn-outline-primary mt-2" type="button" id="discover">Discover streams</button></fieldset>
      <fieldset class="mb-3" id="streams-step" hidden><legend class="h5">2. Streams, fields and sync modes</legend><div id="streams"></div></fieldset>
      <fieldset class="mb-3" id="rest" hidden><legend class="h5">3. Where and when</legend>
        <div class="row g-2">
          <div class="col-sm-4"><label class="form-label" for="w-name">Connection name</label><input class="form-control" id="w-name" required ${current ? `readonly value="${esc(editing)}"` : ''}></div>
          <div class="col-sm-4"><label class="form-label" for="w-ns">Namespace</label><input class="form-control" id="w-ns" placeholder="(none)" value="${esc(current?.namespace || '')}"></div>
          <div class="col-sm-4"><label class="form-label" for="w-prefix">Stream prefix</label><input class="form-control" id="w-prefix" placeholder="(none)" value="${esc(current?.prefix || '')}"></div>
          <div class="col-sm-4"><label class="form-label" for="w-sched">Schedule</label><select class="form-select" id="w-sched">
            <option value="manual">Manual</option><option value="every">Every…</option><option value="cron">Cron</option></select></div>
          <div class="col-sm-4" id="w-every-box" hidden><label class="form-label" for="w-every">Interval (e.g. 6h, 30m, 1d)</label><input class="form-control" id="w-every" value="6h"></div>
          <div class="col-sm-4" id="w-cron-box" hidden><label class="form-label" for="w-cron">Quartz cron</label><input class="form-control" id="w-cron" value="0 0 2 * * ?" aria-describedby="w-cron-text"><div class="form-text" id="w-cron-text"></div></div>
        </div>
        <button class="btn btn-primary mt-3" type="submit">${current ? 'Save changes' : 'Save and run the first sync'}</button></fieldset>
      <div id="out" aria-live="polite"></div>
    </form>`);
  const out = main.querySelector('#out');
  const sched = main.querySelector('#w-sched');
  const cron = main.querySelector('#w-cron');
  const showCron = () => { main.querySelector('#w-cron-text').textContent = cronText(cron.value); };
  const showSchedule = () => {
    main.querySelector('#w-every-box').hidden = sched.value !== 'every';
    main.querySelector('#w-cron-box').hidden = sched.value !== 'cron';
  };
  if (current && current.schedule && current.schedule !== 'manual') {
    sched.value = current.schedule.cron ? 'cron' : 'every';
    if (current.schedule.cron) cron.value = current.schedule.cron; else main.querySelector('#w-every').value = current.schedule.every;
  }
  cron.addEventListener('input', showCron); showCron();
  sched.addEventListener('change', showSchedule); showSchedule();
  let catalog = [];
  main.querySelector('#discover').addEventListener('click', async () => {
    const source = main.querySelector('#w-source').value;
    out.innerHTML = alertBox('info', 'Discovering the streams of ' + source + '…');
    try { catalog = (await api('POST', `/sources/${encodeURIComponent(source)}/discover`)).streams; } catch (e) { out.innerHTML = alertBox('danger', e.message); return; }
    out.innerHTML = '';
    main.querySelector('#w-name').value ||= source.replace(/[^a-z0-9_-]/g, '-') + '-to-' + main.querySelector('#w-dest').value;
    const configured = new Map((current?.streams || []).map(c => [c.name, c]));
    main.querySelector('#streams').innerHTML = catalog.map((s, i) => {
      const modes = s.supported_sync_modes;
      const incremental = modes.includes('incremental_append') && s.default_cursor_field;
      const was = configured.get(s.name);
      const mode = was ? (was.sync_mode || 'full_refresh_overwrite') : incremental ? 'incremental_append' : 'full_refresh_overwrite';
      const cursor = was ? was.cursor_field : s.default_cursor_field;
      const key = was ? (was.primary_key || []).join(', ') : (s.primary_key || []).flat().join(', ');
      const fieldOn = f => !was || !was.fields || was.fields.length === 0 || was.fields.includes(f);
      return `<div class="border rounded p-2 mb-2 stream" data-i="${i}">
        <div class="form-check"><input class="form-check-input sel" type="checkbox" id="s${i}" ${!current || was ? 'checked' : ''}><label class="form-check-label fw-bold" for="s${i}">${esc(s.name)}</label></div>
        <div class="row g-2 mt-1">
          <div class="col-sm-4"><label class="form-label" for="m${i}">Sync mode</label><select class="form-select form-select-sm mode" id="m${i}">
            ${modes.map(m => `<option value="${m}" ${m === mode ? 'selected' : ''}>${m.replaceAll('_', ' ')}</option>`).join('')}</select></div>
          <div class="col-sm-4"><label class="form-label" for="c${i}">Cursor field</label><select class="form-select form-select-sm cursor" id="c${i}"><option value="">(none)</option>
            ${(s.cursor_candidates || []).map(f => `<option ${f === cursor ? 'selected' : ''}>${esc(f)}</option>`).join('')}</select></div>
          <div class="col-sm-4"><label class="form-label" for="k${i}">Primary key (comma separated)</label><input class="form-control form-control-sm pk" id="k${i}" value="${esc(key)}"></div>
        </div>
        <details class="mt-1"><summary>Fields (${s.fields.length})</summary><div class="d-flex flex-wrap gap-3">${s.fields.map((f, j) =>
          `<div class="form-check"><input class="form-check-input field" type="checkbox" id="f${i}-${j}" value="${esc(f.name)}" ${fieldOn(f.name) ? 'checked' : ''}><label class="form-check-label" for="f${i}-${j}">${esc(f.name)} <small class="text-body-secondary">${esc(f.type)}</small></label></div>`).join('')}</div></details>
      </div>`;
    }).join('');
    main.querySelector('#streams-step').hidden = false;
    main.querySelector('#rest').hidden = false;
    main.querySelector('#s0')?.focus();
  });
  if (current) main.querySelector('#discover').click();
  main.querySelector('#wiz').addEventListener('submit', async e => {
    e.preventDefault();
    const streams = [...main.querySelectorAll('.stream')].filter(d => d.querySelector('.sel').checked).map(d => {
      const s = catalog[d.dataset.i];
      const mode = d.querySelector('.mode').value;
      const stream = { name: s.name, sync_mode: mode };
      if (mode.startsWith('incremental') && d.querySelector('.cursor').value) stream.cursor_field = d.querySelector('.cursor').value;
      const pk = d.querySelector('.pk').value.split(',').map(x => x.trim()).filter(Boolean);
      if (pk.length) stream.primary_key = pk;
      const fields = [...d.querySelectorAll('.field')];
      if (fields.some(f => !f.checked)) stream.fields = fields.filter(f => f.checked).map(f => f.value);
      // split_reads has no field here: a full refresh stream keeps the one set in YAML or the API
      const was = (current?.streams || []).find(c => c.name === s.name);
      if (was && was.split_reads != null && !mode.startsWith('incremental')) stream.split_reads = was.split_reads;
      return stream;
    });
    // editing keeps what the wizard does not show (enabled, webhook, routes...): the stored connection is the base
    const body = { ...(current || {}), name: main.querySelector('#w-name').value.trim(), source: main.querySelector('#w-source').value,
      destination: main.querySelector('#w-dest').value, streams };
    delete body.status;
    delete body.namespace;
    delete body.prefix;
    if (main.querySelector('#w-ns').value.trim()) body.namespace = main.querySelector('#w-ns').value.trim();
    if (main.querySelector('#w-prefix').value.trim()) body.prefix = main.querySelector('#w-prefix').value.trim();
    body.schedule = sched.value === 'manual' ? 'manual' : sched.value === 'every' ? { every: main.querySelector('#w-every').value.trim() }
      : { cron: cron.value.trim(), ...(current?.schedule?.timezone ? { timezone: current.schedule.timezone } : {}) };
    try {
      if (current) {
        await api('PUT', '/connections/' + encodeURIComponent(editing), body);
        history.pushState(null, '', '#/connections/' + encodeURIComponent(editing));
        await connection(editing);
        main.querySelector('#out').innerHTML = alertBox('success', 'Saved ' + editing + '.');
        return;
      }
      await api('POST', '/connections', body);
      out.innerHTML = alertBox('info', 'Saved ' + body.name + '; starting its first sync…');
      await waitForRoutes(body.name);
      await api('POST', '/connections/sync', { connection: body.name });
      history.pushState(null, '', '#/connections/' + encodeURIComponent(body.name));
      nav();
      await connection(body.name);
    } catch (err) { out.innerHTML = alertBox('danger', err.message); }
  });
}

/** A new connection's route file is loaded a moment after it is stored: retry the first sync briefly. */
async function waitForRoutes(name) {
  for (let i = 0; i < 50; i++) {
    const c = await api('GET', '/connections/' + encodeURIComponent(name));
    const files = (await api('GET', '/route-files')).files;
    if (c && files.some(f => f.file.startsWith(name + '.') && f.state === 'loaded')) return;
    await new Promise(r => setTimeout(r, 200));
  }
}

// ---- catalog and settings
async function catalogPage() {
  const { connectors } = await api('GET', '/connectors');
  render(`<h1 class="h3">Catalog</h1><div class="table-responsive"><table class="table"><thead><tr><th scope="col">Connector</th><th scope="col">Kind</th><th scope="col">Version</th><th scope="col">Description</th><th scope="col">Origin</th></tr></thead><tbody>
    ${connectors.map(c => `<tr><td>${esc(c.title || c.name)} <code>${esc(c.name)}</code></td><td>${esc(c.kind)}</td><td>${esc(c.version)}</td><td>${esc(c.description || '')}</td><td>${esc(c.origin)}</td></tr>`).join('')}
    </tbody></table></div><p>Each connector's settings are documented in its spec (<code>GET /api/v1/connectors/&lt;name&gt;/spec</code>) and in the project's docs/connectors/.</p>`);
}

async function settings() {
  const { tokens } = await api('GET', '/tokens');
  render(`<h1 class="h3">Settings: API tokens</h1>
    <form id="newtoken" class="row g-2 align-items-end mb-3">
      <div class="col-sm-5"><label class="form-label" for="t-name">Token name</label><input class="form-control" id="t-name" required></div>
      <div class="col-sm-4"><label class="form-label" for="t-role">Role</label><select class="form-select" id="t-role"><option>viewer</option><option>editor</option><option>admin</option></select></div>
      <div class="col-sm-3"><button class="btn btn-primary" type="submit">Create token</button></div></form>
    <div id="out" aria-live="polite"></div>
    <div class="table-responsive"><table class="table"><thead><tr><th scope="col">Name</th><th scope="col">Role</th><th scope="col">Created</th><th scope="col">Last used</th><th scope="col"><span class="visually-hidden">Actions</span></th></tr></thead><tbody>
    ${tokens.map(t => `<tr><td>${esc(t.name)}</td><td>${esc(t.role)}</td><td>${esc(t.created_at)} by ${esc(t.created_by)}</td><td>${esc(t.last_used_at || 'never')}</td>
      <td><button class="btn btn-sm btn-outline-danger revoke" data-name="${esc(t.name)}">Revoke ${esc(t.name)}</button></td></tr>`).join('')}</tbody></table></div>`);
  const out = main.querySelector('#out');
  main.querySelector('#newtoken').addEventListener('submit', async e => {
    e.preventDefault();
    try {
      const t = await api('POST', '/tokens', { name: main.querySelector('#t-name').value.trim(), role: main.querySelector('#t-role').value });
      await settings();
      main.querySelector('#out').innerHTML = `<div class="alert alert-warning" role="status">Token <strong>${esc(t.name)}</strong> (${esc(t.role)}) created. Copy it now, it is shown only this once:
        <label class="visually-hidden" for="secret">New token</label><input class="form-control mt-2" id="secret" readonly value="${esc(t.token)}"></div>`;
    } catch (err) { out.innerHTML = alertBox('danger', err.message); }
  });
  main.querySelectorAll('.revoke').forEach(b => b.addEventListener('click', async () => {
    if (!confirm('Revoke token ' + b.dataset.name + '? Requests with it are refused at once.')) return;
    try { await api('DELETE', '/tokens/' + encodeURIComponent(b.dataset.name)); await settings(); } catch (err) { out.innerHTML = alertBox('danger', err.message); }
  }));
}

// ---- router
async function route() {
  stopWatching();
  if (!me) {
    const r = await fetch('/ui/session');
    if (r.ok) me = await r.json();
  }
  nav();
  const parts = location.hash.replace(/^#\/?/, '').split('/').map(decodeURIComponent);
  if (!me) { signIn(); return; }
  try {
    switch (parts[0]) {
      case 'connections': return parts[2] === 'edit' ? await wizard(parts[1]) : parts[1] ? await connection(parts[1]) : await connections();
      case 'new-connection': return await wizard();
      case 'sources': case 'destinations': return parts[1] ? await definition(parts[0], parts[1]) : await definitions(parts[0]);
      case 'catalog': return await catalogPage();
      case 'settings': return await settings();
      case 'signin': location.hash = '#/connections'; return;
      default: location.hash = '#/connections';
    }
  } catch (e) {
    render(alertBox('danger', e.message));
  } finally {
    main.focus({ preventScroll: true });
  }
}

window.addEventListener('hashchange', route);
route();
