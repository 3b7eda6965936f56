/* Instant job search over the split index in /search/ (format: README.md, "Search").
   Plain ES2017, no framework, no build step. Posting text is untrusted: it only ever
   reaches the page through textContent, never innerHTML. */
(function () {
  "use strict";

  var ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  var SYMBOLS = [["c++", " cpp "], ["c#", " csharp "], ["f#", " fsharp "], [".net", " dotnet "]];
  var WEIGHTS = [10, 5, 1]; // title/tags, company/location, description
  var EXACT = 1, PREFIX = 0.8, FUZZY = 0.5, FUZZY_MIN = 5;
  var PAGE = 10, SHOWN_VALUES = 10;
  var FILTERS = ["remote", "type", "location", "remote_from", "tag", "currency"];
  var MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
  var DIGIT = {};
  for (var d = 0; d < ALPHABET.length; d++) DIGIT[ALPHABET[d]] = d;

  var app = document.getElementById("search-app");
  if (!app || !window.fetch) return;
  var el = function (id) { return document.getElementById(id); };
  var input = el("q"), status = el("search-status"), list = el("search-results"), more = el("search-more");
  var groupsBox = el("filter-groups"), salaryInput = el("salary-min"), clearButton = el("clear-filters");
  var base = app.getAttribute("data-index") || "/search/";
  var manifest = null, shardKeys = null, files = new Map(), salaries = null, groups = [];
  var state = readUrl(), typing = false, runId = 0, last = null;

  /* ---- text: must match site_gen/search_codec.py ---- */
  function normalise(text) {
    return text.normalize("NFKD").toLowerCase().replace(/\p{M}/gu, "");
  }
  function tokenise(text) {
    text = normalise(text);
    SYMBOLS.forEach(function (s) { text = text.split(s[0]).join(s[1]); });
    return text.match(/[\p{L}\p{N}]+/gu) || [];
  }
  function decodeNumbers(packed) {
    var out = [], value = 0, scale = 1;
    for (var i = 0; i < packed.length; i++) {
      var v = DIGIT[packed[i]];
      if (v >= 32) { value += (v - 32) * scale; scale *= 32; continue; }
      out.push(value + v * scale);
      value = 0; scale = 1;
    }
    return out;
  }
  function decodeIds(packed) {
    var out = [];
    if (!packed) return out;
    if (packed[0] === ".") {
      for (var c = 1; c < packed.length; c++) {
        var bits = DIGIT[packed[c]];
        for (var b = 0; b < 6; b++) if (bits >> b & 1) out.push((c - 1) * 6 + b);
      }
      return out;
    }
    var prev = -1;
    decodeNumbers(packed).forEach(function (gap) { prev += gap + 1; out.push(prev); });
    return out;
  }

  /* ---- fetching ---- */
  function get(path) {
    if (!files.has(path)) {
      var url = base + path + (manifest ? "?v=" + manifest.v : "");
      var promise = fetch(url, manifest ? {} : { cache: "no-cache" }).then(function (r) {
        if (!r.ok) throw new Error(r.status + " " + url);
        return r.json();
      });
      promise.catch(function () { files.delete(path); });
      files.set(path, promise);
    }
    return files.get(path);
  }
  function shardFile(key) {
    if (/^[a-z0-9]+$/.test(key)) return key;
    return "_" + Array.from(new TextEncoder().encode(key), function (b) {
      return (b < 16 ? "0" : "") + b.toString(16);
    }).join("");
  }
  function shardOf(word) {
    for (var n = word.length; n > 0; n--) if (shardKeys.has(word.slice(0, n))) return word.slice(0, n);
    return null;
  }
  function shard(word) {
    var key = shardOf(word);
    return key ? get("t/" + shardFile(key) + ".json") : Promise.resolve({});
  }
  function loadGroup(g) { // one filter's values: [url value, label, packed ids, depth?] -> + v.ids
    if (!g.loading) g.loading = get("f/" + g.key + ".json").then(function (values) {
      values.forEach(function (v) { v.ids = decodeIds(v[2]); });
      g.values = values;
      fillGroup(g);
      return g;
    });
    return g.loading;
  }
  function loadSalaries() {
    if (!salaries) salaries = get("salary.json").then(function (d) { return decodeNumbers(d.annual_max_plus_one); });
    return salaries;
  }

  /* ---- matching ---- */
  function withinOneEdit(a, b) { // one insertion, deletion, substitution or swap of neighbours
    if (Math.abs(a.length - b.length) > 1) return false;
    var i = 0;
    while (i < a.length && i < b.length && a[i] === b[i]) i++;
    if (i === a.length || i === b.length) return true;
    if (a.length === b.length) {
      return a.slice(i + 1) === b.slice(i + 1) ||
        (a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2));
    }
    return a.length > b.length ? a.slice(i + 1) === b.slice(i) : a.slice(i) === b.slice(i + 1);
  }
  function nearWord(query, word) {
    return withinOneEdit(query, word) || (word.length > query.length &&
      (withinOneEdit(query, word.slice(0, query.length)) || withinOneEdit(query, word.slice(0, query.length + 1))));
  }
  function addEntry(scores, entry, factor) {
    entry.forEach(function (packed, group) {
      var score = WEIGHTS[group] * factor;
      decodeIds(packed).forEach(function (id) {
        if (!(scores.get(id) >= score)) scores.set(id, score);
      });
    });
  }
  function longerShards(word) { // a split prefix: its words of 3+ letters live in longer shards
    if (word.length < 2) return [];
    return Array.from(shardKeys).filter(function (k) { return k.length > word.length && k.lastIndexOf(word, 0) === 0; })
      .map(function (k) { return get("t/" + shardFile(k) + ".json"); });
  }
  async function wordScores(word) {
    var scores = new Map(), found = false;
    var shards = await Promise.all([shard(word)].concat(longerShards(word)));
    shards.forEach(function (s) {
      Object.keys(s).forEach(function (w) {
        if (w.lastIndexOf(word, 0) === 0) { found = true; addEntry(scores, s[w], w === word ? EXACT : PREFIX); }
      });
    });
    if (found || word.length < FUZZY_MIN) return scores;
    // A typo may sit past a split prefix, and a swap of the first two letters changes the
    // prefix, so look at every shard of both two-letter groups.
    var heads = [word.slice(0, 2), word[1] + word[0]];
    shards = await Promise.all(Array.from(shardKeys).filter(function (k) {
      return k.length >= 2 && (k.lastIndexOf(heads[0], 0) === 0 || k.lastIndexOf(heads[1], 0) === 0);
    }).map(function (k) { return get("t/" + shardFile(k) + ".json"); }));
    shards.forEach(function (s) {
      Object.keys(s).forEach(function (w) { if (nearWord(word, w)) addEntry(scores, s[w], FUZZY); });
    });
    return scores;
  }
  async function match(words) { // id -> summed score, for postings matching every word
    var maps = await Promise.all(words.map(wordScores));
    maps.sort(function (a, b) { return a.size - b.size; });
    var out = new Map();
    maps[0].forEach(function (score, id) {
      for (var i = 1; i < maps.length; i++) {
        var s = maps[i].get(id);
        if (s === undefined) return;
        score += s;
      }
      out.set(id, score);
    });
    return out;
  }

  /* ---- filters ---- */
  function masksFor(active) { // per filter in use: which postings have one of its chosen values
    return active.map(function (g) {
      var mask = new Uint8Array(manifest.n);
      g.values.forEach(function (v) {
        if (state.f[g.key].indexOf(v[0]) >= 0) v.ids.forEach(function (id) { mask[id] = 1; });
      });
      return { key: g.key, mask: mask };
    });
  }
  function filterIds(ids, masks, pay, skip) {
    return ids.filter(function (id) {
      if (pay && !(pay[id] > state.salary)) return false; // stored as annual maximum + 1: the range reaches the minimum
      return masks.every(function (m) { return m.key === skip || m.mask[id]; });
    });
  }
  function countValues(g) { // counts within the results of every other filter (values of one filter OR)
    var inSet = new Uint8Array(manifest.n);
    filterIds(last.ids, last.masks, last.pay, g.key).forEach(function (id) { inSet[id] = 1; });
    return g.values.map(function (v) {
      var n = 0;
      v.ids.forEach(function (id) { n += inSet[id]; });
      return n;
    });
  }

  /* ---- URL state ---- */
  function readUrl() {
    var params = new URLSearchParams(location.search), f = {};
    FILTERS.forEach(function (k) { f[k] = params.getAll(k).filter(Boolean); });
    var salary = parseFloat(params.get("salary"));
    return { q: params.get("q") || "", f: f, salary: salary > 0 ? salary : null };
  }
  function writeUrl(push) {
    var params = new URLSearchParams();
    if (state.q.trim()) params.set("q", state.q.trim());
    FILTERS.forEach(function (k) { state.f[k].forEach(function (v) { params.append(k, v); }); });
    if (state.salary) params.set("salary", String(state.salary));
    var query = params.toString(), url = location.pathname + (query ? "?" + query : "");
    if (url === location.pathname + location.search) return;
    history[push ? "pushState" : "replaceState"](null, "", url);
  }

  /* ---- rendering ---- */
  function node(tag, className, text) {
    var n = document.createElement(tag);
    if (className) n.className = className;
    if (text !== undefined) n.textContent = text;
    return n;
  }
  function humanDate(iso) {
    var p = iso.split("-");
    return Number(p[2]) + " " + MONTHS[Number(p[1]) - 1] + " " + p[0];
  }
  function card(rec) {
    var li = node("li", "job-card"), h = node("h2", "job-title"), a = node("a", "", rec.t);
    if (/^\/(?![\/\\])/.test(rec.u)) a.href = rec.u; // a site path, never another origin
    h.appendChild(a);
    li.appendChild(h);
    li.appendChild(node("p", "job-company", rec.c));
    var facts = node("ul", "job-facts");
    if (rec.l) facts.appendChild(node("li", "fact-location", rec.l.join(" · ")));
    if (rec.r === "yes" || rec.r === "hybrid") {
      var badge = node("li");
      badge.appendChild(node("span", "badge badge-" + (rec.r === "yes" ? "remote" : "hybrid"), rec.r === "yes" ? "Remote" : "Hybrid"));
      facts.appendChild(badge);
    }
    if (rec.e) facts.appendChild(node("li", "", rec.e));
    if (rec.s) facts.appendChild(node("li", "fact-salary", rec.s));
    var when = node("li"), time = node("time", "", humanDate(rec.d));
    time.setAttribute("datetime", rec.d);
    when.appendChild(time);
    facts.appendChild(when);
    li.appendChild(facts);
    if (rec.g) {
      var tags = node("ul", "tag-list");
      tags.setAttribute("aria-label", "Tags");
      rec.g.forEach(function (t) { var item = node("li"); item.appendChild(node("span", "tag", t)); tags.appendChild(item); });
      li.appendChild(tags);
    }
    if (rec.x) li.appendChild(node("p", "job-summary", rec.x));
    return li;
  }
  function records(ids) {
    var size = manifest.chunk;
    return Promise.all(ids.map(function (id) {
      return get("s/" + Math.floor(id / size) + ".json").then(function (chunk) { return chunk[id % size]; });
    }));
  }
  function describe(total) {
    var jobs = total.toLocaleString("en") + (total === 1 ? " job" : " jobs");
    var q = state.q.trim(), filtered = FILTERS.some(function (k) { return state.f[k].length; }) || state.salary;
    if (!manifest.n) return "No open jobs right now.";
    if (!total) return "No jobs match" + (q ? " “" + q + "”" : "") + (filtered ? " with these filters" : "") +
      ". Try fewer or shorter words" + (filtered ? ", or clear a filter." : ".");
    var verb = total === 1 ? " matches" : " match";
    if (q) return jobs + verb + " “" + q + "”" + (filtered ? " with these filters." : ".");
    return jobs + (filtered ? verb + " these filters." : " open, newest first.");
  }
  async function showPage(ids, from, focusFirst) {
    var id = runId, recs = await records(ids.slice(from, from + PAGE));
    if (id !== runId) return;
    if (!from) list.textContent = "";
    var first = null;
    recs.forEach(function (rec) { var li = card(rec); first = first || li; list.appendChild(li); });
    more.hidden = from + PAGE >= ids.length;
    if (focusFirst && first) first.querySelector("a").focus();
  }

  function buildGroups() { // one disclosure per filter; long lists stay closed until wanted
    var narrow = window.matchMedia("(max-width: 720px)").matches; // on phones, results first
    groupsBox.textContent = "";
    groups.forEach(function (g) {
      var details = node("details", "filter-group"), fs = node("fieldset");
      details.setAttribute("data-filter", g.key);
      var legend = node("legend", "visually-hidden", g.label);
      details.appendChild(node("summary", "", g.label));
      fs.appendChild(legend);
      g.list = node("ul", "filter-values");
      g.list.appendChild(node("li", "search-help", "Loading…"));
      fs.appendChild(g.list);
      details.appendChild(fs);
      details.open = (g.eager && !narrow) || state.f[g.key].length > 0;
      details.addEventListener("toggle", function () {
        if (details.open) loadGroup(g).then(function () { updateGroup(g); });
      });
      g.details = details;
      details.hidden = !g.size; // e.g. no posting states a salary
      groupsBox.appendChild(details);
    });
  }
  function fillGroup(g) {
    g.list.textContent = "";
    g.rows = g.values.map(function (v, i) {
      var li = node("li", v[3] ? "filter-depth-" + Math.min(v[3], 2) : ""), box = node("input"), label = node("label", "", v[1] + " "), count = node("span", "filter-count");
      box.type = "checkbox";
      box.id = "f-" + g.key + "-" + i;
      box.name = g.key;
      box.value = v[0];
      label.htmlFor = box.id;
      label.appendChild(count);
      box.addEventListener("change", function () {
        var chosen = state.f[g.key], at = chosen.indexOf(v[0]);
        if (box.checked && at < 0) chosen.push(v[0]);
        if (!box.checked && at >= 0) chosen.splice(at, 1);
        typing = false;
        writeUrl(true);
        run();
      });
      li.appendChild(box);
      li.appendChild(label);
      g.list.appendChild(li);
      return { li: li, box: box, count: count };
    });
    if (g.values.length > SHOWN_VALUES) {
      g.toggle = node("button", "filter-toggle");
      g.toggle.type = "button";
      g.toggle.addEventListener("click", function () {
        g.expanded = !g.expanded;
        updateGroup(g);
      });
      g.list.parentNode.appendChild(g.toggle);
    }
  }
  function updateGroup(g) { // counts and visibility of one filter's values for the last search
    if (!g.values || !last || !(g.details.open || state.f[g.key].length)) return;
    var counts = countValues(g), shown = 0, hidden = 0, any = false;
    g.values.forEach(function (v, i) {
      var row = g.rows[i], n = counts[i], checked = state.f[g.key].indexOf(v[0]) >= 0;
      var visible = checked || (n > 0 && (g.expanded || shown < SHOWN_VALUES));
      row.box.checked = checked;
      row.count.textContent = "(" + n.toLocaleString("en") + ")";
      row.li.hidden = !visible;
      if (visible && !checked) shown++;
      if (!visible && n > 0) hidden++;
      any = any || visible;
    });
    if (!any && !g.empty) {
      g.empty = node("li", "search-help", "None in these results.");
      g.list.appendChild(g.empty);
    }
    if (g.empty) g.empty.hidden = any;
    if (g.toggle) {
      g.toggle.hidden = !g.expanded && !hidden;
      g.toggle.textContent = g.expanded ? "Show fewer" : "Show " + hidden + " more";
      g.toggle.setAttribute("aria-expanded", String(!!g.expanded));
    }
  }

  /* ---- the search itself ---- */
  async function run() {
    var id = ++runId;
    var words = Array.from(new Set(tokenise(state.q)));
    list.setAttribute("aria-busy", "true");
    var active = groups.filter(function (g) { return state.f[g.key].length; });
    try {
      var found = words.length ? await match(words) : null;
      await Promise.all(active.map(loadGroup));
      var pay = state.salary ? await loadSalaries() : null;
      if (id !== runId) return;
      var ids = found ? Array.from(found.keys()) : Array.from({ length: manifest.n }, function (_, i) { return i; });
      var masks = masksFor(active);
      var hits = filterIds(ids, masks, pay, null);
      if (found) hits.sort(function (a, b) { return found.get(b) - found.get(a) || a - b; });
      last = { ids: ids, masks: masks, pay: pay };
      groups.forEach(function (g) {
        if (active.indexOf(g) >= 0) g.details.open = true;
        if (g.details.open) loadGroup(g).then(function () { if (id === runId) updateGroup(g); });
      });
      await showPage(hits, 0, false);
      if (id !== runId) return;
      status.textContent = describe(hits.length); // after the results, so it announces what is shown
      list.setAttribute("aria-busy", "false");
      more.onclick = function () { showPage(hits, list.children.length, true); };
    } catch (err) {
      if (id !== runId) return;
      status.textContent = "Search is unavailable right now (" + err.message + "). Please reload the page.";
      list.setAttribute("aria-busy", "false");
    }
  }
  var timer = 0;
  function schedule() {
    clearTimeout(timer);
    timer = setTimeout(run, 120);
  }
  function syncInputs() {
    input.value = state.q;
    salaryInput.value = state.salary || "";
  }

  input.addEventListener("input", function () {
    state.q = input.value;
    writeUrl(!typing); // a new entry when typing starts, then keep it up to date
    typing = true;
    schedule();
  });
  input.form.addEventListener("submit", function (e) {
    e.preventDefault();
    state.q = input.value;
    typing = false;
    writeUrl(true);
    run();
  });
  salaryInput.addEventListener("change", function () {
    var value = parseFloat(salaryInput.value);
    state.salary = value > 0 ? value : null;
    typing = false;
    writeUrl(true);
    run();
  });
  clearButton.addEventListener("click", function () {
    FILTERS.forEach(function (k) { state.f[k] = []; });
    state.salary = null;
    syncInputs();
    typing = false;
    writeUrl(true);
    run();
  });
  window.addEventListener("popstate", function () {
    state = readUrl();
    typing = false;
    syncInputs();
    run();
  });

  window.jobSearch = { tokenise: tokenise }; // lets tests check it against the Python tokeniser
  app.hidden = false;
  syncInputs();
  get("manifest.json").then(function (m) {
    manifest = m;
    shardKeys = new Set(m.shards ? m.shards.split(" ") : []);
    groups = m.filters.map(function (f) { return { key: f[0], label: f[1], eager: f[2], size: f[3] }; });
    buildGroups();
    return run();
  }).catch(function (err) {
    status.textContent = "Search is unavailable right now (" + err.message + "). Please reload the page.";
  });
})();
