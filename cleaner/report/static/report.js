// boilerclean run report: the document view and its search. Everything else is static HTML.
// The embedded sample is JSON in <script id="report-data">; a document is rendered only when
// shown, so the page opens at the same speed whatever the sample holds.
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("report-data").textContent);
  var byId = {};
  data.docs.forEach(function (d) { byId[d.id] = d; });
  var search = document.getElementById("doc-search");
  var list = document.getElementById("doc-list");
  var view = document.getElementById("doc-view");

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  }

  function link(id) {
    var a = el("a", null, id);
    a.href = "#doc=" + encodeURIComponent(id);
    a.dataset.id = id;
    return a;
  }

  function fillList(filter) {
    var q = (filter || "").toLowerCase();
    list.textContent = "";
    var shown = 0;
    data.docs.forEach(function (d) {
      if (q && d.id.toLowerCase().indexOf(q) < 0) return;
      list.appendChild(link(d.id));
      shown += 1;
    });
    if (!shown) list.appendChild(el("span", "note", "No document of the sample matches."));
  }

  // A document is a list of segments [text, rule index] (-1: kept) plus dup_of per removal:
  // the repaired text is their concatenation, each removal in its place.
  function show(id) {
    var d = byId[id];
    view.textContent = "";
    Array.prototype.forEach.call(list.querySelectorAll("a"), function (a) {
      a.classList.toggle("on", a.dataset.id === id);
    });
    if (!d) {
      view.appendChild(el("p", "note", "Document " + JSON.stringify(id) + " is not in the " +
        "embedded sample. " + data.explainHint));
      return;
    }
    view.appendChild(el("h3", "doc-id", d.id));
    var meta = [];
    if (d.title) meta.push("title: " + d.title);
    if (d.url) meta.push("url: " + d.url);
    if (d.lang) meta.push("lang: " + d.lang);
    meta.push(d.removals + " removal(s), " + d.removedChars + " of " + d.chars + " characters");
    if (d.dropped) meta.push("dropped: " + (d.dropReason || "yes"));
    view.appendChild(el("div", "meta", meta.join(" · ")));
    var box = el("div", "text");
    d.segs.forEach(function (s) {
      if (s[1] < 0) { box.appendChild(document.createTextNode(s[0])); return; }
      var rule = data.rules[s[1]];
      var m = el("mark", "rm" + (s[2] ? " dup" : ""));
      m.dataset.rule = rule;
      m.title = rule + (s[2] ? " (copy of " + s[2] + ")" : "");
      m.appendChild(el("span", "lbl", rule));
      m.appendChild(document.createTextNode(s[0]));
      box.appendChild(m);
    });
    view.appendChild(box);
    view.appendChild(el("p", "note", data.explainHint));
  }

  function route() {
    var h = location.hash;
    if (h.indexOf("#doc=") === 0) {
      show(decodeURIComponent(h.slice(5)));
      return true;
    }
    return false;
  }

  search.addEventListener("input", function () { fillList(search.value); });
  search.addEventListener("keydown", function (e) {
    if (e.key === "Enter") { location.hash = "doc=" + encodeURIComponent(search.value.trim()); }
  });
  function routeAndScroll() {
    if (route()) document.getElementById("documents").scrollIntoView();
  }
  window.addEventListener("hashchange", routeAndScroll);
  fillList("");
  if (location.hash.indexOf("#doc=") === 0) routeAndScroll();
  else if (data.docs.length) show(data.docs[0].id);
  document.documentElement.dataset.ready = performance.now().toFixed(1);
})();
