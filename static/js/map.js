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
        fallbackOnBody: false,
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

  // Connecting by dragging a card's handle onto another card, with pointer events (mouse,
  // pen and touch alike): a draft line follows the pointer; letting go over a card sends the
  // card's own Connect form, so the change is saved like any other.
  function setupConnectDrag() {
    var region = document.getElementById("map-region");
    if (!region) { return; }
    region.querySelectorAll(".connect-handle").forEach(function (handle) {
      handle.addEventListener("pointerdown", function (event) {
        if (event.button !== 0) { return; }
        event.preventDefault();
        event.stopPropagation();
        var card = handle.closest("article.card");
        var canvas = document.querySelector(".map-canvas");
        var layer = canvas && canvas.querySelector("[data-routes-layer]");
        var from = card.getAttribute("data-touchpoint");
        var line = document.createElementNS(SVG, "line");
        line.setAttribute("class", "route-draft");
        var origin = canvas.getBoundingClientRect(), start = handle.getBoundingClientRect();
        line.setAttribute("x1", start.left + start.width / 2 - origin.left);
        line.setAttribute("y1", start.top + start.height / 2 - origin.top);
        line.setAttribute("x2", line.getAttribute("x1"));
        line.setAttribute("y2", line.getAttribute("y1"));
        if (layer) { layer.appendChild(line); }
        document.body.classList.add("connecting");
        var over = null;
        function under(e) {
          var el = document.elementFromPoint(e.clientX, e.clientY);
          var target = el && el.closest && el.closest("#map-region article.card");
          return target && target.getAttribute("data-touchpoint") !== from ? target : null;
        }
        function move(e) {
          var box = canvas.getBoundingClientRect();
          line.setAttribute("x2", e.clientX - box.left);
          line.setAttribute("y2", e.clientY - box.top);
          var target = under(e);
          if (target !== over) {
            if (over) { over.classList.remove("drop-target"); }
            over = target;
            if (over) { over.classList.add("drop-target"); }
          }
        }
        function up(e) {
          document.removeEventListener("pointermove", move);
          document.removeEventListener("pointerup", up);
          document.body.classList.remove("connecting");
          if (line.parentNode) { line.parentNode.removeChild(line); }
          if (over) { over.classList.remove("drop-target"); }
          var target = under(e);
          var form = card.querySelector("[data-connect-form]");
          if (!target || !form) { return; }
          form.elements.to.value = target.getAttribute("data-title");
          lastFocus = "card-" + from;
          submit(form);
        }
        document.addEventListener("pointermove", move);
        document.addEventListener("pointerup", up);
      });
    });
  }

  // Undo stays on screen for at least KEEP_MS after a change, even when the next part of
  // the map swapped in (opening a panel, a refused change) carries no change of its own.
  var KEEP_MS = 12000, kept = null;
  function keepDone() {
    var region = document.getElementById("map-region");
    if (!region) { return; }
    var done = region.querySelector(".map-done");
    if (done) {
      var revision = done.getAttribute("data-revision");
      if (!kept || kept.revision !== revision) { kept = {revision: revision, since: Date.now()}; }
      kept.node = done.cloneNode(true);
      return;
    }
    if (!kept || Date.now() - kept.since > KEEP_MS) { kept = null; return; }
    var copy = kept.node.cloneNode(true);
    copy.setAttribute("data-kept", "1");
    var before = region.querySelector("nav.lanes, .map-large, .map-scroll");
    if (before && before.parentNode === region) { region.insertBefore(copy, before); } else { region.appendChild(copy); }
    if (window.htmx) { window.htmx.process(copy); }
  }

  function setup() {
    keepDone();
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
  // htmx puts focus back on the box that had it as it swaps, then settles some 20 ms later.
  // Whoever moved focus in between (a person tabbing on, a fast typist) keeps it: settling
  // only moves focus that is still where the swap left it.
  var swappedFocus = null;
  document.addEventListener("htmx:afterSwap", function () { swappedFocus = document.activeElement; });
  document.addEventListener("htmx:afterSettle", function () {
    setup();
    var moved = swappedFocus !== null && document.activeElement !== swappedFocus;
    swappedFocus = null;
    if (moved || document.querySelector("[data-error-summary]")) { lastFocus = null; return; }
    var target = lastFocus && document.getElementById(lastFocus);
    lastFocus = null;
    if (target) {
      if (target.matches("h3")) {
        var link = target.querySelector("a");
        (link || target).focus();
      } else if (target.closest("details:not([open])")) {
        // A box inside a tool that came back closed (Rename, Move): its summary instead.
        target.closest("details").querySelector("summary").focus();
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
