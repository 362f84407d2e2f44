// Helpers of the monitoring charts (ECharts options), shared by the point and alarm pages
// and the public page of a key enterprise. Loaded with defer: ready before DOMContentLoaded.
window.monitoringCharts = {
  RED: "#a4251a", GREEN: "#1f6f4a", GREY: "#9aa5a0",
  // A chart without animation in the element (if the page has it), marked ready for the
  // browser tests and added to ``charts``, the page's list to resize with the window.
  draw: function (charts, element, option) {
    if (!element) { return; }
    var chart = echarts.init(element);
    chart.setOption(Object.assign({animation: false}, option));
    element.dataset.ready = "true";
    charts.push(chart);
  },
  // Time axis labels in the bureau's way: 11-23, 08:00. The last label ends at the plot's
  // right edge instead of being centred on it, where the chart would cut it.
  timeAxis: function (extra) {
    return Object.assign({type: "time", axisLabel: {hideOverlap: true, alignMaxLabel: "right", formatter: {
      year: "{yyyy}", month: "{yyyy}-{MM}", day: "{MM}-{dd}", hour: "{HH}:{mm}", minute: "{HH}:{mm}"}}}, extra || {});
  },
  // A round upper bound above the values and the limit, so that the limit stays in view.
  niceMax: function (values, limit) {
    if (limit === null || limit === undefined) { return null; }
    var top = Math.max.apply(null, values.map(function (v) { return v[1]; }).concat([limit])) * 1.1;
    if (!(top > 0)) { return null; }
    var step = Math.pow(10, Math.floor(Math.log10(top)) - 1);
    return Number((Math.ceil(top / step - 1e-9) * step).toPrecision(12));
  },
  // Colours of a line below and above its limit. The pieces are closed intervals: ECharts
  // fails on open-ended pieces of a line series (apache/echarts#18268).
  limitColours: function (values, limit) {
    var numbers = values.map(function (v) { return v[1]; }).concat([limit, 0]);
    var low = Math.min.apply(null, numbers) - 1, high = Math.max.apply(null, numbers) + 1;
    return {show: false, seriesIndex: 0, dimension: 1, pieces: [
      {gt: low, lte: limit, color: this.GREEN}, {gt: limit, lte: high, color: this.RED}]};
  },
  limitLine: function (limit, label) {
    return limit === null ? undefined : {symbol: "none", silent: true, lineStyle: {color: this.RED, type: "dashed"},
      label: {formatter: label + " " + limit, position: "insideEndTop"}, data: [{yAxis: limit}]};
  }
};
