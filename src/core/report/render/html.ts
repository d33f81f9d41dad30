// A self-contained HTML report: tables readable without scripts, plus confusion-matrix and pairwise-QWK
// heatmaps drawn by ECharts (inlined, SVG renderer: works offline and prints sharply).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { formatEstimate, formatNumber } from '../format';
import type { Report } from '../types';

let echartsSource: string | undefined;
/** The ECharts browser bundle, read once from node_modules. */
export function echartsBundle(): string {
  if (echartsSource === undefined) {
    const require = createRequire(import.meta.url);
    let file: string;
    try {
      file = require.resolve('echarts/dist/echarts.min.js');
    } catch {
      throw new Error('HTML report: the echarts package is not installed (needed to draw the heatmaps)');
    }
    echartsSource = readFileSync(file, 'utf8');
  }
  return echartsSource;
}

export function escapeHtml(s: string): string {
  return s.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );
}

/** JSON safe inside a <script> element: no "</script>", no "<!--". */
function scriptJson(v: unknown): string {
  return JSON.stringify(v)
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

const CSS = `
body{font:14px/1.4 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#111;margin:24px auto;max-width:1200px;padding:0 16px}
h1{font-size:22px;margin:0 0 4px} h2{font-size:17px;margin:28px 0 8px;border-bottom:1px solid #ccc;padding-bottom:3px}
h3{font-size:14px;margin:12px 0 4px}
table{border-collapse:collapse;margin:6px 0 10px;font-variant-numeric:tabular-nums}
th,td{border:1px solid #ccc;padding:3px 7px;text-align:right;white-space:nowrap}
th{background:#f2f2f2} td.l,th.l{text-align:left} tr.sec td{border-top:2px solid #888}
.meta{color:#333} .meta li{margin:2px 0} .note{color:#555;font-size:12px}
.charts,.tables{display:flex;flex-wrap:wrap;gap:12px 20px}
.chart{width:340px;height:320px;border:1px solid #eee}
.chart.big{width:560px;height:480px}
.warn{color:#8a4b00}
@media print{body{margin:0;max-width:none;font-size:11px} h2{break-after:avoid} table,.chart{break-inside:avoid}
 .chart{border:none} a{color:inherit;text-decoration:none}}
@page{size:A4 landscape;margin:12mm}
`;

export function renderHtml(report: Report): string {
  const a = report.analysis;
  const ref = report.reference;
  const e = escapeHtml;
  const parts: string[] = [];
  const conf = Math.round(a.bootstrap.confidence * 100);

  parts.push(`<h1>${e(report.title)}</h1>`);
  parts.push('<ul class="meta">');
  parts.push(
    `<li>Generated ${e(report.generatedAt)} from ${e(report.source.kind)}${report.source.path ? ` <code>${e(report.source.path)}</code>` : ''}</li>`,
  );
  parts.push(`<li>Reference: ${e(ref.description)}</li>`);
  parts.push(
    `<li>Knees: ${ref.knees}; with a reference: ${ref.kneesWithReference} (${a.patientsWithReference} patients)</li>`,
  );
  for (const x of ref.excluded) parts.push(`<li>Left out: ${x.count} knee(s), ${e(x.reason)}</li>`);
  parts.push(`<li>Reference grades: ${ref.distribution.map((n, g) => `KL${g}&nbsp;${n}`).join(', ')}</li>`);
  parts.push(
    `<li>${
      a.bootstrap.resamples
        ? `Intervals: ${conf}% percentile bootstrap, ${a.bootstrap.resamples} resamples of ${a.patients} patients (seed ${a.bootstrap.seed}); a patient's knees are resampled together.`
        : 'Intervals: none (bootstrap off).'
    }</li>`,
  );
  parts.push('</ul>');

  // Study table
  const t = report.studyTable;
  parts.push(
    '<h2>Agreement with the reference</h2><table id="study-table"><thead><tr><th class="l"></th><th class="l">Metric</th>',
  );
  for (const c of t.columns) parts.push(`<th>${e(c.name)}<br><small>${e(c.kind)}</small></th>`);
  parts.push('</tr></thead><tbody>');
  let last = '';
  for (const r of t.rows) {
    const first = r.section !== last;
    parts.push(
      `<tr${first ? ' class="sec"' : ''}><td class="l">${first ? e(r.section) : ''}</td><td class="l">${e(r.label)}</td>` +
        r.cells.map((c) => `<td>${e(formatEstimate(c, r.format))}</td>`).join('') +
        '</tr>',
    );
    last = r.section;
  }
  parts.push(
    '</tbody></table><p class="note">Cells: estimate (bootstrap interval). n/a: undefined on these data.</p>',
  );

  if (a.differences.length) {
    parts.push(
      '<h2>Paired differences</h2><table id="differences"><thead><tr><th class="l">a − b</th><th>n</th>',
    );
    for (const m of ['QWK', 'Linear κ', 'Exact accuracy', 'Adjacent accuracy', 'MAE'])
      parts.push(`<th>${m}</th><th>p</th>`);
    parts.push('</tr></thead><tbody>');
    for (const d of a.differences) {
      parts.push(`<tr><td class="l">${e(d.a)} − ${e(d.b)}</td><td>${d.n}</td>`);
      for (const k of ['qwk', 'linearKappa', 'exactAccuracy', 'adjacentAccuracy', 'mae'] as const)
        parts.push(
          `<td>${e(formatEstimate(d.metrics[k], 'decimal'))}</td><td>${e(formatNumber(d.metrics[k].p, 'decimal'))}</td>`,
        );
      parts.push('</tr>');
    }
    parts.push(
      '</tbody></table><p class="note">Both raters against the same reference on the knees all three graded; same resampled patients for both (paired bootstrap); p: two-sided bootstrap p for no difference.</p>',
    );
  }

  if (a.multiRater.length) {
    parts.push(
      '<h2>Agreement among several raters</h2><table id="multirater"><thead><tr><th class="l">Group</th><th>Fleiss κ</th><th>n</th><th>Light\'s κ</th><th>n</th><th>Krippendorff α (ordinal)</th><th>α (interval)</th><th>α (nominal)</th><th>units</th></tr></thead><tbody>',
    );
    for (const g of a.multiRater)
      parts.push(
        `<tr><td class="l">${e(g.label)}: ${e(g.raters.join(', '))}</td><td>${e(formatEstimate(g.fleiss.kappa, 'decimal'))}</td><td>${g.fleiss.n}</td>` +
          `<td>${e(formatNumber(g.light.kappa, 'decimal'))}</td><td>${g.light.n}</td><td>${e(formatEstimate(g.alpha.ordinal, 'decimal'))}</td>` +
          `<td>${e(formatEstimate(g.alpha.interval, 'decimal'))}</td><td>${e(formatEstimate(g.alpha.nominal, 'decimal'))}</td><td>${g.alpha.units}</td></tr>`,
      );
    parts.push(
      "</tbody></table><p class=\"note\">Fleiss' and Light's kappa: knees every rater in the group graded. Krippendorff's alpha: every knee with two or more grades.</p>",
    );
  }

  const pw = a.pairwise;
  parts.push(
    '<h2>Pairwise quadratic weighted kappa</h2><div class="charts"><div class="chart big" id="chart-pairwise"></div></div>',
  );
  parts.push(
    '<table id="pairwise"><thead><tr><th></th>' +
      pw.raters.map((r) => `<th>${e(r)}</th>`).join('') +
      '</tr></thead><tbody>',
  );
  pw.raters.forEach((r, i) =>
    parts.push(
      `<tr><th class="l">${e(r)}</th>` +
        pw.qwk[i]!.map(
          (v, j) =>
            `<td>${i === j ? '—' : `${e(formatEstimate({ value: v, lo: pw.qwkLo[i]![j]!, hi: pw.qwkHi[i]![j]! }, 'decimal'))} <small>(${pw.n[i]![j]})</small>`}</td>`,
        ).join('') +
        '</tr>',
    ),
  );
  parts.push(
    '</tbody></table><p class="note">Each pair on the knees both graded (n in round brackets; bootstrap interval in square brackets when computed).</p>',
  );

  parts.push(
    '<h2>Confusion matrices</h2><p class="note">Rows: reference grade; columns: the rater\'s grade. Colour: share of the reference grade\'s knees (row).</p><div class="charts">',
  );
  a.vsReference.forEach((_, i) => parts.push(`<div class="chart" id="chart-confusion-${i}"></div>`));
  parts.push('</div>');
  parts.push('<div class="tables">');
  a.vsReference.forEach((v) => {
    parts.push(
      `<div><h3>${e(v.rater)} (n = ${v.n})</h3><table class="confusion"><thead><tr><th>ref \\ rater</th>${[0, 1, 2, 3, 4].map((g) => `<th>KL${g}</th>`).join('')}</tr></thead><tbody>`,
    );
    v.confusion.forEach((row, g) =>
      parts.push(`<tr><th>KL${g}</th>${row.map((c) => `<td>${c}</td>`).join('')}</tr>`),
    );
    parts.push('</tbody></table></div>');
  });
  parts.push('</div>');

  if (a.intraReader.length) {
    parts.push(
      '<h2>Intra-reader agreement (re-reads)</h2><table id="intra"><thead><tr><th class="l">Reader</th><th class="l">First</th><th class="l">Second</th><th>n</th><th>QWK</th><th>Exact</th><th>Adjacent</th><th>Cohen\'s κ</th></tr></thead><tbody>',
    );
    for (const x of a.intraReader)
      parts.push(
        `<tr><td class="l">${e(x.reader)}</td><td class="l">${e(x.first)}</td><td class="l">${e(x.second)}</td><td>${x.n}</td>` +
          (['qwk', 'exactAccuracy', 'adjacentAccuracy', 'kappa'] as const)
            .map((k) => `<td>${e(formatEstimate(x.metrics[k], 'decimal'))}</td>`)
            .join('') +
          '</tr>',
      );
    parts.push('</tbody></table>');
  }
  if (report.notes.length)
    parts.push('<h2>Notes</h2><ul>' + report.notes.map((n) => `<li>${e(n)}</li>`).join('') + '</ul>');
  if (report.warnings.length)
    parts.push(
      `<h2>Warnings (${report.warnings.length})</h2><ul class="warn">` +
        report.warnings.map((w) => `<li>${e(w)}</li>`).join('') +
        '</ul>',
    );

  const chartData = {
    pairwise: { raters: pw.raters, qwk: pw.qwk },
    confusion: a.vsReference.map((v) => ({ rater: v.rater, n: v.n, matrix: v.confusion })),
  };
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:">
<title>${e(report.title)}</title><style>${CSS}</style></head>
<body>
${parts.join('\n')}
<script type="application/json" id="report-data">${scriptJson(chartData)}</script>
<script>${echartsBundle()}</script>
<script>${CHART_SCRIPT}</script>
</body></html>
`;
}

// Runs in the browser: draws the heatmaps from the embedded data with the inlined ECharts.
const CHART_SCRIPT = `
(function () {
  var data = JSON.parse(document.getElementById('report-data').textContent);
  var grades = ['KL0', 'KL1', 'KL2', 'KL3', 'KL4'];
  function heat(el, opt) { var c = echarts.init(el, null, { renderer: 'svg' }); c.setOption(opt); return c; }
  var pw = data.pairwise, cells = [];
  for (var i = 0; i < pw.raters.length; i++)
    for (var j = 0; j < pw.raters.length; j++)
      cells.push([j, i, i === j ? 1 : pw.qwk[i][j]]);
  var lowest = cells.reduce(function (m, c) { return c[2] === null ? m : Math.min(m, c[2]); }, 1);
  lowest = Math.max(-1, Math.min(0.9, Math.floor(lowest * 10) / 10));
  heat(document.getElementById('chart-pairwise'), {
    animation: false,
    title: { text: 'Pairwise QWK', left: 'center', textStyle: { fontSize: 13 } },
    grid: { left: 110, right: 20, top: 40, bottom: 110 },
    xAxis: { type: 'category', data: pw.raters, axisLabel: { rotate: 40 } },
    yAxis: { type: 'category', data: pw.raters, inverse: true },
    // Colour range from the lowest pairwise value (rounded down to 0.1) to 1, so close values stay distinguishable.
    visualMap: { min: lowest, max: 1, show: false, inRange: { color: ['#f7fbff', '#6baed6', '#08306b'] } },
    series: [{ type: 'heatmap', data: cells.filter(function (c) { return c[2] !== null; }),
      label: { show: true, formatter: function (p) { return p.value[2].toFixed(2); } } }]
  });
  data.confusion.forEach(function (m, k) {
    var pts = [];
    m.matrix.forEach(function (row, r) {
      var total = row.reduce(function (s, v) { return s + v; }, 0);
      row.forEach(function (v, c) { pts.push([c, r, total ? v / total : 0, v]); });
    });
    heat(document.getElementById('chart-confusion-' + k), {
      animation: false,
      title: { text: m.rater + ' (n = ' + m.n + ')', left: 'center', textStyle: { fontSize: 13 } },
      grid: { left: 60, right: 16, top: 40, bottom: 50 },
      xAxis: { type: 'category', data: grades, name: 'rater', nameLocation: 'middle', nameGap: 28 },
      yAxis: { type: 'category', data: grades, inverse: true, name: 'reference', nameLocation: 'middle', nameGap: 42 },
      visualMap: { min: 0, max: 1, dimension: 2, show: false, inRange: { color: ['#ffffff', '#fdae6b', '#a63603'] } },
      series: [{ type: 'heatmap', data: pts, label: { show: true, formatter: function (p) { return String(p.value[3]); } } }]
    });
  });
  document.documentElement.setAttribute('data-charts', 'ready');
})();
`;
