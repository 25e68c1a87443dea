/* Studio editor of the Maydan field log. No user-facing text here: messages come from the server. */
function MaydanFieldLogStudio(runtime, element) {
  "use strict";
  var el = element.querySelector ? element : element[0];
  var root = el.querySelector(".maydan-studio");
  var form = root.querySelector("form");
  var alert = root.querySelector(".maydan-error");
  var url = runtime.handlerUrl(el, "studio_submit");

  function cookie(name) {
    var match = document.cookie.match(new RegExp("(?:^|; )" + name + "=([^;]*)"));
    return match ? decodeURIComponent(match[1]) : "";
  }
  function notify(name, data) {
    if (runtime.notify) { runtime.notify(name, data); }
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var data = {};
    new FormData(form).forEach(function (value, key) {
      if (key.indexOf("category_") === 0) { (data[key] = data[key] || []).push(value); } else { data[key] = value; }
    });
    notify("save", { state: "start" });
    fetch(url, {
      method: "POST",
      body: JSON.stringify(data),
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": cookie("csrftoken") }
    }).then(function (response) {
      return response.json().then(function (body) { return { ok: response.ok, body: body }; });
    }).then(function (answer) {
      form.querySelectorAll("[aria-invalid]").forEach(function (input) { input.removeAttribute("aria-invalid"); });
      if (answer.ok) {
        alert.hidden = true;
        notify("save", { state: "end" });
        return;
      }
      alert.textContent = answer.body.error || "";
      alert.hidden = false;
      Object.keys(answer.body.errors || {}).forEach(function (name) {
        var input = form.querySelector("[name='" + name + "'], [data-field='" + name + "']");
        if (input) { input.setAttribute("aria-invalid", "true"); }
      });
      notify("error", { title: "", message: answer.body.error || "" });
      alert.setAttribute("tabindex", "-1");
      alert.focus();
    });
  });
  if (window.MaydanRows) { window.MaydanRows(root); }
  root.querySelector("[data-cancel]").addEventListener("click", function () { notify("cancel", {}); });
}
