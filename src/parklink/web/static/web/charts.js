/* ParkLink charts: every <div class="pl-chart" data-options="ID"> becomes an ECharts chart whose
   option is the JSON in <script id="ID" type="application/json"> (built in Python, never here).
   Charts come alive on page load and after every htmx swap, follow the window's size, and a
   click on an item whose data carries `url` opens that URL (charts click through to lists). */
(function () {
  "use strict";

  var PALETTE = ["#1f6feb", "#2ea043", "#d29922", "#cf222e", "#8250df", "#1b7c83",
                 "#bf3989", "#6e7781", "#0a3069", "#953800"];
  var THEME = "parklink";
  var themed = false;

  function registerTheme() {
    if (themed || !window.echarts) return;
    window.echarts.registerTheme(THEME, {
      color: PALETTE,
      backgroundColor: "transparent",
      textStyle: {
        fontFamily: '"PingFang SC","Microsoft YaHei","Noto Sans CJK SC",sans-serif'
      },
      title: { textStyle: { fontSize: 14, fontWeight: 600, color: "#1f2328" } },
      legend: { textStyle: { color: "#57606a" } },
      categoryAxis: {
        axisLine: { lineStyle: { color: "#d0d7de" } },
        axisLabel: { color: "#57606a" },
        splitLine: { show: false }
      },
      valueAxis: {
        axisLabel: { color: "#57606a" },
        splitLine: { lineStyle: { color: "#eaeef2" } }
      }
    });
    themed = true;
  }

  function readOptions(element) {
    var id = element.getAttribute("data-options");
    var source = id && document.getElementById(id);
    if (!source) return null;
    try {
      return JSON.parse(source.textContent);
    } catch (error) {
      console.error("ParkLink chart " + id + ": bad options", error);
      return null;
    }
  }

  // Defence in depth: ECharts writes tooltips into the page as HTML. Python escapes every piece
  // of user text it puts into a tooltip (parklink.core.charts); ParkLink's own tooltip markup is
  // line breaks only, so any other tag in a tooltip formatter is shown as text, never parsed.
  function plainTooltip(formatter) {
    return formatter.replace(/<(?!br\s*\/?>)/gi, "&lt;");
  }

  function tameTooltips(node, isTooltip) {
    if (!node || typeof node !== "object") return node;
    Object.keys(node).forEach(function (key) {
      var value = node[key];
      if (isTooltip && key === "formatter" && typeof value === "string") {
        node[key] = plainTooltip(value);
      } else {
        tameTooltips(value, key === "tooltip");
      }
    });
    return node;
  }

  function initChart(element) {
    if (!window.echarts) return null;
    var existing = window.echarts.getInstanceByDom(element);
    if (existing) return existing;
    var options = tameTooltips(readOptions(element), false);
    if (!options) return null;
    registerTheme();
    var chart = window.echarts.init(element, THEME, { renderer: "canvas" });
    if (options.animationDuration === undefined) options.animationDuration = 400;
    chart.setOption(options);
    // Marks the chart once its animation has ended (screenshots and tests wait for it).
    chart.on("finished", function () { element.setAttribute("data-rendered", "true"); });
    chart.on("click", function (params) {
      var url = params && params.data && params.data.url;
      if (url) window.location.assign(url);
    });
    element.classList.add("is-ready");
    return chart;
  }

  function initWithin(root) {
    var scope = root && root.querySelectorAll ? root : document;
    var found = [];
    if (scope.classList && scope.classList.contains("pl-chart")) found.push(scope);
    scope.querySelectorAll(".pl-chart").forEach(function (element) { found.push(element); });
    return found.map(initChart);
  }

  function dispose(element) {
    if (!window.echarts || !element || !element.classList) return;
    if (!element.classList.contains("pl-chart")) return;
    var chart = window.echarts.getInstanceByDom(element);
    if (chart) chart.dispose();
  }

  function resizeAll() {
    if (!window.echarts) return;
    document.querySelectorAll(".pl-chart").forEach(function (element) {
      var chart = window.echarts.getInstanceByDom(element);
      if (chart) chart.resize();
    });
  }

  var pending = null;
  window.addEventListener("resize", function () {
    if (pending) window.clearTimeout(pending);
    pending = window.setTimeout(resizeAll, 120);
  });
  document.addEventListener("DOMContentLoaded", function () { initWithin(document); });
  // htmx:load fires for every piece of content htmx puts into the page (swaps and oob swaps).
  document.addEventListener("htmx:load", function (event) { initWithin(event.target); });
  // htmx cleans up every element it removes, one by one: free the charts among them.
  document.addEventListener("htmx:beforeCleanupElement", function (event) {
    dispose(event.target);
  });

  window.ParkLinkCharts = { init: initWithin, resize: resizeAll, palette: PALETTE };
})();
