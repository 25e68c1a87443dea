/* Maydan screens: every form posts back to the screen's endpoint and the answer replaces
 * the screen. No user-facing text lives here: the server renders it in the user's language. */
(function () {
  "use strict";

  function cookie(name) {
    var match = document.cookie.match(new RegExp("(?:^|; )" + name + "=([^;]*)"));
    return match ? decodeURIComponent(match[1]) : "";
  }

  // On a phone a table's rows become cards: each cell shows its column's name (data-label), taken
  // from the column headers here so no template writes it twice.
  function labelCells(root) {
    root.querySelectorAll("table.maydan-table").forEach(function (table) {
      var names = Array.prototype.map.call(table.querySelectorAll("thead th"), function (th) {
        return th.textContent.trim();
      });
      table.querySelectorAll("tbody tr").forEach(function (row) {
        Array.prototype.forEach.call(row.children, function (cell, index) {
          if (cell.tagName === "TD" && !cell.hasAttribute("data-label") && names[index]) {
            cell.setAttribute("data-label", names[index]);
          }
        });
      });
    });
  }

  function bind(root) {
    labelCells(root);
    if (root.dataset.bound) { return; }
    root.dataset.bound = "1";
    // A chosen file is read into the form's text field named by data-text-into, and posted as text;
    // UTF-16 (Teams' attendance reports, Excel's "Unicode text") is told by its byte-order mark.
    root.addEventListener("change", function (event) {
      var input = event.target;
      if (!input.dataset || !input.dataset.textInto || !input.files || !input.files[0]) { return; }
      var target = input.form && input.form.elements[input.dataset.textInto];
      if (!target) { return; }
      input.files[0].arrayBuffer().then(function (buffer) {
        var bytes = new Uint8Array(buffer);
        var encoding = bytes[0] === 0xff && bytes[1] === 0xfe ? "utf-16le"
          : bytes[0] === 0xfe && bytes[1] === 0xff ? "utf-16be" : "utf-8";
        target.value = new TextDecoder(encoding).decode(bytes);
      });
    });
    root.addEventListener("submit", function (event) {
      var form = event.target;
      // No endpoint, or a form that leaves the screen for another page (data-leave): the browser posts it.
      if (!root.dataset.endpoint || form.hasAttribute("data-leave")) { return; }
      event.preventDefault();
      var data = new URLSearchParams(new FormData(form));
      if (event.submitter && event.submitter.name) {
        data.set(event.submitter.name, event.submitter.value);
      }
      root.setAttribute("aria-busy", "true");
      fetch(root.dataset.endpoint, {
        method: "POST",
        body: data,
        credentials: "same-origin",
        headers: { "X-Requested-With": "fetch", "X-CSRFToken": cookie("csrftoken") }
      }).then(function (response) {
        root.dataset.status = String(response.status);
        return response.text();
      }).then(function (html) {
        root.innerHTML = html;
        labelCells(root);
        enableCopy(root);
        root.removeAttribute("aria-busy");
        var problem = root.querySelector("[aria-invalid=true], .maydan-error, .maydan-notice");
        if (problem) { problem.setAttribute("tabindex", "-1"); problem.focus(); }
      });
    });
  }

  // Open edX calls this with the block's element; the handler URL comes from the runtime.
  window.MaydanFieldLog = function (runtime, element) {
    var root = element.querySelector ? element.querySelector(".maydan") : element[0].querySelector(".maydan");
    root.dataset.endpoint = runtime.handlerUrl(element.querySelector ? element : element[0], "act");
    bind(root);
  };

  // Copy buttons: shown only where the Clipboard API works; the read-only field beside them works anyway.
  function enableCopy(root) {
    if (!navigator.clipboard || !window.isSecureContext) { return; }
    root.querySelectorAll("button[data-copy]").forEach(function (button) { button.hidden = false; });
  }
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("button[data-copy]");
    if (button) {
      var field = document.getElementById(button.dataset.copy);
      navigator.clipboard.writeText(field.value).then(function () {
        var done = document.querySelector('[data-copied-for="' + button.dataset.copy + '"]');
        if (done) { done.hidden = false; }
      });
      return;
    }
    // An error summary's link moves the focus to the field its message is about.
    var link = event.target.closest && event.target.closest(".maydan-error-summary a[href^='#err-']");
    if (link) {
      var field_ = document.querySelector('[aria-describedby~="' + link.getAttribute("href").slice(1) + '"]');
      if (field_) { event.preventDefault(); field_.focus(); }
    }
  });

  function bindAll() {
    document.querySelectorAll(".maydan").forEach(function (root) {
      enableCopy(root);
      if (root.dataset.endpoint) { bind(root); } else { labelCells(root); }
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", bindAll);
  } else {
    bindAll();
  }
})();
