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
    // Multipart, so that the school's logo travels with the settings; a file input left empty is not sent.
    var data = new FormData(form);
    form.querySelectorAll("input[type=file]").forEach(function (input) {
      if (!input.files.length) { data.delete(input.name); }
    });
    notify("save", { state: "start" });
    fetch(url, {
      method: "POST",
      body: data,
      credentials: "same-origin",
      headers: { "X-CSRFToken": cookie("csrftoken") }
    }).then(function (response) {
      return response.json().then(function (body) { return { ok: response.ok, body: body }; });
    }).then(function (answer) {
      form.querySelectorAll("[aria-invalid]").forEach(function (input) { input.removeAttribute("aria-invalid"); });
      form.querySelectorAll(".maydan-field-error[data-errors-for]").forEach(function (list) { list.remove(); });
      if (answer.ok) {
        alert.hidden = true;
        form.querySelectorAll("input[type=file]").forEach(function (input) { input.value = ""; });
        notify("save", { state: "end" });
        return;
      }
      alert.textContent = answer.body.error || "";
      alert.hidden = false;
      // Each field's messages beside it, tied to it for screen readers.
      Object.keys(answer.body.errors || {}).forEach(function (name) {
        var input = form.querySelector("[name='" + name + "'], [data-field='" + name + "']");
        if (!input) { return; }
        var list = document.createElement("ul");
        list.className = "maydan-field-error";
        list.setAttribute("data-errors-for", name);
        list.id = "maydan-errors-" + name + "-" + Math.random().toString(36).slice(2);
        answer.body.errors[name].forEach(function (message) {
          var item = document.createElement("li");
          item.textContent = message;
          list.appendChild(item);
        });
        (input.closest("label") || input).insertAdjacentElement("afterend", list);
        input.setAttribute("aria-invalid", "true");
        input.setAttribute("aria-describedby", list.id);
      });
      notify("error", { title: "", message: answer.body.error || "" });
      alert.setAttribute("tabindex", "-1");
      alert.focus();
    });
  });
  if (window.MaydanRows) { window.MaydanRows(root); }
  root.querySelector("[data-cancel]").addEventListener("click", function () { notify("cancel", {}); });
}
