// llm-slo dashboard: vanilla JS, no build step, no external resources.
// Every piece of data reaches the page through textContent / setAttribute (never innerHTML),
// so cohort names and other strings from the tables cannot inject markup.
'use strict';

(function () {
  const SVG = 'http://www.w3.org/2000/svg';
  const FAMILIES = ['quality', 'latency', 'cost', 'availability'];
  const STATUS_LABEL = { ok: 'OK', breach: 'Breach', insufficient_data: 'Insufficient' };
  const SEVERITY_LABEL = { page_rollback: 'page · rollback', page: 'page', ticket: 'ticket', digest: 'digest' };
  const REFRESH_MS = 60000;

  const state = { status: null, alerts: null, calibration: null, dead: null, selected: null };

  // ------------------------------------------------------------------ DOM helpers

  function h(tag, props, children) {
    const el = document.createElement(tag);
    applyProps(el, props);
    append(el, children);
    return el;
  }

  function s(tag, attrs, children) {
    const el = document.createElementNS(SVG, tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v !== null && v !== undefined) el.setAttribute(k, String(v));
    }
    append(el, children);
    return el;
  }

  function applyProps(el, props) {
    for (const [k, v] of Object.entries(props || {})) {
      if (v === null || v === undefined || v === false) continue;
      if (k === 'class') el.className = v;
      else if (k === 'text') el.textContent = v;
      else if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
      else el.setAttribute(k, v === true ? '' : String(v));
    }
  }

  function append(el, children) {
    if (children === null || children === undefined) return;
    for (const c of Array.isArray(children) ? children : [children]) {
      if (c === null || c === undefined || c === false) continue;
      el.appendChild(typeof c === 'string' || typeof c === 'number' ? document.createTextNode(String(c)) : c);
    }
  }

  function clear(el) {
    while (el.firstChild) el.removeChild(el.firstChild);
    return el;
  }

  function $(id) { return document.getElementById(id); }

  // ------------------------------------------------------------------ formatting

  const isNum = (v) => typeof v === 'number' && isFinite(v);

  function ratioDigits(target) {
    if (!isNum(target) || target >= 1 || target <= 0) return 2;
    const d = Math.ceil(-Math.log10(1 - target)) - 1;
    return Math.min(4, Math.max(1, d));
  }

  // "surface=agent,cohort.locale=ja-JP" reads as "surface=agent, locale=ja-JP"; the raw key stays
  // in data attributes and tooltips
  function cohortLabel(c) {
    if (c === '*') return '* (all traffic)';
    return String(c).replace(/(^|,)cohort\./g, '$1').replace(/,/g, ', ');
  }

  // the label with each dimension unbreakable, so a narrow column wraps only between dimensions
  function cohortNodes(c) {
    const parts = cohortLabel(c).split(', ');
    const out = [];
    parts.forEach((p, i) => {
      if (i) out.push(', ');
      out.push(h('span', { class: 'dim', text: p }));
    });
    return out;
  }

  function isDrift(slo) { return slo === 'quality.refusal_drift'; }

  function fmtValue(slo, v, target) {
    if (!isNum(v)) return '—';
    if (isDrift(slo)) return (v >= 0 ? '+' : '') + (v * 100).toFixed(2) + ' pp';
    return (v * 100).toFixed(ratioDigits(target)) + '%';
  }

  function fmtTarget(slo, t) {
    if (!isNum(t)) return '—';
    if (isDrift(slo)) return '≤ +' + (t * 100).toFixed(2) + ' pp';
    return '≥ ' + (t * 100).toFixed(ratioDigits(t)) + '%';
  }

  function fmtCi(slo, lo, hi, target) {
    if (!isNum(lo) || !isNum(hi)) return '—';
    if (isDrift(slo)) return '[' + (lo * 100).toFixed(2) + ', ' + (hi * 100).toFixed(2) + '] pp';
    const d = ratioDigits(target);
    return '[' + (lo * 100).toFixed(d) + ', ' + (hi * 100).toFixed(d) + ']';
  }

  function fmtQuantile(slo, v) {
    if (!isNum(v)) return '—';
    if (slo.startsWith('cost.')) return '$' + (v >= 1 ? v.toFixed(2) : v.toFixed(4));
    if (slo.startsWith('latency.') || slo.startsWith('availability.failover')) {
      return v >= 1000 ? (v / 1000).toFixed(2) + ' s' : Math.round(v) + ' ms';
    }
    return v.toPrecision(4);
  }

  function fmtBurn(v) {
    if (!isNum(v)) return '—';
    return v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2);
  }

  function fmtTime(iso) {
    if (!iso) return '—';
    return String(iso).replace('T', ' ').replace(/:\d\d(\.\d+)?Z$/, '');
  }

  function fmtShort(iso) {
    return iso ? fmtTime(iso).slice(5) : '—';
  }

  function fmtCount(n) {
    return isNum(n) ? n.toLocaleString('en-US') : '—';
  }

  function fmtP(p) {
    if (!isNum(p)) return '—';
    return p < 0.001 ? p.toExponential(1) : p.toFixed(3);
  }

  // ------------------------------------------------------------------ cells

  function badge(status) {
    return h('span', { class: 'badge ' + (status || 'insufficient_data'), text: STATUS_LABEL[status] || status || '—',
      title: status === 'insufficient_data' ? 'insufficient data: n below min_n, no verdict' : null });
  }

  function sevPill(sev) {
    if (!sev) return h('span', { class: 'muted', text: '—' });
    return h('span', { class: 'sev ' + sev, text: SEVERITY_LABEL[sev] || sev });
  }

  function burnCell(v) {
    const cls = !isNum(v) ? 'muted' : v >= 6 ? 'burn hot' : v >= 1 ? 'burn warm' : 'burn cool';
    return h('td', { class: cls, text: fmtBurn(v) });
  }

  function budgetCell(v) {
    if (!isNum(v)) return h('td', { class: 'muted', text: '—' });
    const pct = Math.max(0, Math.min(1, v)) * 100;
    const cls = v <= 0 ? 'budget out' : v < 0.25 ? 'budget low' : 'budget';
    const bar = h('span', { class: 'bar' }, h('i'));
    bar.firstChild.style.width = pct.toFixed(1) + '%';
    const label = (v < 0 ? '−' : '') + Math.abs(Math.round(v * 100)) + '%';
    return h('td', {}, h('span', { class: cls, title: v <= 0 ? 'error budget exhausted (' + label + ' remaining)'
      : 'error budget remaining over the budget period' }, [bar, label]));
  }

  function trendCell(r) {
    if (!r.trend) return h('td', { class: 'muted', text: '—' });
    const was = 'a week ago: ' + fmtValue(r.slo, r.value_7d_ago, r.target);
    if (r.trend === 'flat') return h('td', { class: 'trend flat', title: was, text: '→' });
    const good = (r.trend === 'up') === (r.better !== 'lower');
    return h('td', { class: 'trend ' + (good ? 'good' : 'bad'), title: was, text: r.trend === 'up' ? '▲' : '▼' });
  }

  // ------------------------------------------------------------------ filters

  function filters() {
    return {
      cohort: $('cohort-filter').value,
      text: $('text-filter').value.trim().toLowerCase(),
      problems: $('problems-only').checked,
    };
  }

  function visible(r, f) {
    if (f.cohort && r.cohort !== f.cohort) return false;
    if (f.text && !(r.slo + ' ' + r.cohort).toLowerCase().includes(f.text)) return false;
    if (f.problems && r.status !== 'breach' && !r.alert) return false;
    return true;
  }

  function fillCohorts(cohorts) {
    const sel = $('cohort-filter');
    const current = sel.value;
    while (sel.options.length > 1) sel.remove(1);
    for (const c of cohorts) sel.appendChild(h('option', { value: c, text: cohortLabel(c) }));
    if (cohorts.includes(current)) sel.value = current;
  }

  // ------------------------------------------------------------------ renderers

  function renderTiles() {
    const root = clear($('tiles'));
    for (const fam of state.status.families) {
      const c = fam.counts;
      const cls = 'tile' + (c.breach > 0 ? ' has-breach' : c.alerts > 0 ? ' has-alert' : '');
      root.appendChild(h('div', { class: cls, 'data-family': fam.family }, [
        h('div', { class: 't-name', text: fam.family }),
        h('div', { class: 't-nums' }, [
          h('div', { class: 't-num ok' }, [h('b', { text: fmtCount(c.ok) }), h('span', { text: 'ok' })]),
          h('div', { class: 't-num' + (c.breach ? ' bad' : '') }, [h('b', { text: fmtCount(c.breach) }), h('span', { text: 'breach' })]),
          h('div', { class: 't-num' + (c.alerts ? ' warn' : '') }, [h('b', { text: fmtCount(c.alerts) }), h('span', { text: 'alerting' })]),
          h('div', { class: 't-num' }, [h('b', { text: fmtCount(c.insufficient_data) }), h('span', { text: 'insufficient' })]),
        ]),
      ]));
    }
  }

  // [header, alignment class, width in px (null: the cohort takes the rest)]; fixed widths keep
  // the four family tables aligned with each other
  const COLUMNS = [
    ['SLO · target', 'l', 140], ['Cohort', 'l', null], ['Value', '', 76], ['95% CI', '', 124],
    ['Status', 'l', 104], ['Burn 1h', '', 54], ['6h', '', 46], ['24h', '', 46], ['7d', '', 46],
    ['Budget', '', 92], ['Alert', 'l', 96], ['Quantile', '', 72], ['Trend', '', 44], ['n', '', 58],
  ];

  function renderFamilies() {
    const root = clear($('families'));
    const f = filters();
    const families = state.status.families.slice().sort((a, b) => rank(a.family) - rank(b.family));
    for (const fam of families) {
      const rows = fam.rows.filter((r) => visible(r, f));
      const card = h('section', { class: 'card family', id: 'family-' + fam.family, 'data-family': fam.family });
      card.appendChild(h('div', { class: 'card-head' }, [
        h('h2', { text: fam.family }),
        h('span', { class: 'count', text: rows.length + ' of ' + fam.rows.length + ' (slo, cohort)' }),
      ]));
      if (rows.length === 0) {
        card.appendChild(h('div', { class: 'empty', text: fam.rows.length ? 'No rows match the filter.' : 'No data yet.' }));
        root.appendChild(card);
        continue;
      }
      const cols = h('colgroup', {}, COLUMNS.map(([, , w]) => {
        const col = h('col');
        if (w) col.style.width = w + 'px';
        return col;
      }));
      const thead = h('thead', {}, h('tr', {}, COLUMNS.map(([t, c]) => h('th', { class: c, text: t }))));
      const tbody = h('tbody');
      for (const r of rows) tbody.appendChild(statusRow(r));
      card.appendChild(h('div', { class: 'table-wrap' }, h('table', { class: 'status' }, [cols, thead, tbody])));
      root.appendChild(card);
    }
  }

  function rank(family) {
    const i = FAMILIES.indexOf(family);
    return i < 0 ? FAMILIES.length : i;
  }

  function statusRow(r) {
    const sel = state.selected && state.selected.slo === r.slo && state.selected.cohort === r.cohort;
    const tr = h('tr', {
      class: 'row ' + (r.status || '') + (sel ? ' selected' : ''),
      'data-slo': r.slo, 'data-cohort': r.cohort, 'data-status': r.status || '',
      title: 'Show the 30-day history of ' + r.slo + ' for ' + r.cohort,
      onclick: () => select(r.slo, r.cohort),
    });
    append(tr, [
      h('td', { class: 'l slo', title: r.slo + ', window ' + (r.window || '?') }, [
        h('div', { text: r.slo.replace(/^[a-z]+\./, '') }),
        h('div', { class: 'target', text: fmtTarget(r.slo, r.target) + ' · ' + (r.window || '?') })]),
      h('td', { class: 'l cohort', title: r.cohort }, cohortNodes(r.cohort)),
      h('td', { class: 'value', text: fmtValue(r.slo, r.value, r.target) }),
      h('td', { class: 'muted', text: fmtCi(r.slo, r.ci_low, r.ci_high, r.target) }),
      h('td', { class: 'l', title: 'p = ' + fmtP(r.p_value) + ', window ' + (r.window || '?') }, badge(r.status)),
      burnCell(r.burn_1h), burnCell(r.burn_6h), burnCell(r.burn_24h), burnCell(r.burn_7d),
      budgetCell(r.budget_remaining),
      h('td', { class: 'l' }, sevPill(r.alert)),
      h('td', { class: isNum(r.quantile_value) ? '' : 'muted', text: fmtQuantile(r.slo, r.quantile_value) }),
      trendCell(r),
      h('td', { class: 'muted', text: fmtCount(r.n) }),
    ]);
    return tr;
  }

  function renderOpenAlerts() {
    const root = clear($('open-alerts'));
    const open = state.alerts.open;
    $('open-count').textContent = open.length ? open.length + ' firing' : '';
    if (!open.length) {
      root.appendChild(h('div', { class: 'empty', text: 'No open alerts.' }));
      return;
    }
    for (const a of open) {
      const burn = isNum(a.burn_long)
        ? 'burn ' + fmtBurn(a.burn_long) + '× (' + (a.long_window || '?') + ')'
          + (isNum(a.burn_short) ? ' / ' + fmtBurn(a.burn_short) + '× (' + a.short_window + ')' : '')
        : 'window ' + (a.long_window || '?');
      root.appendChild(h('div', {
        class: 'alert-item open-alert', 'data-slo': a.slo, 'data-cohort': a.cohort, 'data-severity': a.severity,
        onclick: () => select(a.slo, a.cohort),
      }, [
        h('div', { class: 'a-top' }, [sevPill(a.severity), h('span', { class: 'a-slo', text: a.slo })]),
        h('div', { class: 'a-cohort', title: a.cohort, text: cohortLabel(a.cohort) }),
        h('div', { class: 'a-meta', text: 'since ' + fmtTime(a.since) + ' · ' + burn + ' · p ' + fmtP(a.p_value) + ' · n ' + fmtCount(a.n) }),
      ]));
    }
  }

  function renderRecent() {
    const root = clear($('recent-alerts'));
    const rows = state.alerts.recent;
    if (!rows.length) {
      root.appendChild(h('div', { class: 'empty', text: 'No alert transitions yet.' }));
      return;
    }
    const body = h('tbody');
    for (const a of rows) {
      body.appendChild(h('tr', { class: 'row', onclick: () => select(a.slo, a.cohort) }, [
        h('td', { class: 'l muted', text: fmtShort(a.at) }),
        h('td', { class: 'l', title: a.slo + ' · ' + a.cohort }, [
          h('div', { text: a.slo }), h('div', { class: 'muted', text: cohortLabel(a.cohort) })]),
        h('td', { class: 'l' }, sevPill(a.severity)),
        h('td', { class: 'l state ' + a.state, text: a.state }),
      ]));
    }
    root.appendChild(h('table', { class: 'side-table' }, [
      h('thead', {}, h('tr', {}, ['At (UTC)', 'SLO · cohort', 'Severity', 'State'].map((t) => h('th', { class: 'l', text: t })))),
      body]));
  }

  function pct(v) { return isNum(v) ? (v * 100).toFixed(1) + '%' : '—'; }

  function renderCalibration() {
    const root = clear($('calibration'));
    const rows = state.calibration.rubrics;
    if (!rows.length) {
      root.appendChild(h('div', { class: 'empty', text: 'No judge scores or calibration pairs yet.' }));
      return;
    }
    const metric = (label, value, cls, title) =>
      h('div', { class: 'c-m' + (cls ? ' ' + cls : ''), title: title || null }, [h('b', { text: value }), h('span', { text: label })]);
    for (const c of rows) {
      root.appendChild(h('div', { class: 'calib', 'data-rubric': c.rubric, 'data-version': String(c.rubric_version),
        'data-alert': String(!!c.alert) }, [
        h('div', { class: 'c-head' }, [
          h('b', { text: c.rubric }), h('span', { class: 'muted', text: 'v' + c.rubric_version }),
          c.alert ? h('span', { class: 'badge alerting', text: 'below min agreement' }) : null,
        ]),
        h('div', { class: 'c-sub muted', text: fmtCount(c.n_pairs) + ' judge–human pairs · '
          + (c.eval_time ? 'as of ' + fmtTime(c.eval_time) + ' UTC' : 'not calibrated yet') }),
        h('div', { class: 'c-grid' }, [
          metric('useful · min ' + pct(c.min_agreement), pct(c.useful_agreement) + (c.alert ? ' ⚠' : ''),
            c.alert ? 'flag' : '', 'judge score ≥ 4 vs human useful'),
          metric('exact', pct(c.exact_agreement)),
          metric('within one', pct(c.within_one)),
          metric('weighted κ', isNum(c.kappa) ? c.kappa.toFixed(2) : '—', '', "quadratic-weighted Cohen's kappa"),
          metric('bias judge−human', isNum(c.mean_bias) ? (c.mean_bias >= 0 ? '+' : '') + c.mean_bias.toFixed(2) : '—'),
          metric('judged' + (c.judge_errors ? ' (' + fmtCount(c.judge_errors) + ' errors)' : ''), fmtCount(c.judged),
            c.judge_errors ? 'warn' : '', 'mean score ' + (isNum(c.mean_score) ? c.mean_score.toFixed(2) : '—')),
        ]),
      ]));
    }
  }

  function renderDeadLetters() {
    const root = clear($('dead-letters'));
    const d = state.dead;
    $('dl-total').textContent = d.total ? fmtCount(d.total) + ' total' : '';
    if (!d.groups.length) {
      root.appendChild(h('div', { class: 'empty', text: 'No dead letters.' }));
      return;
    }
    const body = h('tbody');
    for (const g of d.groups) {
      body.appendChild(h('tr', { 'data-source': g.source, 'data-reason': g.reason }, [
        h('td', { class: 'l', text: g.source }),
        h('td', { class: 'l', text: g.reason }),
        h('td', { text: fmtCount(g.count) }),
        h('td', { class: 'muted', title: fmtTime(g.first) + ' → ' + fmtTime(g.last), text: fmtShort(g.last) }),
      ]));
    }
    root.appendChild(h('table', { class: 'side-table' }, [
      h('thead', {}, h('tr', {}, [['Source', 'l'], ['Reason', 'l'], ['Count', ''], ['Latest', '']]
        .map(([t, c]) => h('th', { class: c, text: t })))),
      body]));
  }

  function renderAll() {
    if (!state.status) return;
    $('as-of').textContent = 'as of ' + (state.status.as_of ? fmtTime(state.status.as_of) + ' UTC' : '— (no data yet)');
    fillCohorts(state.status.cohorts);
    renderTiles();
    renderFamilies();
    renderOpenAlerts();
    renderRecent();
    renderCalibration();
    renderDeadLetters();
  }

  // ------------------------------------------------------------------ history chart

  function select(slo, cohort) {
    const hash = '#slo=' + encodeURIComponent(slo) + '&cohort=' + encodeURIComponent(cohort);
    if (location.hash === hash) loadHistory(slo, cohort);
    else location.hash = hash;
  }

  function selectionFromHash() {
    const params = new URLSearchParams(location.hash.replace(/^#/, ''));
    const slo = params.get('slo');
    const cohort = params.get('cohort');
    return slo && cohort ? { slo, cohort } : null;
  }

  function onHash() {
    const sel = selectionFromHash();
    if (sel) loadHistory(sel.slo, sel.cohort);
    else closeDetail();
  }

  function closeDetail() {
    state.selected = null;
    $('detail').hidden = true;
    for (const tr of document.querySelectorAll('tr.row.selected')) tr.classList.remove('selected');
  }

  async function loadHistory(slo, cohort) {
    state.selected = { slo, cohort };
    for (const tr of document.querySelectorAll('table.status tr.row')) {
      tr.classList.toggle('selected', tr.dataset.slo === slo && tr.dataset.cohort === cohort);
    }
    const title = clear($('detail-title'));
    append(title, [slo, h('span', { class: 'd-cohort', title: cohort, text: cohortLabel(cohort) })]);
    const body = clear($('detail-body'));
    body.appendChild(h('div', { class: 'empty', text: 'Loading history…' }));
    $('detail').hidden = false;
    try {
      const q = 'slo=' + encodeURIComponent(slo) + '&cohort=' + encodeURIComponent(cohort) + '&days=30';
      const hist = await getJson('api/history?' + q);
      if (!state.selected || state.selected.slo !== slo || state.selected.cohort !== cohort) return;
      clear(body);
      if (!hist.points.length) {
        body.appendChild(h('div', { class: 'empty', text: 'No history for this SLO and cohort.' }));
        return;
      }
      body.appendChild(chartMeta(hist));
      body.appendChild(chart(hist));
    } catch (e) {
      clear(body).appendChild(h('div', { class: 'banner error', text: 'Cannot load history: ' + e.message }));
    }
  }

  function chartMeta(hist) {
    const pts = hist.points;
    const last = pts[pts.length - 1];
    const breach = pts.filter((p) => p.status === 'breach').length;
    const item = (k, v) => h('span', {}, [k + ' ', h('b', { text: v })]);
    return h('div', { class: 'chart-meta' }, [
      item('latest', fmtValue(hist.slo, last.value, last.target)),
      item('target', fmtTarget(hist.slo, last.target)),
      item('n', fmtCount(last.n)),
      isNum(last.quantile_value) ? item('quantile', fmtQuantile(hist.slo, last.quantile_value)) : null,
      item('in breach', Math.round(100 * breach / pts.length) + '% of evaluations'),
      item('alert transitions', String(hist.alerts.length)),
      item('span', fmtTime(hist.from) + ' → ' + fmtTime(hist.to) + ' UTC'),
    ]);
  }

  function niceTicks(lo, hi, count) {
    const span = hi - lo;
    if (!(span > 0)) return [lo];
    const raw = span / count;
    const mag = Math.pow(10, Math.floor(Math.log10(raw)));
    const step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((st) => span / st <= count) || 10 * mag;
    const out = [];
    for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) out.push(+v.toFixed(12));
    return out;
  }

  function chart(hist) {
    const W = 1100, H = 250, ML = 64, MR = 18, MT = 12, MB = 40;
    const pts = hist.points;
    const t0 = pts[0].t, t1 = Math.max(pts[pts.length - 1].t, t0 + 3600000);
    const ys = [];
    for (const p of pts) for (const k of ['value', 'ci_low', 'ci_high', 'target']) if (isNum(p[k])) ys.push(p[k]);
    let lo = Math.min(...ys), hi = Math.max(...ys);
    const pad = Math.max((hi - lo) * 0.08, 0.002);
    lo -= pad; hi += pad;
    if (!isDrift(hist.slo)) { lo = Math.max(0, lo); hi = Math.min(1, hi); }
    const x = (t) => ML + (t - t0) / (t1 - t0) * (W - ML - MR);
    const y = (v) => MT + (hi - v) / (hi - lo) * (H - MT - MB);
    const svg = s('svg', { viewBox: '0 0 ' + W + ' ' + H, role: 'img', class: 'history-chart',
      'aria-label': 'history of ' + hist.slo + ' for ' + hist.cohort });

    // gaps longer than two hours (the window held no data) break the lines
    const segments = [];
    let seg = [];
    for (let i = 0; i < pts.length; i++) {
      if (seg.length && pts[i].t - seg[seg.length - 1].t > 2 * 3600000) { segments.push(seg); seg = []; }
      seg.push(pts[i]);
    }
    if (seg.length) segments.push(seg);

    const grid = s('g', { class: 'grid' });
    const axis = s('g', { class: 'axis' });
    for (const v of niceTicks(lo, hi, 5)) {
      grid.appendChild(s('line', { x1: ML, x2: W - MR, y1: y(v), y2: y(v) }));
      axis.appendChild(s('text', { x: ML - 8, y: y(v) + 4, 'text-anchor': 'end' }, fmtTick(hist.slo, v, hi - lo)));
    }
    const day = 86400000;
    const days = Math.max(1, Math.round((t1 - t0) / day));
    const every = days > 20 ? 5 : days > 8 ? 2 : 1;
    for (let t = Math.ceil(t0 / day) * day; t <= t1; t += every * day) {
      grid.appendChild(s('line', { x1: x(t), x2: x(t), y1: MT, y2: H - MB }));
      const d = new Date(t);
      const label = d.toLocaleDateString('en-US', { month: 'short', day: 'numeric', timeZone: 'UTC' });
      axis.appendChild(s('text', { x: x(t), y: H - MB + 16, 'text-anchor': 'middle' }, label));
    }
    svg.appendChild(grid);

    // alert firing periods, any severity, as shaded spans
    for (const [a, b] of firingSpans(hist.alerts, t1)) {
      svg.appendChild(s('rect', { class: 'fire', x: x(Math.max(a, t0)), y: MT,
        width: Math.max(1.5, x(Math.min(b, t1)) - x(Math.max(a, t0))), height: H - MT - MB }));
    }

    for (const sg of segments) {
      const band = sg.filter((p) => isNum(p.ci_low) && isNum(p.ci_high));
      if (band.length > 1) {
        const up = band.map((p) => x(p.t).toFixed(1) + ',' + y(p.ci_high).toFixed(1));
        const down = band.slice().reverse().map((p) => x(p.t).toFixed(1) + ',' + y(p.ci_low).toFixed(1));
        svg.appendChild(s('polygon', { class: 'band', points: up.concat(down).join(' ') }));
      }
      svg.appendChild(s('path', { class: 'tline', d: pathOf(sg, 'target', x, y) }));
      svg.appendChild(s('path', { class: 'vline', d: pathOf(sg, 'value', x, y) }));
    }

    // status ribbon under the plot: one tick per evaluation, coloured by its status
    const ribbon = s('g', { class: 'ribbon' });
    const colors = { ok: '#1e8e4f', breach: '#c62b2b', insufficient_data: '#c4c9d2' };
    const rw = Math.max(1, (W - ML - MR) / pts.length);
    for (const p of pts) {
      const rx = Math.max(ML, Math.min(W - MR - rw, x(p.t) - rw / 2));
      ribbon.appendChild(s('rect', { x: rx, y: H - MB + 24, width: rw + 0.5, height: 5,
        fill: colors[p.status] || '#c4c9d2' }));
    }
    svg.appendChild(ribbon);
    svg.appendChild(s('rect', { x: ML, y: MT, width: W - ML - MR, height: H - MT - MB, fill: 'none', stroke: '#d9dee7' }));
    svg.appendChild(axis);
    return svg;
  }

  function fmtTick(slo, v, span) {
    if (isDrift(slo)) return (v * 100).toFixed(span < 0.01 ? 2 : 1) + ' pp';
    const d = span < 0.001 ? 3 : span < 0.01 ? 2 : span < 0.1 ? 1 : 0;
    return (v * 100).toFixed(d) + '%';
  }

  function pathOf(points, key, x, y) {
    let d = '';
    let pen = false;
    for (const p of points) {
      if (!isNum(p[key])) { pen = false; continue; }
      d += (pen ? 'L' : 'M') + x(p.t).toFixed(1) + ',' + y(p[key]).toFixed(1);
      pen = true;
    }
    return d || 'M0,0';
  }

  function firingSpans(alerts, end) {
    const open = new Map();
    const spans = [];
    for (const a of alerts) {
      const t = Date.parse(a.at);
      if (a.state === 'firing') open.set(a.severity, t);
      else if (open.has(a.severity)) { spans.push([open.get(a.severity), t]); open.delete(a.severity); }
    }
    for (const t of open.values()) spans.push([t, end]);
    return spans;
  }

  // ------------------------------------------------------------------ loading

  async function getJson(path) {
    const res = await fetch(path, { headers: { Accept: 'application/json' } });
    const body = await res.json().catch(() => ({}));
    if (!res.ok) throw new Error(body.error || ('HTTP ' + res.status));
    return body;
  }

  async function refresh() {
    try {
      const [status, alerts, calibration, dead] = await Promise.all([
        getJson('api/status'), getJson('api/alerts'), getJson('api/calibration'), getJson('api/dead-letters/summary')]);
      Object.assign(state, { status, alerts, calibration, dead });
      $('load-error').hidden = true;
      renderAll();
      document.body.dataset.loaded = 'true';
    } catch (e) {
      const banner = $('load-error');
      banner.textContent = 'Cannot load the dashboard data: ' + e.message;
      banner.hidden = false;
    }
  }

  document.addEventListener('DOMContentLoaded', async () => {
    for (const id of ['cohort-filter', 'problems-only']) $(id).addEventListener('change', renderFamilies);
    $('text-filter').addEventListener('input', renderFamilies);
    $('detail-close').addEventListener('click', () => {
      history.replaceState(null, '', location.pathname + location.search);
      closeDetail();
    });
    window.addEventListener('hashchange', onHash);
    await refresh();
    onHash();
    setInterval(refresh, REFRESH_MS);
  });
})();
