// The charts of a key enterprise's public page (enterprises/public_enterprise.html): the
// data come from the view (enterprises.public_views._chart) as JSON in
// #enterprise-chart-data; the helpers from monitoring-charts.js.
document.addEventListener("DOMContentLoaded", function () {
  var source = document.getElementById("enterprise-chart-data");
  if (!window.echarts || !window.monitoringCharts || !source) { return; }
  var data = JSON.parse(source.textContent);
  var M = window.monitoringCharts;
  var charts = [];
  function draw(element, option) { M.draw(charts, element, option); }
  document.querySelectorAll("#hourly .mon-chart").forEach(function (element) {
    var item = (data.outlets[Number(element.dataset.outlet)] || [])[Number(element.dataset.pollutant)];
    if (!item || !item.valid.length) { return; }
    var option = {
      tooltip: {trigger: "axis"},
      grid: {left: 8, right: 28, top: 16, bottom: 8, containLabel: true},
      xAxis: M.timeAxis(),
      yAxis: {type: "value", scale: item.limit === null, max: M.niceMax(item.valid, item.limit)},
      series: [{name: item.name, type: "line", showSymbol: item.valid.length < 60, symbolSize: 4,
                data: item.valid, color: M.GREEN, markLine: M.limitLine(item.limit, data.labels.limit)}]
    };
    if (item.limit !== null) { option.visualMap = M.limitColours(item.valid, item.limit); }
    draw(element, option);
  });
  if (data.monthly.some(function (row) { return row[1] !== null; })) {
    draw(document.getElementById("monthly-chart"), {
      tooltip: {trigger: "axis"},
      grid: {left: 8, right: 16, top: 16, bottom: 8, containLabel: true},
      xAxis: {type: "category", data: data.monthly.map(function (row) { return row[0]; })},
      yAxis: {type: "value", min: 0, max: 100},
      series: [{name: data.labels.compliance, type: "bar", barMaxWidth: 24, color: M.GREEN,
                data: data.monthly.map(function (row) { return row[1]; })}]
    });
  } else {
    var element = document.getElementById("monthly-chart");
    if (element) { element.hidden = true; }
  }
  window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
});
