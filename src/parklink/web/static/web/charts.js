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

  // A series may give the figure its tooltip shows for each point ("valueTexts", by data
  // index: 超12.5亿元 where a month's sum holds a lower bound); ECharts escapes what it returns.
  function valueTexts(options) {
    list(options.series).forEach(function (series) {
      var texts = series && series.valueTexts;
      if (!Array.isArray(texts)) return;
      series.tooltip = series.tooltip || {};
      series.tooltip.valueFormatter = function (value, index) {
        var text = texts[index];
        return typeof text === "string" ? text : value;
      };
    });
    return options;
  }

  // A chart's card is narrower than this (a phone) → its narrow layout (ECharts media query).
  var NARROW = 480;

  function list(value) {
    if (value === undefined || value === null) return [];
    return Array.isArray(value) ? value : [value];
  }

  function beside(legend) {
    return legend.orient === "vertical" || legend.left === "right" || legend.right !== undefined;
  }

  // The narrow layout, generic over every chart ParkLink draws: a legend beside the plot goes
  // below it, every legend keeps to one scrolling line (never wrapping over the plot), a ring
  // moves up and shrinks to leave the legend its room, and category labels that would collide
  // are thinned out by ECharts instead of drawn on top of each other.
  function narrowOption(options) {
    var legends = list(options.legend);
    var moved = legends.some(beside);
    var narrow = {};
    if (legends.length) {
      // A new legend type is a new component to ECharts: it keeps only what is restated here.
      narrow.legend = legends.map(function (legend) {
        var scrolling = Object.assign({}, legend, { type: "scroll" });
        if (!beside(legend)) return scrolling;
        return Object.assign(scrolling, {
          orient: "horizontal", left: "center", right: null, top: "bottom"
        });
      });
    }
    var series = list(options.series);
    if (moved && series.some(function (one) { return one.type === "pie"; })) {
      narrow.series = series.map(function (one) {
        return one.type === "pie" ? { center: ["50%", "44%"], radius: ["30%", "54%"] } : {};
      });
    }
    if (moved && options.grid) {
      narrow.grid = list(options.grid).map(function (grid) {
        return { bottom: (typeof grid.bottom === "number" ? grid.bottom : 8) + 32 };
      });
    }
    var xAxes = list(options.xAxis);
    if (xAxes.length) {
      narrow.xAxis = xAxes.map(function (axis) {
        // A chart that labels every category itself (interval 0, labels wrapping) keeps them.
        var every = axis.axisLabel && axis.axisLabel.interval === 0;
        return axis.type === "category" && !every ? { axisLabel: { interval: "auto", hideOverlap: true } } : {};
      });
    }
    return narrow;
  }

  // ECharts' description of the data: a hidden title (an empty state's message) is not named,
  // and a point on a category axis reads "name: value" without its position on that axis.
  function ariaOption(options) {
    var label = {};
    var title = list(options.title)[0];
    if (title && title.show === false) {
      label.general = { withTitle: locale() === "EN" ? "This is a chart" : "这是一个图表，" };
    }
    var x = list(options.xAxis)[0];
    var y = list(options.yAxis)[0];
    var category = x && x.type === "category" ? 0 : y && y.type === "category" ? 1 : -1;
    if (category >= 0) label.data = { excludeDimensionId: [category] };
    return { enabled: true, label: label };
  }

  function locale() {
    return (document.documentElement.lang || "").toLowerCase().indexOf("en") === 0 ? "EN" : "ZH";
  }

  // Charts are pictures to assistive technology (role="img"): their name is the template's
  // aria-label or else their card's heading, followed by the description of the data that
  // ECharts' aria component writes into aria-label on every render.
  function chartName(element) {
    var given = element.getAttribute("aria-label");
    if (given) return given;
    var card = element.closest("section, .pl-card, article");
    var heading = card && card.querySelector("h1, h2, h3, h4");
    return heading ? heading.textContent.trim() : "";
  }

  function nameChart(element, name) {
    var label = element.getAttribute("aria-label") || "";
    if (name && label.indexOf(name) !== 0) {
      var colon = locale() === "EN" ? ": " : ":";
      element.setAttribute("aria-label", label ? name + colon + label : name);
    }
  }

  function initChart(element) {
    if (!window.echarts) return null;
    var existing = window.echarts.getInstanceByDom(element);
    if (existing) return existing;
    var options = tameTooltips(readOptions(element), false);
    if (!options) return null;
    valueTexts(options);
    registerTheme();
    var chart = window.echarts.init(element, THEME, { renderer: "canvas", locale: locale() });
    if (options.animationDuration === undefined) options.animationDuration = 400;
    if (options.aria === undefined) options.aria = ariaOption(options);
    var name = chartName(element);  // before ECharts writes its description into aria-label
    chart.setOption({
      baseOption: options,
      media: [{ query: { maxWidth: NARROW }, option: narrowOption(options) }]
    });
    element.setAttribute("role", "img");
    nameChart(element, name);
    // Marks the chart once its animation has ended (screenshots and tests wait for it).
    chart.on("finished", function () {
      nameChart(element, name);
      element.setAttribute("data-rendered", "true");
    });
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
