// The burn-down of a batch's problems (rectification/report_progress.html): the data
// come from the view (rectification.reports.burndown) as JSON in #burndown-data.
document.addEventListener("DOMContentLoaded", function () {
  var source = document.getElementById("burndown-data");
  var element = document.getElementById("burndown-chart");
  if (!window.echarts || !source || !element) { return; }
  var data = JSON.parse(source.textContent);
  var pairs = function (values) { return data.days.map(function (day, i) { return [day, values[i]]; }); };
  var series = [
    {name: data.labels.open, type: "line", step: "end", data: pairs(data.open), symbolSize: 6, lineStyle: {width: 3}, color: "#1f6f4a"},
    {name: data.labels.closed, type: "line", step: "end", data: pairs(data.closed), symbol: "none", color: "#1d4f86"},
    {name: data.labels.relapses, type: "line", step: "end", data: pairs(data.relapses), symbol: "none", color: "#a4251a"}
  ];
  if (data.ideal.length) {
    series.splice(1, 0, {name: data.labels.ideal, type: "line", data: data.ideal, symbol: "none", lineStyle: {type: "dashed"}, color: "#8a6100"});
  }
  var chart = echarts.init(element);
  chart.setOption({
    animation: false,
    tooltip: {trigger: "axis"},
    legend: {data: series.map(function (s) { return s.name; }), bottom: 0},
    grid: {left: 16, right: 24, top: 30, bottom: 48, containLabel: true},
    xAxis: {type: "time", axisLabel: {hideOverlap: true, formatter: "{yyyy}-{MM}-{dd}"}},
    yAxis: {type: "value", name: data.labels.problems, minInterval: 1, min: 0},
    series: series
  });
  window.addEventListener("resize", function () { chart.resize(); });
  element.dataset.ready = "true";
});
