// The inline stylesheet and script of `plumb report`'s page: the page loads nothing from the
// network (no fonts, no scripts, no images), so it is read the same offline, from a CI artifact
// or a mail attachment. The script only selects a counterexample: it marks that counterexample's
// SVG groups (listed in its row's `data-path`) with the class `on-path`, on a click or by the
// page's address (`report.html#assertion-3`), and opens the folded block an intent link points
// into.

export const REPORT_CSS = `
:root { --ink: #222; --muted: #666; --line: #d8d8d8; --bad: #b3261e; --good: #1b6e3a; --warn: #8a5a00; --path: #d2461e; }
* { box-sizing: border-box; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--ink); margin: 0; padding: 0 24px 48px; max-width: 1400px; }
header { border-bottom: 1px solid var(--line); padding: 16px 0 8px; }
h1 { font-size: 22px; margin: 0 0 4px; }
h2 { font-size: 18px; margin: 28px 0 8px; border-bottom: 1px solid var(--line); padding-bottom: 4px; }
h4 { margin: 12px 0 4px; font: 600 13px ui-monospace, monospace; }
.counts span { display: inline-block; margin-right: 16px; }
.muted, .note { color: var(--muted); }
.problem { color: var(--bad); }
svg.picture { max-width: 100%; height: auto; display: block; border: 1px solid var(--line); }
svg.picture g.on-path :is(polygon, path, ellipse, polyline):not([stroke="transparent"]) { stroke: var(--path); stroke-width: 3.5px; }
svg.picture g.edge.on-path path { stroke-dasharray: none; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: 4px 8px; border-bottom: 1px solid var(--line); vertical-align: top; }
tr.assertion.has-path { cursor: pointer; }
tr.assertion.selected { background: #fff1ea; }
.verdict { font-weight: 600; text-transform: uppercase; font-size: 12px; }
.verdict.proven { color: var(--good); } .verdict.refuted, .verdict.unknown { color: var(--bad); } .verdict.vacuous { color: var(--muted); }
.severity-error { color: var(--bad); font-weight: 600; } .severity-warning { color: var(--warn); font-weight: 600; }
pre { font: 12px/1.4 ui-monospace, "DejaVu Sans Mono", monospace; background: #f7f7f7; padding: 8px; overflow-x: auto; margin: 4px 0; }
pre.trace { background: #fff8f4; border-left: 3px solid var(--path); }
a.origin { color: #1a55a8; }
details { margin: 4px 0; } summary { cursor: pointer; font-weight: 600; }
.platform { font-weight: normal; color: var(--muted); margin-left: 6px; }
.source-text .line { display: block; } .source-text .line:target { background: #fff3b0; }
.ln { display: inline-block; width: 4ch; color: var(--muted); text-align: right; margin-right: 12px; user-select: none; }
`;

export const REPORT_SCRIPT = `
(function () {
  'use strict';
  var rows = document.querySelectorAll('tr.assertion.has-path');
  function select(row) {
    document.querySelectorAll('svg.picture .on-path').forEach(function (g) { g.classList.remove('on-path'); });
    document.querySelectorAll('tr.assertion.selected').forEach(function (r) { r.classList.remove('selected'); });
    row.classList.add('selected');
    (row.getAttribute('data-path') || '').split(' ').forEach(function (id) {
      var g = id && document.getElementById(id);
      if (g) g.classList.add('on-path');
    });
  }
  rows.forEach(function (row) { row.addEventListener('click', function () { select(row); }); });
  function openTarget(hash) {
    var target = hash && document.getElementById(decodeURIComponent(hash.slice(1)));
    for (var el = target; el; el = el.parentElement) if (el.tagName === 'DETAILS') el.open = true;
    if (target && target.classList.contains('has-path')) select(target);
  }
  document.querySelectorAll('a.origin').forEach(function (a) {
    a.addEventListener('click', function () { openTarget(a.getAttribute('href')); });
  });
  openTarget(window.location.hash);
})();
`;
