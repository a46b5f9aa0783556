// gitdora chart loader: draws every chart of the page with ECharts from
// the JSON option that follows its element. Without JavaScript (or when
// echarts.min.js cannot load) the tables below the charts carry the numbers.
(function () {
  "use strict";
  if (typeof window.echarts === "undefined") {
    return;
  }
  var root = document.documentElement;
  root.classList.add("charts");
  var media = window.matchMedia ? window.matchMedia("(prefers-color-scheme: dark)") : null;
  var instances = [];

  function draw() {
    var dark = media !== null && media.matches;
    instances.forEach(function (c) { c.dispose(); });
    instances = [];
    var nodes = document.querySelectorAll("script[data-chart]");
    for (var i = 0; i < nodes.length; i++) {
      var el = document.getElementById(nodes[i].getAttribute("data-chart"));
      if (el === null) {
        continue;
      }
      var option = JSON.parse(nodes[i].textContent);
      option.backgroundColor = "transparent";
      var chart = window.echarts.init(el, dark ? "dark" : null, { renderer: "canvas" });
      chart.setOption(option);
      instances.push(chart);
    }
  }

  draw();
  window.addEventListener("resize", function () {
    instances.forEach(function (c) { c.resize(); });
  });
  if (media !== null && media.addEventListener) {
    media.addEventListener("change", draw);
  }
})();
