/* Studio editor of a Maydan case simulation. No user-facing text here: messages come from the server. */
function MaydanSimulationStudio(runtime, element) {
  "use strict";
  var el = element.querySelector ? element : element[0];
  var root = el.querySelector(".maydan-studio");
  var form = root.querySelector("form");
  var alert = root.querySelector(".maydan-error");
  var problems = root.querySelector(".maydan-problems");
  var preview = root.querySelector(".maydan-sim-preview");
  if (window.MaydanScenarioEditor) { window.MaydanScenarioEditor.mountAll(el); }

  function cookie(name) {
    var match = document.cookie.match(new RegExp("(?:^|; )" + name + "=([^;]*)"));
    return match ? decodeURIComponent(match[1]) : "";
  }
  function notify(name, data) {
    if (runtime.notify) { runtime.notify(name, data); }
  }
  function values() {
    var data = {};
    new FormData(form).forEach(function (value, key) { data[key] = value; });
    if (!("undo_allowed" in data)) { data.undo_allowed = ""; }
    return data;
  }
  function send(handler, then) {
    fetch(runtime.handlerUrl(el, handler), {
      method: "POST",
      body: JSON.stringify(values()),
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": cookie("csrftoken") }
    }).then(function (response) {
      return response.json().then(function (body) { return { ok: response.ok, body: body }; });
    }).then(function (answer) {
      problems.innerHTML = "";
      problems.hidden = true;
      if (answer.ok) { alert.hidden = true; then(answer.body); return; }
      alert.textContent = answer.body.error || "";
      alert.hidden = false;
      ((answer.body.errors || {}).scenario || []).forEach(function (message) {
        var item = document.createElement("li");
        item.textContent = message;
        problems.appendChild(item);
        problems.hidden = false;
      });
      notify("error", { title: "", message: answer.body.error || "" });
      alert.setAttribute("tabindex", "-1");
      alert.focus();
    });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    notify("save", { state: "start" });
    send("studio_submit", function () { notify("save", { state: "end" }); });
  });
  root.querySelector("[data-preview-button]").addEventListener("click", function () {
    send("studio_preview", function (body) { preview.innerHTML = body.html; });
  });
  root.querySelector("[data-import-button]").addEventListener("click", function () {
    var body = new FormData();
    var input = form.querySelector("input[name=file]");
    if (input.files.length) { body.append("file", input.files[0]); }
    fetch(runtime.handlerUrl(el, "studio_import"), {
      method: "POST", body: body, credentials: "same-origin", headers: { "X-CSRFToken": cookie("csrftoken") }
    }).then(function (response) {
      return response.json().then(function (answer) { return { ok: response.ok, body: answer }; });
    }).then(function (answer) {
      var report = root.querySelector(".maydan-sim-import-report");
      if (!answer.ok) { alert.textContent = answer.body.error || ""; alert.hidden = false; alert.focus(); return; }
      alert.hidden = true;
      report.innerHTML = answer.body.html;
      form.querySelector("textarea[name=source]").value = answer.body.source;
      var editor = root.querySelector("[data-scenario-editor]");
      if (editor && editor.maydanEditor) { editor.maydanEditor.open(answer.body.scenario, "yaml"); }
    });
  });
  var mediaForm = root.querySelector(".maydan-sim-media");
  if (mediaForm) {
    mediaForm.addEventListener("submit", function (event) {
      event.preventDefault();
      var notice = mediaForm.querySelector(".maydan-notice");
      var fieldErrors = mediaForm.querySelector(".maydan-field-error");
      var input = mediaForm.querySelector("input[name=media]");
      fetch(mediaForm.getAttribute("action"), {
        method: "POST", body: new FormData(mediaForm), credentials: "same-origin",
        headers: { "X-CSRFToken": cookie("csrftoken") }
      }).then(function (response) {
        return response.json().then(function (answer) { return { ok: response.ok, body: answer }; });
      }).then(function (answer) {
        fieldErrors.innerHTML = "";
        fieldErrors.hidden = answer.ok;
        notice.hidden = !answer.ok;
        input.removeAttribute("aria-invalid");
        if (answer.ok) {
          notice.textContent = answer.body.notice;
          mediaForm.querySelector("[data-media-list]").innerHTML = answer.body.html;
          input.value = "";
          return;
        }
        var messages = (answer.body.errors || {}).media || [answer.body.error || ""];
        messages.forEach(function (message) {
          var item = document.createElement("li");
          item.textContent = message;
          fieldErrors.appendChild(item);
        });
        input.setAttribute("aria-invalid", "true");
        input.focus();
      });
    });
  }
  // A scenario saved in the visual editor becomes the one this component shows once Studio's Save is pressed.
  root.addEventListener("maydan-scenario-saved", function (event) {
    var select = form.querySelector("select[name=scenario]");
    var key = event.detail.key, option = select.querySelector("option[value='" + key + "']");
    if (!option) { option = document.createElement("option"); option.value = key; option.textContent = key; select.appendChild(option); }
    select.value = key;
  });
  root.querySelector("[data-cancel]").addEventListener("click", function () { notify("cancel", {}); });
}
