// The family detail page: today's table of every (slo, cohort) of one family with filters, the
// selected row's history (value, Wilson 95 % band, target, alert spans), open alerts, judge
// calibration and dead letters. Reached in one click from a main-page panel.
'use strict';

(function () {
  const L = window.LLMSLO;
  const { h, append, clear, $, isNum, badge, sevPill, cohortLabel, fmtValue, fmtTarget, fmtCi, fmtQuantile, fmtBurn,
    fmtTime, fmtShort, fmtCount, fmtP, pct, FAMILIES } = L;
  const REFRESH_MS = 60000;
  const params = new URLSearchParams(location.search);
  const FAMILY = FAMILIES.includes(params.get('family')) ? params.get('family') : 'quality';

  const state = { status: null, alerts: null, calibration: null, dead: null, selected: null };

  // the label with each dimension unbreakable, so a narrow column wraps only between dimensions
  function cohortNodes(c) {
    const parts = (c === '*' ? '* (all traffic)' : cohortLabel(c)).split(', ');
    const out = [];
    parts.forEach((p, i) => {
      if (i) out.push(', ');
      out.push(h('span', { class: 'dim', text: p }));
    });
    return out;
  }

  function burnCell(v) {
    const cls = !isNum(v) ? 'muted' : v >= 6 ? 'burn hot' : v >= 1 ? 'burn warm' : 'burn cool';
    return h('td', { class: cls, text: fmtBurn(v) });
  }

  function budgetCell(v) {
    if (!isNum(v)) return h('td', { class: 'muted', text: '—' });
    const pctv = Math.max(0, Math.min(1, v)) * 100;
    const cls = v <= 0 ? 'budget out' : v < 0.25 ? 'budget low' : 'budget';
    const bar = h('span', { class: 'bar' }, h('i'));
    bar.firstChild.style.width = pctv.toFixed(1) + '%';
    const label = (v < 0 ? '−' : '') + Math.abs(Math.round(v * 100)) + '%';
    return h('td', {}, h('span', { class: cls, title: v <= 0 ? 'error budget exhausted (' + label + ' remaining)'
      : 'error budget remaining over the budget period' }, [bar, label]));
  }

  function trendCell(r) {
    return h('td', { class: 'trend-cell' }, L.trendMark(r));
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

  // the family tabs and the link back keep the cohort of the URL
  function setupHeader() {
    document.title = 'llm-slo · ' + FAMILY;
    $('family-name').textContent = FAMILY;
    const tabs = clear($('family-tabs'));
    const cohort = params.get('cohort') || '*';
    for (const f of FAMILIES) {
      tabs.appendChild(h('a', { class: 'tab' + (f === FAMILY ? ' active' : ''), href: L.familyUrl(f, cohort), text: f }));
    }
    $('back-link').setAttribute('href', cohort === '*' ? './' : './?cohort=' + encodeURIComponent(cohort));
  }

  let cohortFromUrlApplied = false;

  function fillCohorts(cohorts) {
    const sel = $('cohort-filter');
    const current = cohortFromUrlApplied ? sel.value : (params.get('cohort') || '');
    cohortFromUrlApplied = true;
    while (sel.options.length > 1) sel.remove(1);
    for (const c of cohorts) sel.appendChild(h('option', { value: c, text: cohortLabel(c) }));
    if (cohorts.includes(current)) sel.value = current;
  }

  // ------------------------------------------------------------------ renderers

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
    const families = state.status.families.filter((fam) => fam.family === FAMILY);
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
    const open = state.alerts.open.filter((a) => a.family === FAMILY);
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
    const rows = state.alerts.recent.filter((a) => a.family === FAMILY);
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
      const hist = await L.getJson('api/history?' + q);
      if (!state.selected || state.selected.slo !== slo || state.selected.cohort !== cohort) return;
      clear(body);
      if (!hist.points.length) {
        body.appendChild(h('div', { class: 'empty', text: 'No history for this SLO and cohort.' }));
        return;
      }
      body.appendChild(chartMeta(hist));
      const holder = h('div', { class: 'history-chart' });
      body.appendChild(holder);
      L.historyChart(holder, hist, { height: 260, band: true });
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

  // ------------------------------------------------------------------ loading

  async function refresh() {
    try {
      const [status, alerts, calibration, dead] = await Promise.all([
        L.getJson('api/status'), L.getJson('api/alerts?limit=200'), L.getJson('api/calibration'), L.getJson('api/dead-letters/summary')]);
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
    setupHeader();
    await refresh();
    onHash();
    setInterval(refresh, REFRESH_MS);
  });
})();
