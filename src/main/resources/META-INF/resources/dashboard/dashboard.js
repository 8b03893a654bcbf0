// AppManager operator page (docs/dashboard.md). Vanilla JS, no build, no external resources.
// Every value from the server is rendered with textContent and createElement, never parsed as markup.
'use strict';

(function () {
  const TOKEN_KEY = 'appmanager.dashboard.token';
  const ADMIN_TOPIC = 'admin.app-sessions';
  const SESSION_ROWS = 50;
  const RATES_EVERY_MS = 15000;
  /** Without live updates (topic refused, socket down) the counts and the list are polled this often. */
  const POLL_EVERY_MS = 15000;
  /** Close codes after which reconnecting cannot help (docs/protocol.md, close codes). */
  const FATAL_CLOSES = [4003, 4004, 4012, 4013, 4014];
  const RATES = [
    ['reconnect_success_rate', 'Reconnect success rate', percent],
    ['avg_reconnect_latency_ms', 'Reconnect latency (mean)', millis],
    ['resurrection_rate', 'Resurrection rate (of drops)', percent],
    ['false_resurrection_rate', 'False-resurrection rate', percent],
    ['resurrections_per_minute', 'Resurrections per minute', decimal],
    ['resurrection_attempts', 'Resurrection attempts (retries included)', integer],
    ['drops', 'Drops', integer],
  ];

  const $ = (id) => document.getElementById(id);
  let token = null;
  /** Bumped at every sign-in and sign-out: answers and sockets of an older one are ignored. */
  let epoch = 0;
  let counts = null;
  let selectedId = null;
  let socket = null;
  let heartbeat = null;
  let awaitingAck = false;
  let lastSeq = null;
  let reconnectTimer = null;
  let reconnectDelay = 1000;
  let live = false;
  /** How many times this page went live (READY with the admin topic); shown, and read by the browser test. */
  let connects = 0;
  const timers = [];

  // ------------------------------------------------------------------ HTTP

  class Refused extends Error {
    constructor(status, body) {
      const err = body && body.error ? body.error : {};
      super(err.message || ('HTTP ' + status));
      this.status = status;
      this.code = err.code || ('http_' + status);
      this.field = err.field || null;
    }
  }

  async function api(path) {
    if (token === null) {
      throw new Stale(); // a throttled refresh that fires after sign-out
    }
    const mine = epoch;
    const res = await fetch(path, {
      headers: { 'Authorization': 'Bearer ' + token, 'Accept': 'application/json' },
      cache: 'no-store',
    });
    let body = null;
    try {
      body = await res.json();
    } catch (e) {
      body = null;
    }
    if (mine !== epoch) {
      throw new Stale();
    }
    if (!res.ok) {
      const refused = new Refused(res.status, body);
      if (res.status === 401 || res.status === 403) {
        signOut(authMessage(refused));
      }
      throw refused;
    }
    return body;
  }

  class Stale extends Error {
  }

  function authMessage(refused) {
    if (refused.status === 401) {
      return 'The token was refused (401 ' + refused.code + ': ' + refused.message + '). Paste a valid admin token.';
    }
    return 'This token may not read the admin API (403 ' + refused.code + ': ' + refused.message
      + '). The operator page needs a token with "admin": true.';
  }

  /** Runs an async job; a stale answer is dropped, an auth refusal has already signed out, the rest is shown. */
  function run(job, where) {
    job().catch((e) => {
      if (e instanceof Stale || (e instanceof Refused && (e.status === 401 || e.status === 403))) {
        return;
      }
      showMessage((where ? where + ': ' : '') + e.message);
    });
  }

  /** At most one call per {@code ms}; a call during the wait is done once at its end. */
  function throttle(fn, ms) {
    let timer = null;
    let again = false;
    const fire = () => {
      timer = null;
      if (again) {
        again = false;
        fn();
        timer = setTimeout(fire, ms);
      }
    };
    return () => {
      if (timer) {
        again = true;
        return;
      }
      fn();
      timer = setTimeout(fire, ms);
    };
  }

  // ------------------------------------------------------------------ sign in and out

  function signIn(candidate) {
    epoch++;
    token = candidate;
    hideMessage();
    setStatus('connecting', 'Checking the token…');
    const mine = epoch;
    loadCounts().then(() => {
      if (mine !== epoch) {
        return;
      }
      sessionStorage.setItem(TOKEN_KEY, candidate);
      $('data').hidden = false;
      $('logout').hidden = false;
      $('token').value = '';
      run(loadRates, 'rates');
      run(loadSessions, 'sessions');
      timers.push(setInterval(() => run(loadRates, 'rates'), RATES_EVERY_MS));
      timers.push(setInterval(() => {
        if (!live) {
          run(loadCounts, 'counts');
          run(loadSessions, 'sessions');
        }
      }, POLL_EVERY_MS));
      connect();
    }).catch((e) => {
      if (!(e instanceof Stale) && !(e instanceof Refused && (e.status === 401 || e.status === 403))) {
        setStatus('offline', 'Not connected');
        showMessage('counts: ' + e.message);
      }
    });
  }

  /** Forgets the token and every datum shown: after a refusal nothing of the previous view may remain. */
  function signOut(message) {
    epoch++;
    token = null;
    sessionStorage.removeItem(TOKEN_KEY);
    while (timers.length) {
      clearInterval(timers.pop());
    }
    closeSocket();
    counts = null;
    selectedId = null;
    connects = 0;
    delete $('conn').dataset.connects;
    for (const id of ['counts', 'rates', 'sessions', 'history']) {
      $(id).querySelector('tbody').replaceChildren();
    }
    $('feed').replaceChildren();
    $('count-live').textContent = '';
    $('count-total').textContent = '';
    $('rates-at').textContent = '';
    $('history').hidden = true;
    $('history-message').hidden = true;
    $('data').hidden = true;
    $('logout').hidden = true;
    setStatus('offline', 'Not connected');
    if (message) {
      showMessage(message);
    } else {
      hideMessage();
    }
  }

  // ------------------------------------------------------------------ counts

  let countsAsked = 0;
  let countsShown = 0;

  async function loadCounts() {
    const asked = ++countsAsked;
    const body = await api('/api/v1/app-sessions/counts');
    if (asked < countsShown) {
      return; // an older read answered after a newer one: it would undo transitions the newer one has
    }
    countsShown = asked;
    counts = body.counts;
    renderCounts();
  }

  const refreshCounts = throttle(() => run(loadCounts, 'counts'), 1000);

  function renderCounts() {
    const tbody = $('counts').querySelector('tbody');
    tbody.replaceChildren();
    let liveCount = 0;
    let total = 0;
    for (const [state, n] of Object.entries(counts)) {
      const tr = el('tr', null, [el('th', state, []), el('td', String(n), [], 'num count')]);
      tr.dataset.state = state;
      tr.querySelector('th').scope = 'row';
      tbody.append(tr);
      total += n;
      if (state !== 'STOPPED' && state !== 'EVICTED') {
        liveCount += n;
      }
    }
    $('count-live').textContent = String(liveCount);
    $('count-total').textContent = String(total);
  }

  // ------------------------------------------------------------------ rates

  async function loadRates() {
    const body = await api('/api/v1/stats');
    const tbody = $('rates').querySelector('tbody');
    tbody.replaceChildren();
    for (const [key, label, format] of RATES) {
      const cells = [el('th', label, [])];
      for (const w of ['1m', '5m', '15m']) {
        const window = body.windows && body.windows[w] ? body.windows[w] : {};
        const td = el('td', format(window[key]), [], 'num');
        td.dataset.window = w;
        cells.push(td);
      }
      const tr = el('tr', null, cells);
      tr.dataset.rate = key;
      tbody.append(tr);
    }
    $('rates-at').textContent = 'As of ' + utc(body.at) + ' UTC; a dash means nothing to divide by (no attempts), not zero.';
  }

  const refreshRates = throttle(() => run(loadRates, 'rates'), 2000);

  function percent(v) {
    return v === null || v === undefined ? '—' : (v * 100).toFixed(1) + ' %';
  }

  function millis(v) {
    return v === null || v === undefined ? '—' : Math.round(v) + ' ms';
  }

  function decimal(v) {
    return v === null || v === undefined ? '—' : Number(v).toFixed(2);
  }

  function integer(v) {
    return v === null || v === undefined ? '—' : String(v);
  }

  // ------------------------------------------------------------------ recent sessions

  /**
   * One list per read of the sessions in flight (sign-in and going live may overlap): the transitions heard
   * while it is read, which the list may predate, are applied again on top of it.
   */
  const heardDuringLoads = new Set();

  async function loadSessions() {
    const heard = [];
    heardDuringLoads.add(heard);
    let body;
    try {
      body = await api('/api/v1/app-sessions?limit=' + SESSION_ROWS);
    } finally {
      heardDuringLoads.delete(heard);
    }
    const tbody = $('sessions').querySelector('tbody');
    tbody.replaceChildren();
    for (const s of body.data) {
      tbody.append(sessionRow(s.id, s.package_name, s.user_session_id, s.state, s.updated_at));
    }
    for (const t of heard) {
      updateSessionRow(t);
    }
  }

  function sessionRow(id, packageName, userSession, state, at) {
    const tr = el('tr', null, [
      el('td', id, [], 'id'),
      el('td', packageName, []),
      el('td', userSession, []),
      el('td', state, [], 'state'),
      el('td', utc(at), [], 'at'),
    ]);
    tr.dataset.id = id;
    tr.tabIndex = 0;
    if (id === selectedId) {
      tr.classList.add('selected');
    }
    return tr;
  }

  function onSessionClick(event) {
    const tr = event.target.closest('tr[data-id]');
    if (tr) {
      showHistory(tr.dataset.id);
    }
  }

  /** A transition from the admin topic: the row moves to the top with its new state, or is added. */
  function updateSessionRow(t) {
    const tbody = $('sessions').querySelector('tbody');
    const old = findRow(tbody, t.id);
    if (old) {
      old.remove();
    }
    tbody.prepend(sessionRow(t.id, t.package_name, t.user_session_id, t.to, t.at));
    while (tbody.rows.length > SESSION_ROWS) {
      tbody.deleteRow(-1);
    }
  }

  function findRow(tbody, id) {
    for (const tr of tbody.rows) {
      if (tr.dataset.id === id) {
        return tr;
      }
    }
    return null;
  }

  // ------------------------------------------------------------------ history

  function showHistory(id) {
    selectedId = id.trim();
    $('history-id').value = selectedId;
    for (const tr of $('sessions').querySelector('tbody').rows) {
      tr.classList.toggle('selected', tr.dataset.id === selectedId);
    }
    run(loadHistory);
  }

  let historyAsked = 0;
  let historyShown = 0;

  async function loadHistory() {
    const id = selectedId;
    if (!id) {
      return;
    }
    const asked = ++historyAsked;
    let body;
    try {
      body = await api('/api/v1/app-sessions/' + encodeURIComponent(id) + '/transitions');
    } catch (e) {
      if (e instanceof Refused && e.status === 404 && id === selectedId) {
        $('history').hidden = true;
        $('history-message').textContent = 'No app session ' + id + '.';
        $('history-message').hidden = false;
        return;
      }
      throw e;
    }
    if (id !== selectedId || asked < historyShown) {
      return; // another session was chosen meanwhile, or a newer read of this one is already shown
    }
    historyShown = asked;
    const tbody = $('history').querySelector('tbody');
    tbody.replaceChildren();
    for (const h of body.data) {
      const tr = el('tr', null, [
        el('td', utc(h.at), []),
        el('td', h.from || '—', [], 'from'),
        el('td', h.to, [], 'to'),
        el('td', h.event, [], 'event'),
        el('td', detail(h.detail), [], 'detail'),
        el('td', h.node || '', []),
      ]);
      tr.dataset.event = h.event;
      tbody.append(tr);
    }
    $('history-title').textContent = 'App session ' + id + ': ' + body.data.length + ' transitions, oldest first';
    $('history-message').hidden = true;
    $('history').hidden = false;
  }

  const refreshHistory = throttle(() => run(loadHistory, 'history'), 500);

  function detail(d) {
    if (!d) {
      return '';
    }
    return Object.entries(d).map(([k, v]) => k + '=' + (typeof v === 'object' ? JSON.stringify(v) : String(v))).join(' ');
  }

  // ------------------------------------------------------------------ gateway: the admin topic, live

  async function gatewayUrl() {
    try {
      const res = await fetch('/api/v1/gateway', { cache: 'no-store' });
      const body = await res.json();
      if (body && body.data && body.data.url) {
        return body.data.url;
      }
    } catch (e) {
      // fall back to this page's own host
    }
    return (location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + '/ws?v=1&encoding=json';
  }

  function connect() {
    const mine = epoch;
    clearTimeout(reconnectTimer);
    setStatus(live ? 'reconnecting' : 'connecting', 'Connecting to the gateway…');
    gatewayUrl().then((url) => {
      if (mine !== epoch) {
        return;
      }
      let ws;
      try {
        ws = new WebSocket(url);
      } catch (e) {
        onClose(1006, 'cannot open ' + url + ': ' + e.message); // e.g. a URL the page's policy refuses
        return;
      }
      socket = ws;
      ws.onmessage = (m) => {
        if (ws === socket) {
          onFrame(ws, JSON.parse(m.data));
        }
      };
      ws.onclose = (e) => {
        if (ws === socket) {
          onClose(e.code, e.reason);
        }
      };
    });
  }

  function onFrame(ws, f) {
    if (typeof f.seq === 'number') {
      lastSeq = f.seq;
    }
    switch (f.op) {
      case 5: // HELLO
        startHeartbeat(ws, f.data.heartbeat_interval);
        ws.send(JSON.stringify({ op: 2, data: { token: 'Bearer ' + token, intents: [], properties: { client: 'appmanager-dashboard' } } }));
        break;
      case 4: // HEARTBEAT_ACK
        awaitingAck = false;
        break;
      case 6: // RECONNECT: the node drains; a fresh IDENTIFY elsewhere and a refetch cover what we miss
        ws.close(4000, 'reconnect');
        break;
      case 0:
        if (f.type === 'ready') {
          onReady(ws, f.data);
        } else if (f.type === 'subscriptions.update') {
          onSubscriptions(f.data);
        } else if (f.type === 'app_session.transition') {
          onTransition(f.data);
        }
        break;
      default:
        break; // INVALID_SESSION: its close follows
    }
  }

  function onReady(ws, ready) {
    if ((ready.topics || []).includes(ADMIN_TOPIC)) {
      goLive();
    } else {
      // a glob such as admin.* is not subscribed at IDENTIFY; ask for the topic itself
      ws.send(JSON.stringify({ op: 12, data: { add: [ADMIN_TOPIC] } }));
    }
  }

  function onSubscriptions(update) {
    if ((update.topics || []).includes(ADMIN_TOPIC)) {
      goLive();
      return;
    }
    const refused = (update.refused || []).find((r) => r.topic === ADMIN_TOPIC);
    if (refused) {
      live = false;
      setStatus('refused', 'No live updates: this token may not hear ' + ADMIN_TOPIC + ' (' + refused.reason
        + '); give it a topics claim that covers it. Refreshing every ' + POLL_EVERY_MS / 1000 + ' s meanwhile.');
    }
  }

  /** Subscribed: from now on no transition is missed, so one refetch makes the view whole. */
  function goLive() {
    if (live && $('conn').dataset.status === 'live') {
      return;
    }
    live = true;
    reconnectDelay = 1000;
    connects++;
    $('conn').dataset.connects = String(connects);
    setStatus('live', connects === 1 ? 'Live' : 'Live (reconnected ' + (connects - 1) + ' times)');
    run(loadCounts, 'counts');
    run(loadSessions, 'sessions');
    refreshRates();
    if (selectedId) {
      refreshHistory();
    }
  }

  function onTransition(t) {
    if (counts) {
      if (t.from && counts[t.from] > 0) {
        counts[t.from]--;
      }
      counts[t.to] = (counts[t.to] || 0) + 1;
      renderCounts();
    }
    refreshCounts(); // the deltas above are instant; the refetch makes them exact
    updateSessionRow(t);
    for (const heard of heardDuringLoads) {
      heard.push(t);
    }
    addToFeed(t);
    refreshRates();
    if (t.id === selectedId) {
      refreshHistory();
    }
  }

  function addToFeed(t) {
    const li = el('li', utc(t.at) + '  ' + t.id + '  ' + t.package_name + '  ' + (t.from || '—') + ' → ' + t.to
      + '  (' + t.event + ')', []);
    li.dataset.id = t.id;
    li.dataset.to = t.to;
    const feed = $('feed');
    feed.prepend(li);
    while (feed.children.length > 100) {
      feed.lastElementChild.remove();
    }
  }

  function startHeartbeat(ws, interval) {
    clearInterval(heartbeat);
    awaitingAck = false;
    heartbeat = setInterval(() => {
      if (awaitingAck) {
        ws.close(4000, 'no heartbeat ack'); // a dead connection: reconnect
        return;
      }
      awaitingAck = true;
      ws.send(JSON.stringify({ op: 1, data: lastSeq }));
    }, interval);
  }

  function onClose(code, reason) {
    clearInterval(heartbeat);
    socket = null;
    live = false;
    if (token === null) {
      return;
    }
    if (FATAL_CLOSES.includes(code)) {
      setStatus('refused', 'The gateway refused this token (' + code + (reason ? ': ' + reason : '')
        + '); no live updates. Refreshing every ' + POLL_EVERY_MS / 1000 + ' s meanwhile.');
      return;
    }
    const wait = Math.round(reconnectDelay * (0.5 + Math.random() / 2));
    reconnectDelay = Math.min(reconnectDelay * 2, 30000);
    setStatus('reconnecting', 'Disconnected (' + code + (reason ? ': ' + reason : '') + '); reconnecting in '
      + Math.ceil(wait / 1000) + ' s');
    reconnectTimer = setTimeout(connect, wait);
  }

  function closeSocket() {
    clearTimeout(reconnectTimer);
    clearInterval(heartbeat);
    live = false;
    const ws = socket;
    socket = null;
    if (ws) {
      ws.close(1000, 'signed off');
    }
  }

  // ------------------------------------------------------------------ DOM helpers

  function el(tag, text, children, className) {
    const e = document.createElement(tag);
    if (text !== null && text !== undefined) {
      e.textContent = text;
    }
    for (const c of children) {
      e.append(c);
    }
    if (className) {
      e.className = className;
    }
    return e;
  }

  function utc(at) {
    return at ? String(at).replace('T', ' ').replace(/\.\d+Z$|Z$/, '') : '';
  }

  function setStatus(status, text) {
    $('conn').dataset.status = status;
    $('conn').textContent = text;
  }

  function showMessage(text) {
    $('message').textContent = text;
    $('message').hidden = false;
  }

  function hideMessage() {
    $('message').hidden = true;
    $('message').textContent = '';
  }

  // ------------------------------------------------------------------ wiring

  document.addEventListener('DOMContentLoaded', () => {
    $('login').addEventListener('submit', (e) => {
      e.preventDefault();
      const candidate = $('token').value.trim().replace(/^Bearer\s+/i, '');
      if (candidate) {
        signOut(null);
        signIn(candidate);
      }
    });
    $('logout').addEventListener('click', () => signOut(null));
    $('history-form').addEventListener('submit', (e) => {
      e.preventDefault();
      if ($('history-id').value.trim()) {
        showHistory($('history-id').value);
      }
    });
    $('sessions').addEventListener('click', onSessionClick);
    $('sessions').addEventListener('keydown', (e) => {
      if (e.key === 'Enter') {
        onSessionClick(e);
      }
    });
    window.addEventListener('pagehide', closeSocket);
    const saved = sessionStorage.getItem(TOKEN_KEY);
    if (saved) {
      signIn(saved);
    }
  });
}());
