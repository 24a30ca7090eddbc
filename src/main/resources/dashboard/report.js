// The weekly one-page summary: four numbers, the trend of each, one sentence (/api/report).
'use strict';

(function () {
  const L = window.LLMSLO;
  const { h, clear, $ } = L;

  document.addEventListener('DOMContentLoaded', async () => {
    const params = new URLSearchParams(location.search);
    const cohort = params.get('cohort') || '*';
    const days = params.get('days') || '7';
    $('back-link').setAttribute('href', cohort === '*' ? './' : './?cohort=' + encodeURIComponent(cohort));
    try {
      const r = await L.getJson('api/report?cohort=' + encodeURIComponent(cohort) + '&days=' + encodeURIComponent(days));
      $('title').textContent = 'Weekly report — ' + L.cohortLabel(r.cohort);
      $('period').textContent = r.to ? L.fmtTime(r.from) + ' → ' + L.fmtTime(r.to) + ' UTC (event time)' : 'No evaluations yet.';
      $('sentence').textContent = r.sentence;
      $('then-head').textContent = r.days + (r.days === 1 ? ' day' : ' days') + ' earlier';
      const body = clear($('numbers'));
      for (const n of r.numbers) {
        body.appendChild(h('tr', { class: n.status, 'data-family': n.family, 'data-value': n.value === null ? '' : String(n.value) }, [
          h('td', { text: n.family }),
          h('td', {}, h('code', { text: n.slo })),
          h('td', { class: 'num', text: L.fmtValue(n.slo, n.value, n.target) }),
          h('td', { text: L.fmtValue(n.slo, n.value_then, n.target) }),
          h('td', {}, L.trendMark({ slo: n.slo, trend: n.trend, value_7d_ago: n.value_then, target: n.target, better: 'higher' })),
          h('td', { text: L.fmtTarget(n.slo, n.target) }),
          h('td', {}, L.badge(n.status)),
          h('td', { text: L.fmtCount(n.alerts_fired) }),
        ]));
      }
      document.body.dataset.loaded = 'true';
    } catch (e) {
      L.showError('load-error', 'Cannot load the report: ' + e.message);
    }
  });
})();
