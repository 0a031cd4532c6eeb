// Filter chips and "another batch" for radar's page. The page reads fully without this:
// every card is in the HTML; this only hides some. The filter lives in the URL fragment
// (#author=..., #topic=..., #source=...), so a filtered view can be shared as a link.
(function () {
  "use strict";
  document.documentElement.classList.add("js");
  var list = document.getElementById("cards");
  if (!list) return;
  var cards = Array.prototype.slice.call(list.querySelectorAll("li.card"));
  var chips = Array.prototype.slice.call(document.querySelectorAll("a.chip"));
  var more = document.getElementById("more");
  var shown = document.getElementById("shown");
  var none = document.getElementById("none");
  var batch = parseInt(list.getAttribute("data-batch"), 10) || 10;
  var limit = batch;
  var key = "";

  function decode(text) {
    try { return decodeURIComponent(text); } catch (e) { return text; }
  }

  function chosen() {
    var hash = decode(location.hash || "#");
    for (var i = 0; i < chips.length; i++) {
      if (decode(chips[i].getAttribute("href")) === hash) return chips[i];
    }
    return null;
  }

  function show() {
    var matching = 0, visible = 0;
    cards.forEach(function (card) {
      var keys = " " + card.getAttribute("data-keys") + " ";
      var match = !key || keys.indexOf(" " + key + " ") >= 0;
      var later = match && matching >= limit;
      if (match) matching += 1;
      if (match && !later) visible += 1;
      card.classList.toggle("off", !match);
      card.classList.toggle("later", later);
    });
    more.hidden = visible >= matching;
    none.hidden = matching > 0 || cards.length === 0;
    shown.textContent = cards.length > batch || key
      ? shown.getAttribute("data-format").replace("{shown}", visible).replace("{total}", matching)
      : "";
  }

  function select() {
    var chip = chosen();
    key = chip ? chip.getAttribute("data-key") : "";
    chips.forEach(function (c) {
      c.setAttribute("aria-current", c.getAttribute("data-key") === key ? "true" : "false");
    });
    limit = batch;
    show();
  }

  more.addEventListener("click", function () { limit += batch; show(); });
  window.addEventListener("hashchange", select);
  window.addEventListener("beforeprint", function () {
    Array.prototype.forEach.call(document.querySelectorAll("details"), function (d) {
      d.open = true;
    });
  });
  select();
})();
