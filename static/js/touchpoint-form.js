// The touchpoint form, on its page and in the map's side panel: say what "Comes after" will
// do before saving, add next-touchpoint rows without saving, and show the channel the engine
// guesses from a new touchpoint's title (the designer only corrects it).
(function () {
  "use strict";

  function afterEffect(form) {
    var select = form.querySelector("[data-insert-after]");
    var effect = form.querySelector("[data-after-effect]");
    if (!select || !effect) { return; }
    function say() {
      var option = select.options[select.selectedIndex];
      var branch = form.querySelector('input[name="after_mode"][value="branch"]');
      if (!option || !option.value) {
        effect.textContent = "If the touchpoint chosen above already leads somewhere, the new one is inserted between it and where it leads, unless you choose Add as a new branch.";
      } else if (!option.getAttribute("data-next")) {
        effect.textContent = "Comes after " + option.getAttribute("data-title") + ", which leads nowhere yet.";
      } else if (branch && branch.checked) {
        effect.textContent = "Add as a new branch of " + option.getAttribute("data-title") + ".";
      } else {
        effect.textContent = "Insert between " + option.getAttribute("data-title") + " and " + option.getAttribute("data-next") + ".";
      }
    }
    select.addEventListener("change", say);
    form.querySelectorAll('input[name="after_mode"]').forEach(function (r) { r.addEventListener("change", say); });
    say();
  }

  function moreRows(form) {
    var button = form.querySelector("[data-more-rows]");
    if (!button || button.dataset.ready) { return; }
    button.dataset.ready = "1";
    button.hidden = false;
    var help = form.querySelector("[data-more-rows-help]");
    if (help) { help.hidden = true; }
    button.addEventListener("click", function () {
      var rows = form.querySelectorAll(".next-row");
      var last = rows[rows.length - 1];
      if (!last) { return; }
      var n = rows.length;
      var copy = last.cloneNode(true);
      copy.querySelectorAll("[id], [for], [name]").forEach(function (el) {
        ["id", "for", "name"].forEach(function (attr) {
          var v = el.getAttribute(attr);
          if (v) { el.setAttribute(attr, v.replace(/next-\d+-/, "next-" + n + "-")); }
        });
        el.removeAttribute("aria-invalid");
        el.removeAttribute("aria-describedby");
        if (el.tagName === "SELECT") { el.selectedIndex = 0; }
        if (el.tagName === "INPUT") { el.value = ""; }
      });
      copy.querySelectorAll("small.error").forEach(function (e) { e.remove(); });
      copy.querySelectorAll("label").forEach(function (label) {
        label.textContent = label.textContent.replace(/\d+\s*$/, String(n + 1));
      });
      last.parentNode.insertBefore(copy, last.nextSibling);
      var select = copy.querySelector("select");
      if (select) { select.focus(); }
    });
  }

  function channelGuess(form) {
    var title = form.querySelector("#title");
    var channel = form.querySelector("#channel");
    var url = form.getAttribute("data-channel-guess");
    if (!title || !channel || !url || form.dataset.guessReady) { return; }
    form.dataset.guessReady = "1";
    var touched = false, timer = null;
    var note = document.createElement("small");
    note.setAttribute("role", "status");
    note.className = "channel-guess";
    channel.parentNode.appendChild(note);
    channel.addEventListener("input", function () { touched = true; note.textContent = ""; });
    title.addEventListener("input", function () {
      if (touched) { return; }
      window.clearTimeout(timer);
      timer = window.setTimeout(function () {
        fetch(url + "?title=" + encodeURIComponent(title.value), {credentials: "same-origin"})
          .then(function (r) { return r.ok ? r.json() : null; })
          .then(function (data) {
            if (data && data.channel && !touched) {
              channel.value = data.channel;
              note.textContent = "Channel guessed from the title: " + data.label + ". Change it if it is wrong.";
            }
          });
      }, 250);
    });
  }

  function setup() {
    document.querySelectorAll("form.touchpoint-form").forEach(function (form) {
      afterEffect(form);
      moreRows(form);
      channelGuess(form);
    });
  }
  document.addEventListener("DOMContentLoaded", setup);
  document.addEventListener("htmx:afterSettle", setup);
})();
