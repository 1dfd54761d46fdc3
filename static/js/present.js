// Presentation mode on the gap report: the top findings one at a time, full screen.
// Right arrow, Page Down or Space steps on, Left arrow or Page Up steps back, Home and End
// go to the first and last, Escape leaves and gives focus back to the Present button.
// Each finding's learner route is highlighted by the server, as "Show finding N in the
// diagram" draws it (the same cached drawing), fetched from this site only.
(function () {
  "use strict";

  var section = document.getElementById("presentation");
  var opener = document.getElementById("present-open");
  if (!section || !opener) {
    return;
  }
  var items = Array.prototype.slice.call(section.querySelectorAll(".present-finding"));
  var count = section.querySelector("#present-count");
  var title = section.querySelector("#present-title");
  var stage = section.querySelector(".present-diagram");
  var drawings = {};
  var current = -1;
  var asked = 0;
  var others = [];

  // The dialog sits at the top of the document, so everything else can be made inert.
  document.body.append(section);
  opener.hidden = false;

  function drawing(number) {
    if (!drawings[number]) {
      var url = new URL(section.dataset.src, window.location.href);
      url.searchParams.set("finding", number);
      drawings[number] = fetch(url, { credentials: "same-origin", headers: { Accept: "text/html" } })
        .then(function (response) {
          if (!response.ok) {
            throw new Error("status " + response.status);
          }
          return response.text();
        })
        .then(function (html) {
          var holder = document.createElement("div");
          holder.innerHTML = html;
          return holder.querySelector("svg.gap-diagram");
        });
    }
    return drawings[number];
  }

  // Show the whole diagram, or, when the route is a small part of it, the route and
  // what is around it, so the highlighted touchpoints read from the back of the room.
  function fit(svg) {
    svg.removeAttribute("width");
    svg.removeAttribute("height");
    svg.setAttribute("focusable", "false");
    svg.querySelectorAll("a").forEach(function (link) {
      link.setAttribute("tabindex", "-1");
    });
    // A copy of the report's drawing: its ids must not repeat the report's.
    svg.querySelectorAll("[id]").forEach(function (element) {
      element.id = "present-" + element.id;
    });
    var route = svg.querySelectorAll("g.witness");
    var whole = svg.viewBox.baseVal;
    var ctm = svg.getScreenCTM();
    if (!route.length || !ctm || !whole || !whole.width) {
      return;
    }
    var inverse = ctm.inverse();
    var left = Infinity, top = Infinity, right = -Infinity, bottom = -Infinity;
    route.forEach(function (node) {
      var r = node.getBoundingClientRect();
      [[r.left, r.top], [r.right, r.bottom]].forEach(function (corner) {
        var p = new DOMPoint(corner[0], corner[1]).matrixTransform(inverse);
        left = Math.min(left, p.x);
        top = Math.min(top, p.y);
        right = Math.max(right, p.x);
        bottom = Math.max(bottom, p.y);
      });
    });
    var pad = 40;
    var width = Math.max(right - left + 2 * pad, whole.width * 0.35);
    var height = Math.max(bottom - top + 2 * pad, whole.height * 0.2);
    if (width >= whole.width && height >= whole.height) {
      return;
    }
    width = Math.min(width, whole.width);
    height = Math.min(height, whole.height);
    var x = Math.max(whole.x, Math.min((left + right - width) / 2, whole.x + whole.width - width));
    var y = Math.max(whole.y, Math.min((top + bottom - height) / 2, whole.y + whole.height - height));
    svg.setAttribute("viewBox", [x, y, width, height].map(function (n) { return n.toFixed(1); }).join(" "));
  }

  function show(index) {
    if (index < 0 || index >= items.length) {
      return;
    }
    current = index;
    items.forEach(function (item, i) {
      item.hidden = i !== index;
    });
    var item = items[index];
    var number = item.dataset.finding;
    var summary = item.querySelector(".present-summary").textContent.trim();
    // Seen: "Finding 2 of 5"; heard: that and the finding's summary.
    var spoken = document.createElement("span");
    spoken.className = "visually-hidden";
    spoken.textContent = ": " + summary;
    count.replaceChildren("Finding " + (index + 1) + " of " + items.length, spoken);
    section.dataset.current = number;
    var mine = ++asked;
    stage.setAttribute("aria-busy", "true");
    drawing(number)
      .then(function (svg) {
        if (mine !== asked) {
          return;
        }
        stage.replaceChildren();
        if (svg) {
          var copy = svg.cloneNode(true);
          stage.append(copy);
          fit(copy);
        } else {
          stage.textContent = "No diagram could be drawn; the finding reads on the right.";
        }
        stage.removeAttribute("aria-busy");
      })
      .catch(function () {
        if (mine === asked) {
          delete drawings[number];
          stage.textContent = "The diagram could not be fetched; the finding reads on the right.";
          stage.removeAttribute("aria-busy");
        }
      });
    // The next finding's drawing is on its way before it is asked for.
    if (index + 1 < items.length) {
      drawing(items[index + 1].dataset.finding).catch(function () {});
    }
  }

  function open() {
    others = Array.prototype.filter.call(document.body.children, function (child) {
      return child !== section && !child.inert;
    });
    others.forEach(function (child) {
      child.inert = true;
    });
    section.hidden = false;
    document.documentElement.classList.add("presenting");
    if (section.requestFullscreen) {
      section.requestFullscreen().catch(function () {});  // refused: the page fills the window
    }
    show(0);
    title.focus();
  }

  function close() {
    if (section.hidden) {
      return;
    }
    section.hidden = true;
    document.documentElement.classList.remove("presenting");
    others.forEach(function (child) {
      child.inert = false;
    });
    others = [];
    count.textContent = "";
    current = -1;
    opener.focus();
    if (document.fullscreenElement === section && document.exitFullscreen) {
      // Leaving full screen can move focus again: give it back once it is done.
      document.exitFullscreen().then(function () { opener.focus(); }, function () {});
    }
  }

  opener.addEventListener("click", open);
  section.addEventListener("click", function (event) {
    var button = event.target.closest("button");
    if (!button) {
      return;
    }
    if (button.hasAttribute("data-leave")) {
      close();
    } else if (button.dataset.step) {
      show(current + Number(button.dataset.step));
    }
  });
  // Leaving full screen with the browser's own Escape leaves the presentation too.
  document.addEventListener("fullscreenchange", function () {
    if (!document.fullscreenElement && !section.hidden) {
      close();
    }
    if (!document.fullscreenElement && section.hidden && document.activeElement === document.body) {
      opener.focus();
    }
  });
  section.addEventListener("keydown", function (event) {
    var onButton = event.target.closest("button");
    var key = event.key;
    if (key === "Escape") {
      close();
    } else if (key === "ArrowRight" || key === "PageDown" || (key === " " && !onButton)) {
      show(current + 1);
    } else if (key === "ArrowLeft" || key === "PageUp") {
      show(current - 1);
    } else if (key === "Home") {
      show(0);
    } else if (key === "End") {
      show(items.length - 1);
    } else if (key === "Tab") {
      // Focus stays inside the presentation: its heading, the finding's words (they
      // scroll when long) and its three buttons.
      var stops = [title, section.querySelector(".present-findings")].concat(
        Array.prototype.slice.call(section.querySelectorAll("button"))
      );
      var at = stops.indexOf(document.activeElement);
      var next = (at + (event.shiftKey ? -1 : 1) + stops.length) % stops.length;
      stops[next].focus();
    } else {
      return;
    }
    event.preventDefault();
  });
})();
