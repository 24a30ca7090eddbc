// The main page: four panels (quality, latency, cost, availability) for one cohort.
'use strict';

(function () {
  const L = window.LLMSLO;
  const { h, clear, $, isNum } = L;
  const REFRESH_MS = 60000;
  const TITLES = {
    'quality.acceptance': 'Acceptance rate', 'quality.judge_high': 'Judge score ≥ 4',
    'quality.human_useful': 'Rated useful by people', 'latency.ttft_p95': 'Time to first token',
    'latency.total_p95': 'Total latency', 'latency.turn_p95': 'Agent turn latency', 'cost.p95': 'Cost per request',
    'cost.tail_blowup': 'Cost blow-ups', 'availability.success': 'Success rate',
    'availability.provider_success': 'Provider success', 'availability.failover_p95': 'Failover time',
  };

  function cohortFromUrl() {
    return new URLSearchParams(location.search).get('cohort') || '*';
  }

  function fillCohorts(cohorts, current) {
    const sel = $('cohort');
    clear(sel);
    const all = cohorts.includes('*') ? cohorts : ['*'].concat(cohorts);
    for (const c of all) sel.appendChild(h('option', { value: c, text: L.cohortLabel(c) }));
    sel.value = all.includes(current) ? current : '*';
  }

  function burnLine(r) {
    const item = (label, v) => h('span', { class: 'burn-item ' + (!isNum(v) ? 'muted' : v >= 6 ? 'hot' : v >= 1 ? 'warm' : 'cool'),
      title: 'burn rate over ' + label + ': bad fraction ÷ (1 − target)' }, [label + ' ', h('b', { text: L.fmtBurn(v) + (isNum(v) ? '×' : '') })]);
    const budget = isNum(r.budget_remaining)
      ? h('span', { class: 'burn-item budget' + (r.budget_remaining <= 0 ? ' hot' : ''), title: 'error budget left over the budget period' },
        ['budget ', h('b', { text: Math.round(r.budget_remaining * 100) + '%' })])
      : null;
    return h('div', { class: 'p-burn' }, [h('span', { class: 'muted', text: 'burn' }), item('1h', r.burn_1h), item('6h', r.burn_6h),
      item('24h', r.burn_24h), item('7d', r.burn_7d), budget]);
  }

  function othersLine(panel, cohort) {
    if (!panel.others.length) return h('div', { class: 'p-others muted', text: 'no other SLOs for this cohort' });
    const items = panel.others.map((r) => h('a', {
      class: 'other ' + (r.status || ''), href: L.familyUrl(panel.family, cohort, r.slo), 'data-slo': r.slo,
      title: r.slo + ' · target ' + L.fmtTarget(r.slo, r.target) + ' · ' + (r.status || ''),
      onclick: (e) => e.stopPropagation(),
    }, [L.shortSlo(r.slo) + ' ', h('b', { text: L.fmtValue(r.slo, r.value, r.target) }), h('i', { class: 'dot ' + (r.status || '') })]));
    return h('div', { class: 'p-others' }, items);
  }

  function panelEl(panel, cohort) {
    const r = panel.headline;
    const status = r ? r.status : 'no_data';
    const alerting = (r && r.alert) || panel.open_alerts > 0;
    const el = h('section', {
      class: 'panel ' + status + (alerting ? ' alerting' : ''), id: 'panel-' + panel.family,
      'data-family': panel.family, 'data-slo': panel.headline_slo, 'data-status': status,
      'data-value': r && isNum(r.value) ? String(r.value) : '', 'data-target': r && isNum(r.target) ? String(r.target) : '',
      role: 'link', tabindex: '0', title: 'Open the ' + panel.family + ' detail page',
      onclick: () => { location.href = L.familyUrl(panel.family, cohort); },
      onkeydown: (e) => { if (e.key === 'Enter') location.href = L.familyUrl(panel.family, cohort); },
    });
    el.appendChild(h('div', { class: 'p-head' }, [
      h('h2', { text: panel.family }),
      h('span', { class: 'p-tags' }, [
        r && r.alert ? L.sevPill(r.alert) : null,
        panel.open_alerts > 0 ? h('span', { class: 'sev ticket', title: 'open alerts of this family for this cohort',
          text: panel.open_alerts + (panel.open_alerts === 1 ? ' open alert' : ' open alerts') }) : null,
        r ? L.badge(r.status) : h('span', { class: 'badge insufficient_data', text: 'No data' })]),
    ]));
    el.appendChild(h('div', { class: 'p-title', title: panel.headline_slo },
      [TITLES[panel.headline_slo] || L.shortSlo(panel.headline_slo), h('span', { class: 'muted', text: ' · ' + panel.headline_slo })]));
    if (!r) {
      el.appendChild(h('div', { class: 'empty', text: 'No ' + panel.headline_slo + ' for ' + L.cohortLabel(cohort) + ' yet.' }));
      el.appendChild(othersLine(panel, cohort));
      return el;
    }
    el.appendChild(h('div', { class: 'p-numbers' }, [
      h('span', { class: 'p-value', text: L.fmtValue(r.slo, r.value, r.target) }),
      L.trendMark(r),
      h('span', { class: 'p-target' }, ['target ', h('b', { class: 'p-target-value', text: L.fmtTarget(r.slo, r.target) }),
        ' · ' + (r.window || '?') + ' window']),
      isNum(r.quantile_value) ? h('span', { class: 'p-quantile', title: 'the quantile itself, from the sketch' },
        ['p95 ', h('b', { text: L.fmtQuantile(r.slo, r.quantile_value) })]) : null,
      h('span', { class: 'p-n muted', text: 'n ' + L.fmtCount(r.n) }),
    ]));
    const chart = h('div', { class: 'p-chart', 'data-slo': r.slo });
    el.appendChild(chart);
    el.appendChild(burnLine(r));
    el.appendChild(othersLine(panel, cohort));
    return el;
  }

  async function loadChart(el, slo, cohort) {
    try {
      const q = 'slo=' + encodeURIComponent(slo) + '&cohort=' + encodeURIComponent(cohort) + '&days=30&max_points=720';
      const hist = await L.getJson('api/history?' + q);
      L.historyChart(el, hist, { height: 150, band: false });
    } catch (e) {
      clear(el).appendChild(h('div', { class: 'empty', text: 'Cannot load history: ' + e.message }));
    }
  }

  let loading = 0;

  async function refresh() {
    const cohort = cohortFromUrl();
    const my = ++loading;
    try {
      const ov = await L.getJson('api/overview?cohort=' + encodeURIComponent(cohort));
      if (my !== loading) return;
      fillCohorts(ov.cohorts, cohort);
      $('as-of').textContent = 'as of ' + (ov.as_of ? L.fmtTime(ov.as_of) + ' UTC' : '— (no data yet)');
      $('report-link').setAttribute('href', 'report.html?cohort=' + encodeURIComponent(cohort));
      const root = clear($('panels'));
      root.dataset.cohort = cohort;
      const charts = [];
      for (const p of ov.panels) {
        const el = panelEl(p, cohort);
        root.appendChild(el);
        const c = el.querySelector('.p-chart');
        if (c) charts.push(loadChart(c, p.headline_slo, cohort));
      }
      await Promise.all(charts);
      L.showError('load-error', '');
      document.body.dataset.loaded = 'true';
      document.body.dataset.cohort = cohort;
    } catch (e) {
      L.showError('load-error', 'Cannot load the dashboard data: ' + e.message);
    }
  }

  document.addEventListener('DOMContentLoaded', () => {
    $('cohort').addEventListener('change', () => {
      const c = $('cohort').value;
      document.body.dataset.loaded = 'false';
      history.replaceState(null, '', c === '*' ? location.pathname : '?cohort=' + encodeURIComponent(c));
      refresh();
    });
    refresh();
    setInterval(refresh, REFRESH_MS);
  });
})();
