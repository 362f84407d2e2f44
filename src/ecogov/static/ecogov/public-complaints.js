// The chart of the public complaint statistics (/public/complaints/): reports received,
// closed and closed on time in the last 12 months. Data from the page's json_script.
document.addEventListener("DOMContentLoaded", function () {
  var element = document.getElementById("complaints-chart");
  var source = document.getElementById("complaints-chart-data");
  if (!element || !source || !window.echarts) { return; }
  var data = JSON.parse(source.textContent);
  var chart = echarts.init(element);
  chart.setOption({
    animation: false,
    tooltip: {trigger: "axis"},
    legend: {top: 0},
    grid: {left: 36, right: 12, top: 36, bottom: 28},
    xAxis: {type: "category", data: data.months, axisLabel: {hideOverlap: true}},
    yAxis: {type: "value", minInterval: 1},
    series: [
      {name: data.labels.received, type: "bar", data: data.received, itemStyle: {color: "#6b8f9c"}},
      {name: data.labels.closed, type: "bar", data: data.closed, itemStyle: {color: "#1f6f4a"}},
      {name: data.labels.on_time, type: "line", data: data.on_time, itemStyle: {color: "#a4251a"}}
    ]
  });
  element.dataset.ready = "true";
  window.addEventListener("resize", function () { chart.resize(); });
});
