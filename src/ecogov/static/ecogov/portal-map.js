/* The portal's report map (templates cases/public/report.html): grid outlines with their
   names, a search over the names of places EcoGov knows, the name of the place under the
   chosen point, and "use my position". Intranets have no internet tiles, so the names
   are what lets a citizen find their street; a tile server is used when configured.
   A static file, not an inline script: the Content-Security-Policy allows no others. */
(function () {
  "use strict";

  var COLOURS = {1: "#145236", 2: "#1f6f4a", 3: "#b7860b"};
  var WEIGHTS = {1: 3, 2: 2, 3: 1};

  function json(id) {
    var element = document.getElementById(id);
    return element ? JSON.parse(element.textContent) : null;
  }

  function label(text, level) {
    var span = document.createElement("span");
    span.textContent = text; // names are data: never parsed as HTML
    return L.divIcon({className: "grid-label grid-label-" + level, html: span, iconSize: null});
  }

  function start() {
    var element = document.getElementById("report-map");
    if (!element || typeof L === "undefined") { return; }
    var data = json("report-boundaries") || {type: "FeatureCollection", features: []};
    var tiles = json("report-tiles") || {};
    var map = L.map(element, {attributionControl: Boolean(tiles.url && tiles.attribution), zoomSnap: 0.25});
    if (tiles.url) {
      L.tileLayer(tiles.url, {maxZoom: 19, attribution: tiles.attribution || ""}).addTo(map);
    }

    // Outlines, deepest level on top so that a tap lands on the village.
    var features = data.features.slice().sort(function (a, b) { return a.properties.level - b.properties.level; });
    function style(f) {
      var level = f.properties.level;
      return {color: COLOURS[level] || "#1f6f4a", weight: WEIGHTS[level] || 1, fillOpacity: level === 3 ? 0.06 : 0.02};
    }
    var layer = L.geoJSON({type: "FeatureCollection", features: features}, {style: style}).addTo(map);

    // Names at each grid's label point (or, when that is off screen, in the middle of
    // the grid's part on screen). Streets and townships first, wrapped onto two lines
    // when the grid is narrow, as many as fit without overlapping one another; a
    // village's name once the village is wide enough for it; a street's name gives way
    // when all its villages show theirs; the district's when no street shows.
    var SIZES = {1: 15, 2: 13, 3: 12};
    var labels = [];
    layer.eachLayer(function (shape) {
      var p = shape.feature.properties;
      var icon = label(p.name, p.level);
      var marker = L.marker([p.label[0], p.label[1]], {icon: icon, interactive: false, keyboard: false});
      labels.push({id: p.id, parent: p.parent, name: p.name, level: p.level, shape: shape, marker: marker,
        span: icon.options.html, home: L.latLng(p.label[0], p.label[1]), size: SIZES[p.level] || 12});
    });
    var ORDER = {2: 0, 1: 1, 3: 2};
    labels.sort(function (a, b) { return ORDER[a.level] - ORDER[b.level]; });

    function inRing(ring, x, y) {
      var inside = false;
      for (var i = 0, j = ring.length - 1; i < ring.length; j = i++) {
        var xi = ring[i][0], yi = ring[i][1], xj = ring[j][0], yj = ring[j][1];
        if ((yi > y) !== (yj > y) && x < (xj - xi) * (y - yi) / (yj - yi) + xi) { inside = !inside; }
      }
      return inside;
    }
    function contains(geometry, at) {
      var polygons = geometry.type === "Polygon" ? [geometry.coordinates] : geometry.coordinates;
      return polygons.some(function (rings) {
        return inRing(rings[0], at.lng, at.lat) && !rings.slice(1).some(function (hole) { return inRing(hole, at.lng, at.lat); });
      });
    }
    function anchor(item, view) {
      if (view.contains(item.home)) { return item.home; }
      var b = item.shape.getBounds();
      var south = Math.max(b.getSouth(), view.getSouth()), north = Math.min(b.getNorth(), view.getNorth());
      var west = Math.max(b.getWest(), view.getWest()), east = Math.min(b.getEast(), view.getEast());
      if (south >= north || west >= east) { return null; }
      var middle = L.latLng((south + north) / 2, (west + east) / 2);
      return contains(item.shape.feature.geometry, middle) ? middle : null;
    }
    var ruler = document.createElement("canvas").getContext("2d");
    var font = window.getComputedStyle(element).fontFamily;
    var widths = {};
    function measure(text, item) {
      var key = item.level + text;
      if (!(key in widths)) {
        ruler.font = (item.level < 3 ? "bold " : "") + item.size + "px " + font;
        widths[key] = Math.ceil(ruler.measureText(text).width) + 6;
      }
      return widths[key];
    }
    function layout(item, view) {
      var at = anchor(item, view);
      if (!at) { return null; }
      var bounds = item.shape.getBounds();
      var room = map.latLngToContainerPoint(bounds.getSouthEast()).x - map.latLngToContainerPoint(bounds.getNorthWest()).x - 4;
      // One line when there is room, else two lines broken in the middle of the name.
      var one = measure(item.name, item);
      var lines = one <= room ? 1 : 2;
      var width = lines === 1 ? one : measure(item.name.slice(0, Math.ceil(item.name.length / 2)), item);
      var point = map.latLngToContainerPoint(at), height = lines * (item.size + 5);
      return {at: at, width: width, fits: room >= width, left: point.x - width / 2, right: point.x + width / 2,
        top: point.y - height / 2, bottom: point.y + height / 2};
    }
    function showLabels() {
      var view = map.getBounds(), fit = {}, children = {}, placed = [], streets = 0;
      labels.forEach(function (item) {
        item.box = layout(item, view);
        fit[item.id] = Boolean(item.box && item.box.fits);
        if (item.parent) { (children[item.parent] = children[item.parent] || []).push(item.id); }
      });
      labels.forEach(function (item) {
        var kids = children[item.id] || [];
        var box = item.box;
        var show = Boolean(box) && (item.level === 3 ? box.fits : !(kids.length && kids.every(function (id) { return fit[id]; })));
        if (item.level === 1) { show = show && streets === 0; }
        show = show && !placed.some(function (b) { return b.left < box.right && box.left < b.right && b.top < box.bottom && box.top < b.bottom; });
        if (show) {
          placed.push(box);
          if (item.level === 2) { streets += 1; }
          item.marker.setLatLng(box.at);
          item.span.style.width = box.width + "px";
          if (!map.hasLayer(item.marker)) { item.marker.addTo(map); }
        } else if (map.hasLayer(item.marker)) {
          map.removeLayer(item.marker);
        }
      });
    }
    map.on("zoomend moveend", showLabels);

    if (data.features.length) { map.fitBounds(layer.getBounds(), {padding: [8, 8]}); } else { map.setView([36.6, 101.78], 11); }
    showLabels();

    // The chosen point, and the name of the place under it.
    var point = document.getElementById("point");
    var locateUrl = element.dataset.locateUrl;
    var marker = null;
    var asked = 0;
    function describe(lat, lon) {
      var mine = ++asked;
      var coordinates = lon.toFixed(5) + ", " + lat.toFixed(5);
      point.textContent = coordinates;
      point.classList.remove("error");
      if (!locateUrl) { return; }
      fetch(locateUrl + "?lon=" + encodeURIComponent(lon.toFixed(6)) + "&lat=" + encodeURIComponent(lat.toFixed(6)), {headers: {Accept: "application/json"}})
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (place) {
          if (mine !== asked || !place) { return; }
          point.textContent = "";
          var name = document.createElement("strong");
          if (place.place) {
            name.textContent = place.place;
          } else {
            name.textContent = element.dataset.outside;
            point.classList.add("error");
          }
          point.appendChild(name);
          if (place.responsible) {
            point.appendChild(document.createTextNode(" · " + element.dataset.responsible + place.responsible));
          }
          point.appendChild(document.createTextNode(" (" + coordinates + ")"));
        })
        .catch(function () {});
    }
    function put(lat, lon) {
      document.getElementById("lon").value = lon.toFixed(6);
      document.getElementById("lat").value = lat.toFixed(6);
      if (marker) { marker.setLatLng([lat, lon]); } else { marker = L.circleMarker([lat, lon], {radius: 8, color: "#a4251a", weight: 3}).addTo(map); }
      describe(lat, lon);
    }
    var lon = parseFloat(document.getElementById("lon").value), lat = parseFloat(document.getElementById("lat").value);
    if (!isNaN(lon) && !isNaN(lat)) { put(lat, lon); }
    map.on("click", function (e) { put(e.latlng.lat, e.latlng.lng); });
    layer.on("click", function (e) { put(e.latlng.lat, e.latlng.lng); });

    var locate = document.getElementById("locate-me");
    if (locate) {
      locate.addEventListener("click", function () {
        if (!navigator.geolocation) { return; }
        navigator.geolocation.getCurrentPosition(function (p) {
          put(p.coords.latitude, p.coords.longitude);
          map.setView([p.coords.latitude, p.coords.longitude], 16);
        });
      });
    }

    // Search over the names of grids, townships, streets, villages and sources.
    var search = document.getElementById("place-search");
    var results = document.getElementById("place-results");
    var found = null;
    function go(place) {
      if (found) { found.remove(); found = null; }
      layer.resetStyle();
      if (place.bounds) {
        map.fitBounds([[place.bounds[1], place.bounds[0]], [place.bounds[3], place.bounds[2]]], {maxZoom: 17});
        layer.eachLayer(function (shape) {
          if (shape.feature.properties.name === place.name) { shape.setStyle({color: "#1d4f86", weight: 4}); shape.bringToFront(); }
        });
      } else {
        map.setView([place.lat, place.lon], 17);
        found = L.circleMarker([place.lat, place.lon], {radius: 6, color: "#1d4f86", fillOpacity: 0.8, interactive: false})
          .bindTooltip(place.name, {permanent: true, direction: "top", offset: [0, -6]}).addTo(map);
      }
      results.hidden = true;
      element.scrollIntoView({block: "nearest"});
    }
    function show(places) {
      results.textContent = "";
      if (!places.length) {
        var none = document.createElement("li");
        none.className = "muted";
        none.textContent = search.dataset.none;
        results.appendChild(none);
      }
      places.forEach(function (place) {
        var item = document.createElement("li");
        var button = document.createElement("button");
        button.type = "button";
        button.className = "place";
        button.textContent = place.name;
        var kind = document.createElement("small");
        kind.textContent = place.kind_label;
        button.appendChild(kind);
        button.addEventListener("click", function () { go(place); });
        item.appendChild(button);
        results.appendChild(item);
      });
      results.hidden = false;
    }
    function find() {
      var text = search.value.trim();
      if (!text) { results.hidden = true; return; }
      fetch(search.dataset.url + "?q=" + encodeURIComponent(text), {headers: {Accept: "application/json"}})
        .then(function (response) { return response.ok ? response.json() : {places: []}; })
        .then(function (answer) { if (search.value.trim() === text) { show(answer.places); } })
        .catch(function () {});
    }
    if (search && results) {
      var timer = null;
      search.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(find, 250); });
      search.addEventListener("keydown", function (e) {
        if (e.key === "Enter") { e.preventDefault(); clearTimeout(timer); find(); } // never sends the report
      });
      var goButton = document.getElementById("place-search-go");
      if (goButton) { goButton.addEventListener("click", find); }
    }

    var anonymous = document.getElementById("anonymous");
    if (anonymous) {
      var contact = function () { ["name", "phone"].forEach(function (id) { document.getElementById(id).disabled = anonymous.checked; }); };
      anonymous.addEventListener("change", contact);
      contact();
    }
    element.dataset.ready = "true";
  }

  document.addEventListener("DOMContentLoaded", start);
}());
