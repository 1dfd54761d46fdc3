// The gap report without reloads: pan and zoom the diagram, show a finding's path in it.
// Without this script every link still works: "?finding=N" draws the highlight server-side.
(function () {
  "use strict";

  var panel = document.getElementById("diagram-panel");
  var status = document.getElementById("diagram-status");
  if (!panel) {
    return;
  }
  var zoom = null;

  function button(label, action) {
    var b = document.createElement("button");
    b.type = "button";
    b.className = "secondary outline";
    b.textContent = label;
    b.addEventListener("click", action);
    return b;
  }

  function enhance() {
    if (zoom) {
      zoom.destroy();
      zoom = null;
    }
    var view = panel.querySelector(".diagram-view");
    var svg = view && view.querySelector("svg.gap-diagram");
    if (!svg || typeof window.svgPanZoom !== "function") {
      return;
    }
    // As tall as the diagram at full width, within 40% and 75% of the window.
    var box = svg.viewBox.baseVal;
    var wide = view.clientWidth || 600;
    var tall = box && box.width ? wide * box.height / box.width : wide / 2;
    view.style.height = Math.round(Math.max(window.innerHeight * 0.4, Math.min(tall + 16, window.innerHeight * 0.75))) + "px";
    svg.setAttribute("width", "100%");
    svg.setAttribute("height", "100%");
    view.classList.add("zoomable");
    zoom = window.svgPanZoom(svg, {
      fit: true,
      center: true,
      minZoom: 0.2,
      maxZoom: 30,
      zoomScaleSensitivity: 0.3,
      dblClickZoomEnabled: false,
      controlIconsEnabled: false,
    });
    // A diagram laid out in rows for the screen fits the column's width, top first, so
    // its text stays legible; the rest is a pan away. A strip fits whole.
    var rows = svg.getAttribute("data-layout") === "screen";
    function fit() {
      zoom.resize();
      zoom.fit();
      zoom.center();
      var sizes = zoom.getSizes();
      var across = sizes.width / sizes.viewBox.width;
      if (rows && across > sizes.realZoom * 1.01) {
        zoom.zoomBy(across / sizes.realZoom);
        zoom.pan({ x: 0, y: 0 });
      }
    }
    fit();
    var tools = document.createElement("div");
    tools.className = "zoom-tools";
    tools.append(
      button("Zoom in", function () { zoom.zoomIn(); }),
      button("Zoom out", function () { zoom.zoomOut(); }),
      button("Fit", fit)
    );
    view.before(tools);
    focusOn(view, svg, "g.witness");
    // Keyboard: arrows pan, + and - zoom, 0 fits, while the diagram has focus.
    view.addEventListener("keydown", function (event) {
      var step = 60;
      var moves = {
        ArrowLeft: { x: step, y: 0 }, ArrowRight: { x: -step, y: 0 },
        ArrowUp: { x: 0, y: step }, ArrowDown: { x: 0, y: -step },
      };
      if (event.target !== view) {
        return;
      }
      if (moves[event.key]) {
        zoom.panBy(moves[event.key]);
      } else if (event.key === "+" || event.key === "=") {
        zoom.zoomIn();
      } else if (event.key === "-") {
        zoom.zoomOut();
      } else if (event.key === "0") {
        fit();
      } else {
        return;
      }
      event.preventDefault();
    });
  }

  // Centre the diagram on the highlighted route and zoom in on it, if it is small.
  function focusOn(view, svg, selector) {
    var nodes = svg.querySelectorAll(selector);
    if (!nodes.length) {
      return;
    }
    var left = Infinity, top = Infinity, right = -Infinity, bottom = -Infinity;
    nodes.forEach(function (node) {
      var r = node.getBoundingClientRect();
      left = Math.min(left, r.left);
      top = Math.min(top, r.top);
      right = Math.max(right, r.right);
      bottom = Math.max(bottom, r.bottom);
    });
    var frame = svg.getBoundingClientRect();
    zoom.panBy({
      x: frame.left + frame.width / 2 - (left + right) / 2,
      y: frame.top + frame.height / 2 - (top + bottom) / 2,
    });
    var factor = 0.85 * Math.min(frame.width / (right - left + 1), frame.height / (bottom - top + 1));
    zoom.zoomBy(Math.max(1, Math.min(factor, 4)));
  }

  function mark(number) {
    document.querySelectorAll("article.finding").forEach(function (article) {
      var on = article.id === "finding-" + number;
      article.classList.toggle("selected", on);
      if (on) {
        article.setAttribute("aria-current", "true");
      } else {
        article.removeAttribute("aria-current");
      }
    });
  }

  function show(number, quiet) {
    var url = new URL(panel.dataset.src, window.location.href);
    var page = new URL(window.location.href);
    if (number) {
      url.searchParams.set("finding", number);
      page.searchParams.set("finding", number);
    } else {
      page.searchParams.delete("finding");
    }
    if (panel.dataset.stages === "1") {
      url.searchParams.set("stages", "1");
    }
    panel.setAttribute("aria-busy", "true");
    if (!quiet) {
      status.textContent = number ? "Drawing the route of finding " + number + "…" : "Clearing the highlight…";
    }
    fetch(url, { credentials: "same-origin", headers: { Accept: "text/html" } })
      .then(function (response) {
        if (!response.ok) {
          throw new Error("status " + response.status);
        }
        return response.text();
      })
      .then(function (html) {
        panel.innerHTML = html;
        panel.removeAttribute("aria-busy");
        enhance();
        mark(number);
        if (quiet) {
          return;
        }
        page.hash = "diagram";
        window.history.replaceState(null, "", page);
        status.textContent = number ? "The diagram shows the route of finding " + number + "." : "No route highlighted.";
        var top = panel.getBoundingClientRect().top;
        if (top < 0 || top > window.innerHeight) {
          panel.scrollIntoView({ block: "start" });
        }
      })
      .catch(function () {
        // Fall back to the plain link: the server draws the diagram in the page.
        page.searchParams.set("draw", "1");
        page.hash = "diagram";
        window.location.href = page.toString();
      });
  }

  document.addEventListener("click", function (event) {
    var link = event.target.closest("a.show-path");
    if (!link || event.ctrlKey || event.metaKey || event.shiftKey) {
      return;
    }
    event.preventDefault();
    show(link.dataset.finding);
  });

  // A large journey's diagram not drawn yet: fetch it, the panel busy meanwhile.
  if (panel.querySelector("[data-pending]")) {
    show(new URL(window.location.href).searchParams.get("finding"), true);
  } else {
    enhance();
  }
})();
