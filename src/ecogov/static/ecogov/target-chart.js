// The chart of a target's page (plans/target_detail.html): the data and the axes come
// from the view (plans.selectors.target_chart) as JSON in #chart-data.
document.addEventListener("DOMContentLoaded", function () {
  var source = document.getElementById("chart-data");
  var element = document.getElementById("target-chart");
  if (!window.echarts || !source || !element) { return; }
  var data = JSON.parse(source.textContent);
  var x = data.xAxis;
  var numeric = data.yAxis.type === "value";
  var chart = echarts.init(element);
  var goalLine = data.target === null ? undefined : {
    symbol: "none", lineStyle: {color: "#a4251a", type: "solid"},
    label: {formatter: data.labels.target + " " + data.targetText}, data: [{yAxis: data.target}]
  };
  var series = [{name: data.labels.measured, type: "line", data: data.values, symbolSize: 8, markLine: goalLine}];
  if (data.trend.length) {
    series.push({name: data.labels.trend, type: "line", data: data.trend, lineStyle: {type: "dashed"}, symbol: "none"});
  }
  var yAxis = {type: data.yAxis.type, name: data.yAxis.name || ""};
  if (numeric) {
    // Keep the target line in view: the axis spans the values and the target.
    yAxis.scale = true;
    yAxis.min = function (range) { return data.target === null ? range.min : Math.floor(Math.min(range.min, data.target)); };
    yAxis.max = function (range) { return data.target === null ? range.max : Math.ceil(Math.max(range.max, data.target)); };
  } else {
    yAxis.data = data.yAxis.data;
    yAxis.inverse = true;  // class I, the best, on top
    yAxis.boundaryGap = false;
  }
  chart.setOption({
    animation: false,
    tooltip: {trigger: "axis"},
    legend: {data: series.map(function (s) { return s.name; }), bottom: 0},
    grid: {left: 16, right: 110, top: 36, bottom: 40, containLabel: true},
    xAxis: {type: "time", min: x.min, max: x.max, minInterval: x.minIntervalDays * 86400000,
      axisLabel: {formatter: x.format, hideOverlap: true, alignMinLabel: "left", alignMaxLabel: "right"}},
    yAxis: yAxis,
    series: series
  });
  window.addEventListener("resize", function () { chart.resize(); });
  element.dataset.ready = "true";
});
