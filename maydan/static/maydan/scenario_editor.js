/* The visual editor of a case scenario, shared by Studio and the LTI authoring page.
 *
 * The scenario is kept as the very data its YAML/JSON file holds and edited in place, so what the
 * editor does not know (a framework of competencies, keys of a later version) is saved as it
 * came. The server checks it (problems come back tied to their nodes), previews it with the engine
 * and saves it. No user-facing text lives here: the page gives the labels in its language. */
(function () {
  "use strict";
  var SVG = "http://www.w3.org/2000/svg";
  var COLUMN = 230, BOX_W = 190, BOX_H = 64, GAP = 22, HEAD = 44, PAD = 56;

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (key) {
      if (key === "text") { node.textContent = attrs[key]; }
      else if (key === "className") { node.className = attrs[key]; }
      else if (attrs[key] !== null && attrs[key] !== undefined && attrs[key] !== false) { node.setAttribute(key, attrs[key]); }
    });
    (children || []).forEach(function (child) { if (child) { node.appendChild(child); } });
    return node;
  }
  function svg(tag, attrs) {
    var node = document.createElementNS(SVG, tag);
    Object.keys(attrs || {}).forEach(function (key) { node.setAttribute(key, attrs[key]); });
    return node;
  }
  function cookie(name) {
    var match = document.cookie.match(new RegExp("(?:^|; )" + name + "=([^;]*)"));
    return match ? decodeURIComponent(match[1]) : "";
  }
  function short(value, length) {
    value = (value || "").replace(/\s+/g, " ").trim();
    return value.length > length ? value.slice(0, length - 1) + "…" : value;
  }

  function Editor(root) {
    var config = JSON.parse(root.querySelector("script[type='application/json']").textContent);
    var L = config.labels, language = root.getAttribute("lang") || "en";
    var rtl = language === "ar";
    var languages = [language].concat(config.languages.filter(function (l) { return l !== language; }));
    var data, format, selected = null, problems = [], dirty = false, timer = null, counter = 0, mapDrawn = "";
    var preview = { node: null, variables: {} };

    // --- talking to the server -------------------------------------------------------------
    function send(request) {
      var body, headers = {};
      if (root.dataset.credential) {
        body = new URLSearchParams({ ctx: root.dataset.credential, lang: language, request: JSON.stringify(request) });
      } else {
        body = JSON.stringify(request);
        headers = { "Content-Type": "application/json", "X-CSRFToken": cookie("csrftoken") };
      }
      return fetch(root.dataset.endpoint, { method: "POST", body: body, headers: headers, credentials: "same-origin" })
        .then(function (response) {
          return response.json().then(function (answer) { answer.ok = response.ok; return answer; });
        }, function () { return { ok: false, error: L.failed }; });
    }

    // --- the page's parts ----------------------------------------------------------------------
    var status = el("p", { className: "maydan-editor-status", role: "status" });
    var alert = el("div", { className: "maydan-error", role: "alert", hidden: true });
    var checkButton = el("button", { type: "button", text: L.check, "data-editor-check": "" });
    var saveButton = el("button", { type: "button", className: "maydan-primary", text: L.save, "data-editor-save": "" });
    var newButton = el("button", { type: "button", text: L.new_scenario });
    var bar = el("div", { className: "maydan-editor-bar" }, [saveButton, checkButton, newButton]);
    var settings = el("details", { className: "maydan-editor-settings" });
    var wholeProblems = el("ul", { className: "maydan-editor-problems", hidden: true, "aria-label": L.problems_scenario });
    var phaseSelect = el("select", { name: "new_phase" });
    config.phases.forEach(function (phase) { phaseSelect.appendChild(el("option", { value: phase, text: L.phases[phase] })); });
    var addButton = el("button", { type: "button", "data-editor-add": "", text: L.add_node });
    var tools = el("div", { className: "maydan-editor-tools" },
      [el("label", { text: L.new_node_phase }, [phaseSelect]), addButton]);
    var mapBox = el("div", { className: "maydan-editor-map", role: "region", "aria-label": L.map, tabindex: "0" });
    var form = el("div", { className: "maydan-editor-node", "aria-live": "off" });
    var previewBox = el("section", { className: "maydan-editor-preview", hidden: true, "aria-label": L.preview_heading });
    root.appendChild(el("h2", { text: L.map }));
    if (config.items && config.items.length) {
      var openSelect = el("select", { name: "open_key" });
      config.items.forEach(function (item) { openSelect.appendChild(el("option", { value: item[0], text: item[1] })); });
      var openButton = el("button", { type: "button", text: L.open, "data-editor-open": "" });
      openButton.addEventListener("click", function () { load(openSelect.value); });
      root.appendChild(el("div", { className: "maydan-editor-tools" }, [el("label", { text: L.open_which }, [openSelect]), openButton]));
    }
    [bar, status, alert, settings, wholeProblems, tools,
      el("p", { className: "maydan-hint", text: L.map_help + (rtl ? " " + L.rtl_note : "") }),
      mapBox, form, previewBox].forEach(function (part) { root.appendChild(part); });

    // --- the scenario ------------------------------------------------------------------------
    function blank() {
      return { id: "", title: { en: "", ar: "" }, feedback: "immediate", variables: {},
        nodes: [{ id: "start", type: "choice", phase: "study", text: { en: "", ar: "" }, choices: [] }] };
    }
    function nodes() { return Array.isArray(data.nodes) ? data.nodes : (data.nodes = []); }
    function byId(id) { return nodes().filter(function (n) { return n && n.id === id; })[0]; }
    function variables() { return data.variables && typeof data.variables === "object" ? data.variables : {}; }
    function framework() {
      if (data.competencies && typeof data.competencies === "object") {
        return Object.keys(data.competencies).map(function (key) {
          var names = data.competencies[key] || {};
          return [key, names[language] || names.en || key];
        });
      }
      return Object.keys(config.epas).map(function (key) { return [key, key + ". " + config.epas[key]]; });
    }
    function targetsOf(node) {
      if (node.type === "choice") { return (node.choices || []).map(function (c) { return [c && c.next, c && c.id]; }); }
      if (node.type === "branch") { return (node.branches || []).map(function (b) { return [b && b.next, b && b["if"]]; }); }
      if (node.type === "free_text") { return [[node.next, ""]]; }
      return [];
    }
    function freshId(stem) {
      var id;
      do { counter += 1; id = stem + "-" + counter; } while (byId(id));
      return id;
    }
    function newNode(phase, type) {
      var node = { id: freshId(phase), type: type || "choice", phase: phase, text: { en: "", ar: "" } };
      if (node.type === "choice") { node.choices = []; }
      nodes().push(node);
      return node;
    }
    function textOf(value) {
      return value && typeof value === "object" ? (value[language] || value.en || value.ar || "") : "";
    }
    function problemsOf(id) { return problems.filter(function (p) { return p.node === id; }); }

    function load(key) {
      send({ "do": "load", key: key }).then(function (answer) {
        if (!answer.ok) { return refuse(answer); }
        open(answer.scenario, answer.format);
      });
    }
    function open(scenario, kind) {
      data = scenario && typeof scenario === "object" ? scenario : blank();
      format = kind || "yaml";
      selected = null;
      problems = [];
      dirty = false;
      previewBox.hidden = true;
      drawSettings();
      drawMap();
      drawForm();
      check();
    }

    // --- every edit ---------------------------------------------------------------------------
    function changed(redrawForm) {
      dirty = true;
      status.textContent = L.unsaved;
      drawMap();
      if (redrawForm) { drawForm(); }
      clearTimeout(timer);
      timer = setTimeout(check, 700);
    }
    function check() {
      clearTimeout(timer);
      return send({ "do": "check", scenario: data }).then(function (answer) {
        if (!answer.ok) { return refuse(answer); }
        alert.hidden = true;
        show(answer.problems);
        if (!dirty) { status.textContent = answer.problems.length ? "" : L.no_problems; }
      });
    }
    function show(found) {
      problems = found || [];
      wholeProblems.innerHTML = "";
      var known = {};
      nodes().forEach(function (n) { if (n && n.id) { known[n.id] = true; } });
      problems.filter(function (p) { return !p.node || !known[p.node]; }).forEach(function (p) {
        wholeProblems.appendChild(el("li", { text: p.message }));
      });
      wholeProblems.hidden = !wholeProblems.children.length;
      root.dataset.problems = String(problems.length);
      drawMap();
      drawNodeProblems();
    }
    function refuse(answer) {
      alert.hidden = false;
      alert.textContent = answer.error || L.failed;
      if (answer.problems) { show(answer.problems); }
    }
    function save() {
      clearTimeout(timer);
      saveButton.disabled = true;
      send({ "do": "save", scenario: data, format: format }).then(function (answer) {
        saveButton.disabled = false;
        if (!answer.ok) {
          refuse(answer);
          alert.setAttribute("tabindex", "-1");
          alert.focus();
          return;
        }
        alert.hidden = true;
        dirty = false;
        status.textContent = answer.notice || L.saved;
        show([]);
        root.dispatchEvent(new CustomEvent("maydan-scenario-saved", { bubbles: true, detail: { key: answer.key } }));
      });
    }
    saveButton.addEventListener("click", save);
    checkButton.addEventListener("click", check);
    newButton.addEventListener("click", function () { open(null, "yaml"); });
    addButton.addEventListener("click", function () {
      var node = newNode(phaseSelect.value);
      if (nodes().length === 1) { data.start = node.id; }
      select(node.id);
      changed(false);
    });

    // --- form fields bound to the data ------------------------------------------------------
    function input(holder, key, attrs, after) {
      var field = el(attrs && attrs.rows ? "textarea" : "input", attrs || {});
      var value = holder[key];
      field.value = value === undefined || value === null ? "" : String(value);
      field.addEventListener(attrs && attrs.type === "number" ? "change" : "input", function () {
        var v = field.value;
        if (attrs && attrs.type === "number") {
          if (v.trim() === "") { delete holder[key]; } else { holder[key] = Number(v); }
        } else { holder[key] = v; }
        if (after) { after(); } else { changed(false); }
      });
      return field;
    }
    function labelled(text, field, className) {
      return el("label", { className: className || "" }, [el("span", { text: text }), field]);
    }
    // A text in both languages, side by side: {en, ar}; an optional one disappears when both are empty.
    function pair(holder, key, title, rows, optional) {
      var group = el("fieldset", { className: "maydan-editor-pair" }, [el("legend", { text: title })]);
      languages.forEach(function (lang) {
        var value = holder[key] && typeof holder[key] === "object" ? holder[key] : null;
        var field = el(rows ? "textarea" : "input", { rows: rows || null, lang: lang, dir: lang === "ar" ? "rtl" : "ltr",
          name: key + "_" + lang, type: rows ? null : "text" });
        field.value = value && typeof value[lang] === "string" ? value[lang] : "";
        field.addEventListener("input", function () {
          if (!holder[key] || typeof holder[key] !== "object") { holder[key] = {}; }
          holder[key][lang] = field.value;
          if (optional && !config.languages.some(function (l) { return (holder[key][l] || "").trim(); })) {
            delete holder[key];
          }
          changed(false);
        });
        group.appendChild(labelled(L.languages[lang], field));
      });
      return group;
    }
    function choose(options, current, attrs, onChange) {
      var field = el("select", attrs || {});
      options.forEach(function (option) {
        field.appendChild(el("option", { value: option[0], text: option[1], selected: String(option[0]) === String(current) }));
      });
      field.addEventListener("change", function () { onChange(field.value); });
      return field;
    }
    function targetSelect(holder, key, phase) {
      var options = [];
      if (!byId(holder[key])) { options.push([holder[key] || "", holder[key] ? holder[key] + " ?" : L.nowhere]); }
      nodes().forEach(function (n) {
        if (n && n.id) { options.push([n.id, n.id + " · " + L.phases[n.phase] + (textOf(n.text) ? " · " + short(textOf(n.text), 30) : "")]); }
      });
      options.push(["\u0000new", "+ " + L.new_target]);
      return choose(options, holder[key] || "", { name: "next" }, function (value) {
        holder[key] = value === "\u0000new" ? newNode(phase).id : value;
        changed(true);
      });
    }
    // Folded: nine check boxes under every choice would bury the choices themselves.
    function tagBoxes(holder, legend) {
      var tagged = Array.isArray(holder.competencies) ? holder.competencies.length : 0;
      var group = el("fieldset", { className: "maydan-editor-tags" }, [el("legend", { className: "maydan-visually-hidden", text: legend })]);
      var folded = el("details", { className: "maydan-editor-fold" }, [el("summary", { text: legend + (tagged ? " (" + tagged + ")" : "") }), group]);
      var own = data.competencies && typeof data.competencies === "object";
      framework().forEach(function (entry) {
        var tags = Array.isArray(holder.competencies) ? holder.competencies : [];
        var box = el("input", { type: "checkbox", value: entry[0],
          checked: tags.some(function (t) { return String(t) === entry[0]; }) });
        box.addEventListener("change", function () {
          var list = (Array.isArray(holder.competencies) ? holder.competencies : []).filter(function (t) { return String(t) !== entry[0]; });
          if (box.checked) { list.push(!own && /^\d+$/.test(entry[0]) ? Number(entry[0]) : entry[0]); }
          if (list.length) { holder.competencies = list; } else { delete holder.competencies; }
          changed(false);
        });
        group.appendChild(el("label", { className: "maydan-editor-check" }, [box, el("span", { text: entry[1] })]));
      });
      return folded;
    }
    function removeButton(text, onClick) {
      var button = el("button", { type: "button", className: "maydan-editor-remove", text: text });
      button.addEventListener("click", onClick);
      return button;
    }

    // --- the scenario's own settings -----------------------------------------------------------
    function drawSettings() {
      settings.innerHTML = "";
      settings.appendChild(el("summary", { text: L.scenario }));
      settings.appendChild(labelled(L.id, input(data, "id", { type: "text", name: "scenario_id", dir: "ltr", spellcheck: "false" })));
      settings.appendChild(pair(data, "title", L.title));
      settings.appendChild(pair(data, "summary", L.summary, 3, true));
      settings.appendChild(labelled(L.feedback_mode, choose(
        [["immediate", L.feedback_modes.immediate], ["end", L.feedback_modes.end]], data.feedback || "immediate",
        { name: "feedback" }, function (value) { data.feedback = value; changed(false); })));
      var starts = nodes().filter(function (n) { return n && n.id; }).map(function (n) { return [n.id, n.id]; });
      settings.appendChild(labelled(L.start, choose(starts, data.start || (starts[0] || [""])[0], { name: "start" },
        function (value) { data.start = value; changed(false); })));
      var group = el("fieldset", { className: "maydan-editor-variables" }, [el("legend", { text: L.variables })]);
      Object.keys(variables()).forEach(function (name) { group.appendChild(variableRow(name)); });
      var add = el("button", { type: "button", text: L.add_variable });
      add.addEventListener("click", function () {
        if (!data.variables || typeof data.variables !== "object") { data.variables = {}; }
        var name = "v" + (Object.keys(data.variables).length + 1);
        while (name in data.variables) { name += "_"; }
        data.variables[name] = 0;
        drawSettings();
        settings.open = true;
        changed(true);
      });
      group.appendChild(add);
      settings.appendChild(group);
    }
    function variableRow(name) {
      var spec = data.variables[name];
      var row = el("div", { className: "maydan-editor-row" });
      var nameField = el("input", { type: "text", name: "variable", dir: "ltr", value: name, spellcheck: "false" });
      nameField.addEventListener("change", function () { renameVariable(name, nameField.value.trim()); });
      row.appendChild(labelled(L.variable, nameField));
      ["initial", "min", "max"].forEach(function (part) {
        var value = typeof spec === "object" && spec !== null ? spec[part] : (part === "initial" ? spec : undefined);
        var field = el("input", { type: "number", step: "any", name: "variable_" + part, inputmode: "decimal" });
        field.value = value === undefined ? "" : String(value);
        field.addEventListener("change", function () {
          var current = data.variables[name];
          var object = typeof current === "object" && current !== null ? current : { initial: current };
          if (field.value.trim() === "") { delete object[part]; } else { object[part] = Number(field.value); }
          // A plain number stays a plain number until it gets a range.
          data.variables[name] = ("min" in object || "max" in object || typeof current === "object") ? object : (object.initial || 0);
          changed(false);
        });
        row.appendChild(labelled(L[part], field));
      });
      row.appendChild(removeButton(L.delete, function () {
        delete data.variables[name];
        drawSettings();
        settings.open = true;
        changed(true);
      }));
      return row;
    }
    function renameVariable(from, to) {
      if (!to || to === from || to in data.variables) { drawSettings(); return; }
      var renamed = {};
      Object.keys(data.variables).forEach(function (key) { renamed[key === from ? to : key] = data.variables[key]; });
      data.variables = renamed;
      nodes().forEach(function (n) {
        (n && n.choices || []).forEach(function (c) {
          if (c && c.effects && from in c.effects) {
            var effects = {};
            Object.keys(c.effects).forEach(function (k) { effects[k === from ? to : k] = c.effects[k]; });
            c.effects = effects;
          }
        });
      });
      drawSettings();
      settings.open = true;
      changed(true);
    }

    // --- the map -------------------------------------------------------------------------------
    function layout() {
      var order = [], seen = {}, queue = [data.start || (nodes()[0] || {}).id];
      while (queue.length) {
        var id = queue.shift(), node = byId(id);
        if (!node || seen[id]) { continue; }
        seen[id] = true;
        order.push(node);
        targetsOf(node).forEach(function (t) { queue.push(t[0]); });
      }
      nodes().forEach(function (n) { if (n && n.id && !seen[n.id]) { seen[n.id] = true; order.push(n); } });
      var rows = {}, place = {};
      config.phases.forEach(function (p) { rows[p] = 0; });
      order.forEach(function (node) {
        var column = config.phases.indexOf(node.phase);
        if (column < 0) { column = 0; }
        var phase = config.phases[column];
        var slot = rtl ? config.phases.length - 1 - column : column;
        place[node.id] = { x: PAD + slot * COLUMN + (COLUMN - BOX_W) / 2, y: HEAD + 16 + rows[phase] * (BOX_H + GAP), node: node };
        rows[phase] += 1;
      });
      var most = Math.max.apply(null, config.phases.map(function (p) { return rows[p]; }).concat([1]));
      return { place: place, width: PAD * 2 + COLUMN * config.phases.length, height: HEAD + 32 + most * (BOX_H + GAP) };
    }
    function drawMap() {
      var scroll = [mapBox.scrollLeft, mapBox.scrollTop];
      var at = layout();
      var drawn = JSON.stringify([selected, data.start, Object.keys(at.place).map(function (id) {
        var n = at.place[id].node;
        return [id, at.place[id].x, at.place[id].y, n.type, short(textOf(n.text), 80), targetsOf(n)];
      })]);
      if (drawn === mapDrawn) { markProblems(); return; }
      mapDrawn = drawn;
      var map = svg("svg", { width: at.width, height: at.height, viewBox: "0 0 " + at.width + " " + at.height,
        role: "group", "aria-label": L.map, "class": "maydan-editor-svg" });
      var defs = svg("defs");
      var marker = svg("marker", { id: "maydan-arrow-" + uid, viewBox: "0 0 10 10", refX: "9", refY: "5",
        markerWidth: "7", markerHeight: "7", orient: "auto-start-reverse" });
      marker.appendChild(svg("path", { d: "M0,0 L10,5 L0,10 z", "class": "maydan-editor-arrowhead" }));
      defs.appendChild(marker);
      map.appendChild(defs);
      config.phases.forEach(function (phase, column) {
        var slot = rtl ? config.phases.length - 1 - column : column;
        map.appendChild(svg("rect", { x: PAD + slot * COLUMN + 4, y: 8, width: COLUMN - 8, height: at.height - 16,
          rx: 10, "class": "maydan-editor-band maydan-editor-band-" + phase }));
        var head = svg("text", { x: PAD + slot * COLUMN + COLUMN / 2, y: 34, "text-anchor": "middle", "class": "maydan-editor-phase" });
        head.textContent = L.phases[phase];
        map.appendChild(head);
      });
      var edges = svg("g", { "class": "maydan-editor-edges" });
      map.appendChild(edges);
      Object.keys(at.place).forEach(function (id) {
        var from = at.place[id];
        targetsOf(from.node).forEach(function (target) {
          var to = at.place[target[0]];
          if (!to) { return; }
          var path = svg("path", { d: route(from, to), "class": "maydan-editor-edge" + (id === selected || target[0] === selected ? " is-near" : ""),
            "marker-end": "url(#maydan-arrow-" + uid + ")" });
          var title = svg("title");
          title.textContent = id + (target[1] ? " · " + target[1] : "") + " → " + target[0];
          path.appendChild(title);
          edges.appendChild(path);
        });
      });
      Object.keys(at.place).forEach(function (id) { map.appendChild(box(at.place[id], id === (data.start || (nodes()[0] || {}).id))); });
      mapBox.innerHTML = "";
      mapBox.appendChild(map);
      mapBox.scrollLeft = scroll[0];
      mapBox.scrollTop = scroll[1];
      markProblems();
    }
    // From the side of the source box facing the target (the reading direction decides left or right);
    // within one column the arrow bows out beside the boxes.
    function route(from, to) {
      var forward = rtl ? -1 : 1;
      var sy = from.y + BOX_H / 2, ty = to.y + BOX_H / 2;
      if (from.x === to.x) {
        var side = from.x + (forward > 0 ? BOX_W : 0), bow = forward * (28 + Math.min(60, Math.abs(ty - sy) / 6));
        return "M" + side + "," + sy + " C" + (side + bow) + "," + sy + " " + (side + bow) + "," + ty + " " + side + "," + ty;
      }
      var right = to.x > from.x;
      var sx = right ? from.x + BOX_W : from.x, tx = right ? to.x : to.x + BOX_W, mid = (sx + tx) / 2;
      return "M" + sx + "," + sy + " C" + mid + "," + sy + " " + mid + "," + ty + " " + tx + "," + ty;
    }
    function box(at, isStart) {
      var node = at.node;
      var label = [node.id, L.types[node.type] || node.type, short(textOf(node.text), 80)].filter(Boolean).join(" · ");
      var group = svg("g", { "class": "maydan-editor-box" + (node.id === selected ? " is-selected" : "") +
        " maydan-editor-type-" + node.type, tabindex: "0", role: "button", "aria-label": label, "data-label": label,
        "data-node": node.id, "aria-pressed": node.id === selected ? "true" : "false",
        transform: "translate(" + at.x + "," + at.y + ")" });
      group.appendChild(svg("rect", { width: BOX_W, height: BOX_H, rx: node.type === "ending" ? 24 : 8, "class": "maydan-editor-rect" + (isStart ? " is-start" : "") }));
      var name = svg("text", { x: BOX_W / 2, y: 24, "text-anchor": "middle", "class": "maydan-editor-id", direction: "ltr" });
      name.textContent = short(node.id, 22);
      var body = svg("text", { x: BOX_W / 2, y: 46, "text-anchor": "middle", "class": "maydan-editor-text" });
      body.textContent = short(textOf(node.text) || L.types[node.type] || "", 24);
      group.appendChild(name);
      group.appendChild(body);
      group.addEventListener("click", function () { select(node.id, true); });
      group.addEventListener("keydown", function (event) {
        if (event.key === "Enter" || event.key === " ") { event.preventDefault(); select(node.id, true); }
      });
      return group;
    }
    // Problems change the boxes in place: a check answering while the author taps a box must not replace it.
    function markProblems() {
      mapBox.querySelectorAll("g[data-node]").forEach(function (group) {
        var found = problemsOf(group.getAttribute("data-node")).length;
        group.classList.toggle("has-problems", found > 0);
        group.setAttribute("aria-label", group.getAttribute("data-label") + (found ? " · " + found + " " + L.problem_count : ""));
        group.querySelectorAll(".maydan-editor-badge, .maydan-editor-badge-text").forEach(function (old) { old.remove(); });
        if (!found) { return; }
        var badgeX = rtl ? 14 : BOX_W - 14;
        group.appendChild(svg("circle", { cx: badgeX, cy: 14, r: 12, "class": "maydan-editor-badge" }));
        var count = svg("text", { x: badgeX, y: 19, "text-anchor": "middle", "class": "maydan-editor-badge-text" });
        count.textContent = String(found);
        group.appendChild(count);
      });
    }
    function select(id, focusForm) {
      selected = id;
      drawMap();
      drawForm();
      if (focusForm) {
        var heading = form.querySelector("h3");
        if (heading) { heading.focus(); }
      }
    }

    // --- the node's form -------------------------------------------------------------------
    function drawNodeProblems() {
      var list = form.querySelector(".maydan-editor-node-problems");
      if (!list) { return; }
      list.innerHTML = "";
      problemsOf(selected).forEach(function (p) { list.appendChild(el("li", { text: p.message })); });
      list.hidden = !list.children.length;
    }
    function drawForm() {
      form.innerHTML = "";
      var node = byId(selected);
      if (!node) { selected = null; return; }
      form.appendChild(el("h3", { tabindex: "-1", text: L.edit_node + ": " }, [el("bdi", { dir: "ltr", text: node.id })]));
      form.appendChild(el("ul", { className: "maydan-editor-problems maydan-editor-node-problems", role: "alert", hidden: true }));
      drawNodeProblems();
      var idField = el("input", { type: "text", name: "node_id", dir: "ltr", value: node.id, spellcheck: "false" });
      idField.addEventListener("change", function () { renameNode(node, idField.value.trim()); });
      var top = el("div", { className: "maydan-editor-row" }, [
        labelled(L.id, idField),
        labelled(L.type, choose(config.types.map(function (t) { return [t, L.types[t]]; }), node.type, { name: "node_type" },
          function (value) { retype(node, value); })),
        labelled(L.phase, choose(config.phases.map(function (p) { return [p, L.phases[p]]; }), node.phase, { name: "node_phase" },
          function (value) { node.phase = value; changed(false); }))
      ]);
      form.appendChild(top);
      form.appendChild(pair(node, "text", L.text, 3, node.type === "branch"));
      if (node.type === "choice" || node.type === "free_text") { form.appendChild(pair(node, "hint", L.hint, 2, true)); }
      form.appendChild(mediaPart(node));
      form.appendChild(tagBoxes(node, L.competencies));
      if (node.type === "choice") { form.appendChild(choicesPart(node)); }
      if (node.type === "branch") { form.appendChild(branchesPart(node)); }
      if (node.type === "free_text") {
        form.appendChild(el("div", { className: "maydan-editor-row" }, [
          labelled(L.next, targetSelect(node, "next", node.phase)),
          labelled(L.points, input(node, "points", { type: "number", min: "0", step: "any", name: "points" }))]));
      }
      if (node.type === "ending") {
        form.appendChild(labelled(L.outcome, choose(config.outcomes.map(function (o) { return [o, L.outcomes[o]]; }),
          node.outcome || "mixed", { name: "outcome" }, function (value) { node.outcome = value; changed(false); })));
      }
      var previewButton = el("button", { type: "button", "data-editor-preview": "", text: L.preview });
      previewButton.addEventListener("click", function () { openPreview(node.id); });
      var deleteButton = removeButton(L.delete_node, function () { deleteNode(node); });
      deleteButton.setAttribute("data-editor-delete-node", "");
      form.appendChild(el("div", { className: "maydan-editor-bar" }, [previewButton, deleteButton]));
    }
    // Every arrow that leads to `from`: [the object holding `next`, the node it belongs to].
    function arrowsTo(from) {
      var found = [];
      nodes().forEach(function (n) {
        if (!n) { return; }
        (Array.isArray(n.choices) ? n.choices : []).forEach(function (c) { if (c && c.next === from) { found.push([c, n]); } });
        (Array.isArray(n.branches) ? n.branches : []).forEach(function (b) { if (b && b.next === from) { found.push([b, n]); } });
        if (n.type === "free_text" && n.next === from) { found.push([n, n]); }
      });
      return found;
    }
    function renameNode(node, to) {
      if (!to || to === node.id || byId(to)) { drawForm(); return; }
      var from = node.id;
      arrowsTo(from).forEach(function (arrow) { arrow[0].next = to; });
      if (data.start === from) { data.start = to; }
      node.id = to;
      selected = to;
      drawSettings();
      changed(true);
    }
    // No arrow is left pointing at a node that is gone: each is emptied (the validator then marks the
    // node it starts from), and a deleted first node hands the start to the first node left.
    function deleteNode(node) {
      var arrows = arrowsTo(node.id).filter(function (arrow) { return arrow[1] !== node; });
      var from = [];
      arrows.forEach(function (arrow) { if (from.indexOf(arrow[1].id) < 0) { from.push(arrow[1].id); } });
      var isStart = (data.start || (nodes()[0] || {}).id) === node.id;
      var question = [L.delete_confirm];
      if (from.length) { question.push(L.delete_arrows.replace("%(nodes)s", from.join(rtl ? "، " : ", "))); }
      if (isStart) { question.push(L.delete_start); }
      if (!window.confirm(question.join("\n\n"))) { return; }
      arrows.forEach(function (arrow) { arrow[0].next = ""; });
      data.nodes = nodes().filter(function (n) { return n !== node; });
      var first = nodes().filter(function (n) { return n && n.id; })[0];
      if (isStart) { if (first) { data.start = first.id; } else { delete data.start; } }
      else if (data.start === node.id) { delete data.start; }
      selected = from.length ? from[0] : null;
      drawSettings();
      changed(true);
      status.textContent = from.length ? L.deleted_arrows.replace("%(nodes)s", from.join(rtl ? "، " : ", ")) : L.deleted;
    }
    // A node's image, recording or video: its file (one, or one per language), and what stands in for
    // it in both languages (an image's description; a recording's transcript or WebVTT captions).
    function mediaPart(node) {
      var media = node.media && typeof node.media === "object" ? node.media : null;
      var part = el("fieldset", { className: "maydan-editor-media" }, [el("legend", { text: L.media })]);
      var kinds = [["", L.media_kinds.none]].concat(["image", "audio", "video"].map(function (k) { return [k, L.media_kinds[k]]; }));
      var kindSelect = choose(kinds, media ? media.kind || "" : "", { name: "media_kind" }, function (value) {
        if (!value) { delete node.media; }
        else {
          var now = node.media && typeof node.media === "object" ? node.media : (node.media = { src: "" });
          var ordered = { kind: value };
          Object.keys(now).forEach(function (key) { if (key !== "kind") { ordered[key] = now[key]; } });
          if (value === "image") { delete ordered.transcript; delete ordered.captions; if (!ordered.alt) { ordered.alt = { en: "", ar: "" }; } }
          else { delete ordered.alt; }
          node.media = ordered;
        }
        changed(true);
        var again = form.querySelector("select[name=media_kind]");
        if (again) { again.focus(); }
      });
      part.appendChild(labelled(L.media_kind, kindSelect));
      if (!media) { return part; }
      var listId = uid + "-media";
      if (config.media && config.media.length && !document.getElementById(listId)) {
        root.appendChild(el("datalist", { id: listId }, config.media.map(function (name) { return el("option", { value: name }); })));
      }
      function fileField(holder, key, name, lang) {
        var field = el("input", { type: "text", name: name, dir: "ltr", spellcheck: "false", autocomplete: "off",
          list: config.media && config.media.length ? listId : null, lang: lang || null });
        field.value = typeof holder[key] === "string" ? holder[key] : "";
        field.addEventListener("input", function () { holder[key] = field.value.trim(); changed(false); });
        return field;
      }
      var perLanguage = Boolean(media.src) && typeof media.src === "object";
      var split = el("input", { type: "checkbox", name: "media_per_language", checked: perLanguage });
      split.addEventListener("change", function () {
        var one = typeof media.src === "string" ? media.src : (media.src && (media.src[language] || media.src.en)) || "";
        media.src = split.checked ? { en: one, ar: one } : one;
        changed(true);
      });
      var files = el("div", { className: "maydan-editor-row" });
      if (perLanguage) {
        languages.forEach(function (lang) {
          files.appendChild(labelled(L.media_src + " (" + L.languages[lang] + ")", fileField(media.src, lang, "media_src_" + lang, lang)));
        });
      } else {
        files.appendChild(labelled(L.media_src, fileField(media, "src", "media_src")));
      }
      part.appendChild(files);
      part.appendChild(el("label", { className: "maydan-editor-check" }, [split, el("span", { text: L.media_per_language })]));
      if (config.media && config.media.length) { part.appendChild(el("p", { className: "maydan-hint", text: L.media_uploaded })); }
      if (media.kind === "image") {
        part.appendChild(pair(media, "alt", L.media_alt, 2));
        return part;
      }
      part.appendChild(pair(media, "transcript", L.media_transcript, 3, true));
      var captions = el("fieldset", { className: "maydan-editor-row" }, [el("legend", { text: L.media_captions })]);
      languages.forEach(function (lang) {
        var holder = media.captions && typeof media.captions === "object" ? media.captions : {};
        var field = fileField(holder, lang, "media_captions_" + lang, lang);
        field.addEventListener("input", function () {
          var value = field.value.trim();
          if (!media.captions || typeof media.captions !== "object") { media.captions = {}; }
          if (value) { media.captions[lang] = value; } else { delete media.captions[lang]; }
          if (!Object.keys(media.captions).length) { delete media.captions; }
        });
        captions.appendChild(labelled(L.languages[lang], field));
      });
      part.appendChild(captions);
      return part;
    }
    function retype(node, type) {
      node.type = type;
      if (type !== "choice") { delete node.choices; } else if (!Array.isArray(node.choices)) { node.choices = []; }
      if (type !== "branch") { delete node.branches; } else if (!Array.isArray(node.branches)) { node.branches = [{ next: "" }]; }
      if (type !== "free_text") { delete node.points; if (type !== "choice") { delete node.hint; } }
      if (type === "free_text" && node.next === undefined) { node.next = ""; }
      if (type !== "free_text") { delete node.next; }
      if (type !== "ending") { delete node.outcome; }
      if (type === "branch" || type === "ending") { delete node.hint; }
      changed(true);
    }
    function choicesPart(node) {
      var part = el("fieldset", { className: "maydan-editor-list" }, [el("legend", { text: L.choices })]);
      var choices = Array.isArray(node.choices) ? node.choices : (node.choices = []);
      choices.forEach(function (choice, index) {
        if (!choice || typeof choice !== "object") { return; }
        var item = el("fieldset", { className: "maydan-editor-item", "data-choice": choice.id || "" },
          [el("legend", { text: L.choice + " " + (index + 1) })]);
        var idField = input(choice, "id", { type: "text", name: "choice_id", dir: "ltr", spellcheck: "false" });
        item.appendChild(el("div", { className: "maydan-editor-row" }, [
          labelled(L.id, idField),
          labelled(L.score, input(choice, "score", { type: "number", step: "any", name: "score", inputmode: "decimal" })),
          labelled(L.next, targetSelect(choice, "next", node.phase))]));
        item.appendChild(pair(choice, "text", L.text, 2));
        item.appendChild(pair(choice, "feedback", L.feedback, 2, true));
        var names = Object.keys(variables());
        if (names.length) {
          var effects = el("fieldset", { className: "maydan-editor-row" }, [el("legend", { text: L.effects })]);
          names.forEach(function (name) {
            var holder = choice.effects && typeof choice.effects === "object" ? choice.effects : {};
            var field = el("input", { type: "number", step: "any", name: "effect_" + name, inputmode: "decimal" });
            field.value = name in holder ? String(holder[name]) : "";
            field.addEventListener("change", function () {
              if (!choice.effects || typeof choice.effects !== "object") { choice.effects = {}; }
              if (field.value.trim() === "") { delete choice.effects[name]; } else { choice.effects[name] = Number(field.value); }
              if (!Object.keys(choice.effects).length) { delete choice.effects; }
              changed(false);
            });
            effects.appendChild(labelled(name, field));
          });
          item.appendChild(effects);
        }
        item.appendChild(tagBoxes(choice, L.competencies));
        item.appendChild(removeButton(L.delete, function () { choices.splice(index, 1); changed(true); }));
        part.appendChild(item);
      });
      var add = el("button", { type: "button", "data-editor-add-choice": "", text: L.add_choice });
      add.addEventListener("click", function () {
        var id = "c" + (choices.length + 1);
        while (choices.some(function (c) { return c && c.id === id; })) { id += "x"; }
        choices.push({ id: id, text: { en: "", ar: "" }, score: 0, next: "" });
        changed(true);
        var items = form.querySelectorAll(".maydan-editor-item");
        if (items.length) { items[items.length - 1].querySelector("textarea, input").focus(); }
      });
      part.appendChild(add);
      return part;
    }
    function branchesPart(node) {
      var part = el("fieldset", { className: "maydan-editor-list" }, [el("legend", { text: L.branches })]);
      var branches = Array.isArray(node.branches) ? node.branches : (node.branches = []);
      branches.forEach(function (branch, index) {
        if (!branch || typeof branch !== "object") { return; }
        var condition = el("input", { type: "text", name: "condition", dir: "ltr", spellcheck: "false",
          placeholder: index === branches.length - 1 ? L.otherwise : "" });
        condition.value = typeof branch["if"] === "string" ? branch["if"] : "";
        condition.addEventListener("input", function () {
          if (condition.value.trim()) { branch["if"] = condition.value; } else { delete branch["if"]; }
          changed(false);
        });
        part.appendChild(el("div", { className: "maydan-editor-row maydan-editor-item" }, [
          labelled(L.condition, condition), labelled(L.next, targetSelect(branch, "next", node.phase)),
          removeButton(L.delete, function () { branches.splice(index, 1); changed(true); })]));
      });
      var add = el("button", { type: "button", text: L.add_branch });
      add.addEventListener("click", function () { branches.splice(Math.max(0, branches.length - 1), 0, { "if": "", next: "" }); changed(true); });
      part.appendChild(add);
      return part;
    }

    // --- the preview: the engine plays the scenario from a node, with chosen values -------------
    function openPreview(id) {
      previewBox.hidden = false;
      previewBox.innerHTML = "";
      preview = { node: id, variables: {} };
      previewBox.appendChild(el("h3", { tabindex: "-1", text: L.preview_heading + ": " }, [el("bdi", { dir: "ltr", text: id })]));
      var values = el("fieldset", { className: "maydan-editor-row" }, [el("legend", { text: L.preview_values })]);
      Object.keys(variables()).forEach(function (name) {
        var spec = data.variables[name];
        var field = el("input", { type: "number", step: "any", name: "preview_" + name, inputmode: "decimal",
          value: String(typeof spec === "object" && spec !== null ? (spec.initial || 0) : spec) });
        values.appendChild(labelled(name, field));
      });
      var start = el("button", { type: "button", className: "maydan-primary", "data-preview-start": "", text: L.preview_start });
      var close = el("button", { type: "button", text: L.close });
      var output = el("div", { className: "maydan-editor-preview-output", "aria-live": "polite" });
      start.addEventListener("click", function () {
        var chosen = {};
        values.querySelectorAll("input").forEach(function (field) { chosen[field.name.slice(8)] = field.value; });
        play({ node: id, variables: chosen }, output);
      });
      close.addEventListener("click", function () { previewBox.hidden = true; select(id, true); });
      output.addEventListener("click", function (event) {
        var button = event.target.closest("button");
        if (!button) { return; }
        var request = { node: preview.node, variables: preview.variables };
        if (button.hasAttribute("data-preview-choice")) { request.choice = button.getAttribute("data-preview-choice"); }
        else if (button.hasAttribute("data-preview-answer")) { request.answer = true; }
        else { return; }
        play(request, output);
      });
      if (values.children.length > 1) { previewBox.appendChild(values); }
      previewBox.appendChild(el("div", { className: "maydan-editor-bar" }, [start, close]));
      previewBox.appendChild(output);
      previewBox.querySelector("h3").focus();
    }
    function play(request, output) {
      request["do"] = "preview";
      request.scenario = data;
      send(request).then(function (answer) {
        if (!answer.ok) { output.innerHTML = ""; output.appendChild(el("p", { className: "maydan-error", text: answer.error })); if (answer.problems) { show(answer.problems); } return; }
        preview = { node: answer.node, variables: answer.variables };
        output.innerHTML = answer.html;
      });
    }

    var uid = "e" + Math.random().toString(36).slice(2, 8);
    open(config.scenario, config.format);
    return { data: function () { return data; }, open: open, check: check, save: save, select: select };
  }

  function mountAll(scope) {
    (scope || document).querySelectorAll("[data-scenario-editor]").forEach(function (root) {
      if (!root.maydanEditor) { root.maydanEditor = new Editor(root); }
    });
  }
  window.MaydanScenarioEditor = { mountAll: mountAll };
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", function () { mountAll(); }); }
  else { mountAll(); }
}());
