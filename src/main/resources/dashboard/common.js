// llm-slo dashboard, shared by its pages: DOM helpers, number formats, JSON loading and the
// uPlot history chart. Vanilla JS, no build step, no external resources. Every piece of data
// reaches the page through textContent / setAttribute (never innerHTML), so cohort names and
// other strings from the tables cannot inject markup.
'use strict';

window.LLMSLO = (function () {
  const FAMILIES = ['quality', 'latency', 'cost', 'availability'];
  const STATUS_LABEL = { ok: 'OK', breach: 'Breach', insufficient_data: 'Insufficient' };
  const SEVERITY_LABEL = { page_rollback: 'page · rollback', page: 'page', ticket: 'ticket', digest: 'digest' };
  const COLORS = { value: '#3867d6', band: 'rgba(56,103,214,0.14)', target: '#c62b2b', fire: 'rgba(214,120,0,0.16)' };

  // ------------------------------------------------------------------ DOM helpers

  function h(tag, props, children) {
    const el = document.createElement(tag);
    for (const [k, v] of Object.entries(props || {})) {
      if (v === null || v === undefined || v === false) continue;
      if (k === 'class') el.className = v;
      else if (k === 'text') el.textContent = v;
      else if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
      else el.setAttribute(k, v === true ? '' : String(v));
    }
    append(el, children);
    return el;
  }

  function append(el, children) {
    if (children === null || children === undefined) return el;
    for (const c of Array.isArray(children) ? children : [children]) {
      if (c === null || c === undefined || c === false) continue;
      el.appendChild(typeof c === 'string' || typeof c === 'number' ? document.createTextNode(String(c)) : c);
    }
    return el;
  }

  function clear(el) {
    while (el.firstChild) el.removeChild(el.firstChild);
    return el;
  }

  function $(id) { return document.getElementById(id); }

  // ------------------------------------------------------------------ formatting

  const isNum = (v) => typeof v === 'number' && isFinite(v);

  // enough digits to tell the value from a target like 0.9995
  function ratioDigits(target) {
    if (!isNum(target) || target >= 1 || target <= 0) return 2;
    const d = Math.ceil(-Math.log10(1 - target)) - 1;
    return Math.min(4, Math.max(1, d));
  }

  // "surface=agent,cohort.locale=ja-JP" reads as "surface=agent, locale=ja-JP"
  function cohortLabel(c) {
    if (c === '*') return 'all traffic';
    return String(c).replace(/(^|,)cohort\./g, '$1').replace(/,/g, ', ');
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

  function fmtShort(iso) { return iso ? fmtTime(iso).slice(5) : '—'; }

  function fmtCount(n) { return isNum(n) ? n.toLocaleString('en-US') : '—'; }

  function fmtP(p) {
    if (!isNum(p)) return '—';
    return p < 0.001 ? p.toExponential(1) : p.toFixed(3);
  }

  function pct(v) { return isNum(v) ? (v * 100).toFixed(1) + '%' : '—'; }

  function shortSlo(slo) { return String(slo).replace(/^[a-z]+\./, ''); }

  // ------------------------------------------------------------------ cells

  function badge(status) {
    return h('span', { class: 'badge ' + (status || 'insufficient_data'), text: STATUS_LABEL[status] || status || '—',
      title: status === 'insufficient_data' ? 'insufficient data: n below min_n, no verdict' : null });
  }

  function sevPill(sev) {
    if (!sev) return h('span', { class: 'muted', text: '—' });
    return h('span', { class: 'sev ' + sev, text: SEVERITY_LABEL[sev] || sev });
  }

  // ▲ / ▼ / → against a week ago, coloured good or bad by the SLO's direction
  function trendMark(r) {
    if (!r || !r.trend) return h('span', { class: 'trend muted', text: '—', title: 'no value a week ago' });
    const was = 'a week ago: ' + fmtValue(r.slo, r.value_7d_ago, r.target);
    if (r.trend === 'flat') return h('span', { class: 'trend flat', title: was, text: '→', 'data-trend': 'flat' });
    const good = (r.trend === 'up') === (r.better !== 'lower');
    return h('span', { class: 'trend ' + (good ? 'good' : 'bad'), title: was, 'data-trend': r.trend,
      text: r.trend === 'up' ? '▲' : '▼' });
  }

  function familyUrl(family, cohort, slo) {
    let u = 'family.html?family=' + encodeURIComponent(family) + '&cohort=' + encodeURIComponent(cohort || '*');
    if (slo) u += '#slo=' + encodeURIComponent(slo) + '&cohort=' + encodeURIComponent(cohort || '*');
    return u;
  }

  // ------------------------------------------------------------------ loading

  async function getJson(path) {
    const res = await fetch(path, { headers: { Accept: 'application/json' } });
    const body = await res.json().catch(() => ({}));
    if (!res.ok) throw new Error(body.error || ('HTTP ' + res.status));
    return body;
  }

  function showError(id, message) {
    const b = $(id);
    if (!b) return;
    b.textContent = message;
    b.hidden = !message;
  }

  // ------------------------------------------------------------------ history chart (uPlot)

  // [start, end] of every firing period in the alert transitions, any severity
  function firingSpans(alerts, end) {
    const open = new Map();
    const spans = [];
    for (const a of alerts || []) {
      const t = Date.parse(a.at);
      if (a.state === 'firing') { if (!open.has(a.severity)) open.set(a.severity, t); }
      else if (open.has(a.severity)) { spans.push([open.get(a.severity), t]); open.delete(a.severity); }
    }
    for (const t of open.values()) spans.push([t, end]);
    return spans;
  }

  // uPlot columns: seconds, value, ci_high, ci_low, target; a null breaks the line where the
  // window held no data for more than two hours
  function columns(points) {
    const xs = [], v = [], hi = [], lo = [], tg = [];
    let prev = null;
    for (const p of points) {
      if (prev !== null && p.t - prev > 2 * 3600000) {
        xs.push((prev + p.t) / 2000); v.push(null); hi.push(null); lo.push(null); tg.push(null);
      }
      xs.push(p.t / 1000);
      v.push(isNum(p.value) ? p.value : null);
      hi.push(isNum(p.ci_high) ? p.ci_high : null);
      lo.push(isNum(p.ci_low) ? p.ci_low : null);
      tg.push(isNum(p.target) ? p.target : null);
      prev = p.t;
    }
    return [xs, v, hi, lo, tg];
  }

  function fmtTick(slo, v, span) {
    if (isDrift(slo)) return (v * 100).toFixed(span < 0.01 ? 2 : 1) + ' pp';
    const d = span < 0.001 ? 3 : span < 0.01 ? 2 : span < 0.1 ? 1 : 0;
    return (v * 100).toFixed(d) + '%';
  }

  // Draws the history of one (slo, cohort) into el: value line, Wilson 95 % band (optional),
  // target line, alert-firing spans. Returns the uPlot instance (or null without points).
  function historyChart(el, hist, opts) {
    const o = Object.assign({ height: 220, band: true, axes: true }, opts || {});
    clear(el);
    if (!hist.points || !hist.points.length) {
      el.appendChild(h('div', { class: 'empty', text: 'No history yet.' }));
      return null;
    }
    const data = columns(hist.points);
    const tEnd = hist.points[hist.points.length - 1].t;
    const spans = firingSpans(hist.alerts, tEnd).map(([a, b]) => [a / 1000, b / 1000]);
    let lo = Infinity, hi = -Infinity;
    for (const k of [1, 4].concat(o.band ? [2, 3] : [])) {
      for (const y of data[k]) if (y !== null) { lo = Math.min(lo, y); hi = Math.max(hi, y); }
    }
    const pad = Math.max((hi - lo) * 0.08, 0.002);
    let ylo = lo - pad, yhi = hi + pad;
    if (!isDrift(hist.slo)) { ylo = Math.max(0, ylo); yhi = Math.min(1, yhi); }
    const fireSpans = {
      hooks: {
        drawClear: [(u) => {
          const ctx = u.ctx;
          ctx.save();
          ctx.fillStyle = COLORS.fire;
          for (const [a, b] of spans) {
            const x0 = u.valToPos(Math.max(a, u.scales.x.min), 'x', true);
            const x1 = u.valToPos(Math.min(b, u.scales.x.max), 'x', true);
            if (x1 > x0 - 1) ctx.fillRect(x0, u.bbox.top, Math.max(2, x1 - x0), u.bbox.height);
          }
          ctx.restore();
        }],
      },
    };
    const series = [
      {},
      { label: 'value', stroke: COLORS.value, width: 1.6, points: { show: false } },
      { label: 'CI high', stroke: o.band ? 'rgba(56,103,214,0.25)' : 'transparent', width: 0.5, points: { show: false } },
      { label: 'CI low', stroke: o.band ? 'rgba(56,103,214,0.25)' : 'transparent', width: 0.5, points: { show: false } },
      { label: 'target', stroke: COLORS.target, width: 1.2, dash: [5, 4], points: { show: false } },
    ];
    const width = Math.max(200, el.clientWidth || 400);
    const yAxis = { size: 56, values: (u, ticks) => ticks.map((v) => fmtTick(hist.slo, v, yhi - ylo)),
      grid: { stroke: '#eef1f5' }, ticks: { show: false }, font: '11px system-ui, sans-serif' };
    const xAxis = { grid: { stroke: '#eef1f5' }, ticks: { show: false }, font: '11px system-ui, sans-serif', space: 60 };
    const u = new uPlot({
      width, height: o.height,
      legend: { show: false },
      cursor: { drag: { x: false, y: false }, points: { show: false } },
      scales: { x: { time: true }, y: { range: [ylo, yhi] } },
      axes: o.axes ? [xAxis, yAxis] : [Object.assign({}, xAxis, { show: false }), Object.assign({}, yAxis, { show: false })],
      series,
      bands: o.band ? [{ series: [2, 3], fill: COLORS.band }] : [],
      plugins: [fireSpans],
    }, data, el);
    el.dataset.chart = 'uplot';
    el.dataset.points = String(hist.points.length);
    el.dataset.alertSpans = String(spans.length);
    return u;
  }

  return {
    FAMILIES, COLORS, h, append, clear, $, isNum, ratioDigits, cohortLabel, isDrift, fmtValue, fmtTarget, fmtCi,
    fmtQuantile, fmtBurn, fmtTime, fmtShort, fmtCount, fmtP, pct, shortSlo, badge, sevPill, trendMark,
    familyUrl, getJson, showError, firingSpans, historyChart,
  };
})();
