// The journey map as a workspace: Fit and zoom, arrows drawn card to card, highlight of a
// card's routes, dragging cards between cells (SortableJS) and connecting by dragging a
// handle. Every change goes through the map's plain forms, which htmx sends in place.
(function () {
  "use strict";
  var SVG = "http://www.w3.org/2000/svg";
  var ZOOMS = [0.5, 0.6, 0.7, 0.8, 0.9, 1, 1.15, 1.3, 1.5];
  var view, zoom = 1, fit = false, lastFocus = null;

  function store(name, value) {
    try { window.sessionStorage.setItem("map-" + name, value); } catch (e) { /* private mode */ }
  }
  function stored(name) {
    try { return window.sessionStorage.getItem("map-" + name); } catch (e) { return null; }
  }

  function applyZoom() {
    if (!view) { return; }
    view.classList.toggle("fit", fit);
    var table = view.querySelector("table.map");
    if (table) { table.style.zoom = fit ? "" : String(zoom); }
    var button = document.querySelector("[data-zoom=fit]");
    if (button) { button.setAttribute("aria-pressed", fit ? "true" : "false"); }
    draw();
  }

  function setupZoom() {
    var tools = document.querySelector("[data-map-zoom]");
    if (!tools) { return; }
    tools.hidden = false;
    fit = stored("fit") === "1";
    zoom = parseFloat(stored("zoom") || "1") || 1;
    tools.addEventListener("click", function (event) {
      var button = event.target.closest("[data-zoom]");
      if (!button) { return; }
      var what = button.getAttribute("data-zoom");
      if (what === "fit") {
        fit = !fit;
        zoom = 1;
      } else {
        fit = false;
        var i = ZOOMS.indexOf(zoom);
        if (i < 0) { i = ZOOMS.indexOf(1); }
        i = what === "in" ? Math.min(i + 1, ZOOMS.length - 1) : Math.max(i - 1, 0);
        zoom = ZOOMS[i];
      }
      store("fit", fit ? "1" : "0");
      store("zoom", String(zoom));
      applyZoom();
      if (fit) { view.scrollIntoView({block: "start"}); }
    });
  }

  function box(el, origin) {
    var r = el.getBoundingClientRect();
    return {x: r.left - origin.left, y: r.top - origin.top, w: r.width, h: r.height};
  }

  function draw() {
    var canvas = document.querySelector(".map-canvas");
    var layer = canvas && canvas.querySelector("[data-routes-layer]");
    if (!layer) { return; }
    while (layer.firstChild) { layer.removeChild(layer.firstChild); }
    layer.setAttribute("width", canvas.scrollWidth);
    layer.setAttribute("height", canvas.scrollHeight);
    var origin = canvas.getBoundingClientRect();
    var defs = document.createElementNS(SVG, "defs");
    defs.innerHTML = '<marker id="route-head" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z"></path></marker>';
    layer.appendChild(defs);
    var cards = {};
    canvas.querySelectorAll("article.card[data-touchpoint]").forEach(function (card) {
      cards[card.getAttribute("data-touchpoint")] = card;
    });
    Object.keys(cards).forEach(function (from) {
      var routes = [];
      try { routes = JSON.parse(cards[from].getAttribute("data-routes") || "[]"); } catch (e) { routes = []; }
      routes.forEach(function (route) {
        var target = cards[route[0]];
        if (!target) { return; }
        var a = box(cards[from], origin), b = box(target, origin);
        var d, lx, ly;
        var sx = a.x + a.w, sy = a.y + Math.min(a.h / 2, 28);
        var tx = b.x, ty = b.y + Math.min(b.h / 2, 28);
        if (b.x > a.x + a.w / 2) {
          // Forward: from the right edge to the left edge.
          var mid = (sx + tx) / 2;
          d = "M" + sx + "," + sy + " C" + mid + "," + sy + " " + mid + "," + ty + " " + tx + "," + ty;
          lx = mid; ly = (sy + ty) / 2;
        } else if (Math.abs(b.x - a.x) < 4) {
          // Same column: around the right-hand side.
          sx = a.x + a.w; tx = b.x + b.w;
          var out = Math.max(sx, tx) + 26;
          d = "M" + sx + "," + sy + " C" + out + "," + sy + " " + out + "," + ty + " " + tx + "," + ty;
          lx = out - 6; ly = (sy + ty) / 2;
        } else {
          // A loop back to an earlier stage: under the cards, bottom edge to bottom edge.
          sx = a.x + a.w / 2; sy = a.y + a.h; tx = b.x + b.w / 2; ty = b.y + b.h;
          var low = Math.max(sy, ty) + 34;
          d = "M" + sx + "," + sy + " C" + sx + "," + low + " " + tx + "," + low + " " + tx + "," + ty;
          lx = (sx + tx) / 2; ly = low - 8;
        }
        var g = document.createElementNS(SVG, "g");
        g.setAttribute("class", "route" + (b.x > a.x + a.w / 2 ? "" : " route-back"));
        g.setAttribute("data-from", from);
        g.setAttribute("data-to", route[0]);
        var path = document.createElementNS(SVG, "path");
        path.setAttribute("d", d);
        path.setAttribute("marker-end", "url(#route-head)");
        g.appendChild(path);
        if (route[1] !== null && route[1] !== undefined) {
          var text = document.createElementNS(SVG, "text");
          text.setAttribute("x", lx);
          text.setAttribute("y", ly - 3);
          text.setAttribute("text-anchor", "middle");
          text.textContent = (Math.round(route[1] * 1000) / 10) + "%";
          g.appendChild(text);
        }
        layer.appendChild(g);
      });
    });
  }

  function highlight(card, on) {
    var id = card.getAttribute("data-touchpoint");
    card.classList.toggle("lit", on);
    document.querySelectorAll('[data-routes-layer] g[data-from="' + id + '"], [data-routes-layer] g[data-to="' + id + '"]').forEach(function (g) {
      g.classList.toggle("lit", on);
    });
  }

  function submit(form) {
    if (form.requestSubmit) { form.requestSubmit(); } else { form.submit(); }
  }

  function setupDrag() {
    if (!window.Sortable) { return; }
    document.querySelectorAll("#map-region td.cell").forEach(function (cell) {
      window.Sortable.create(cell, {
        group: "cards",
        draggable: "article.card",
        filter: "input, select, textarea, summary, button, label, .connect-handle, .card-tool",
        preventOnFilter: false,
        animation: 120,
        forceFallback: true,
        fallbackOnBody: true,
        ghostClass: "card-ghost",
        onStart: function () { document.body.classList.add("dragging"); },
        onEnd: function (event) {
          document.body.classList.remove("dragging");
          if (event.from === event.to) { draw(); return; }
          var form = event.item.querySelector("[data-move-form]");
          if (!form) { return; }
          form.elements.stage.value = event.to.getAttribute("data-stage");
          form.elements.lane.value = event.to.getAttribute("data-lane");
          lastFocus = "card-" + event.item.getAttribute("data-touchpoint");
          submit(form);
        }
      });
    });
  }

  function setupConnectDrag() {
    var region = document.getElementById("map-region");
    if (!region) { return; }
    region.querySelectorAll(".connect-handle").forEach(function (handle) {
      handle.addEventListener("dragstart", function (event) {
        var card = handle.closest("article.card");
        event.dataTransfer.setData("text/x-claimpath-from", card.getAttribute("data-touchpoint"));
        event.dataTransfer.effectAllowed = "link";
        document.body.classList.add("connecting");
      });
      handle.addEventListener("dragend", function () { document.body.classList.remove("connecting"); });
    });
    region.querySelectorAll("article.card").forEach(function (card) {
      card.addEventListener("dragover", function (event) {
        if ([].indexOf.call(event.dataTransfer.types, "text/x-claimpath-from") >= 0) {
          event.preventDefault();
          card.classList.add("drop-target");
        }
      });
      card.addEventListener("dragleave", function () { card.classList.remove("drop-target"); });
      card.addEventListener("drop", function (event) {
        var from = event.dataTransfer.getData("text/x-claimpath-from");
        card.classList.remove("drop-target");
        if (!from || from === card.getAttribute("data-touchpoint")) { return; }
        event.preventDefault();
        var source = region.querySelector('article.card[data-touchpoint="' + from + '"]');
        var form = source && source.querySelector("[data-connect-form]");
        if (!form) { return; }
        form.elements.to.value = card.getAttribute("data-title");
        submit(form);
      });
    });
  }

  function setup() {
    view = document.getElementById("map-view");
    if (!view) { return; }
    var region = document.getElementById("map-region");
    region.querySelectorAll("article.card").forEach(function (card) {
      card.addEventListener("mouseenter", function () { highlight(card, true); });
      card.addEventListener("mouseleave", function () { highlight(card, false); });
      card.addEventListener("focusin", function () { highlight(card, true); });
      card.addEventListener("focusout", function () { highlight(card, false); });
    });
    region.querySelectorAll("details.card-tool").forEach(function (details) {
      details.addEventListener("toggle", draw);
    });
    setupDrag();
    setupConnectDrag();
    applyZoom();
  }

  document.addEventListener("htmx:beforeRequest", function (event) {
    var el = document.activeElement;
    var source = event.detail && event.detail.elt;
    if (source && source.matches && source.matches("[data-panel-link]")) {
      lastFocus = "title";
    } else if (source && source.matches && source.matches("[data-panel-close]")) {
      lastFocus = null;
    } else if (source && source.closest && source.closest("[data-move-form], [data-connect-form]")) {
      lastFocus = lastFocus || ("card-" + source.closest("article.card").getAttribute("data-touchpoint"));
    } else if (el && el.id && !lastFocus) {
      lastFocus = el.id;
    }
  });
  document.addEventListener("htmx:afterSettle", function () {
    setup();
    if (document.querySelector("[data-error-summary]")) { lastFocus = null; return; }
    var target = lastFocus && document.getElementById(lastFocus);
    lastFocus = null;
    if (target) {
      if (target.matches("h3")) {
        var link = target.querySelector("a");
        (link || target).focus();
      } else {
        target.focus();
      }
    } else if (document.querySelector(".map-done")) {
      var undo = document.getElementById("undo");
      if (undo && !document.getElementById("side-panel")) { undo.focus(); }
    }
  });
  window.addEventListener("resize", function () { draw(); });
  document.addEventListener("DOMContentLoaded", function () {
    setupZoom();
    setup();
    if (window.ResizeObserver) {
      var canvas = document.querySelector(".map-canvas");
      if (canvas) { new window.ResizeObserver(function () { draw(); }).observe(canvas); }
    }
    if (document.getElementById("side-panel") && !document.querySelector("[data-error-summary]")) {
      var title = document.getElementById("title");
      if (title) { title.focus(); }
    }
  });
})();
