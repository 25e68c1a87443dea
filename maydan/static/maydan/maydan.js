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

  // The evaluation form, one competency at a time where it is narrow (a phone): steps, their progress,
  // buttons and the summary's words are in the page already (hidden until .maydan-stepping); without
  // script, or where the form is wide, every competency shows at once.
  var STEPPING_BELOW = 600;

  function steps(root) {
    root.querySelectorAll("form[data-stepper]").forEach(function (form) {
      if (form.maydanStep) { return; }
      var all = Array.prototype.slice.call(form.querySelectorAll("[data-step]"));
      // A form posted back (a draft saved) opens on the step it was left at.
      var key = (form.elements.placement ? form.elements.placement.value : "") + form.elements.action.value + ":";
      var left = (root.dataset.step || "").indexOf(key) === 0 ? Number(root.dataset.step.slice(key.length)) : 0;
      var invalid = form.querySelector("[aria-invalid=true]");
      var current = invalid ? all.indexOf(invalid.closest("[data-step]")) : left;
      function show(index, focus) {
        current = Math.max(0, Math.min(all.length - 1, index));
        root.dataset.step = key + current;
        all.forEach(function (step, i) { step.classList.toggle("maydan-step-current", i === current); });
        if (all[current].hasAttribute("data-summary")) { summarise(form); }
        if (focus && form.classList.contains("maydan-stepping")) {
          var heading = all[current].querySelector("legend, h3");
          heading.setAttribute("tabindex", "-1");
          heading.focus();
          all[current].scrollIntoView({ block: "start" });
        }
      }
      form.maydanStep = function (to, focus) {
        show(typeof to === "number" ? to : all.indexOf(to), focus);
      };
      form.maydanStepBy = function (by) { show(current + by, true); };
      function fit() { form.classList.toggle("maydan-stepping", form.clientWidth < STEPPING_BELOW); }
      show(current < 0 ? 0 : current, false);
      fit();
      if (window.ResizeObserver) { new ResizeObserver(fit).observe(form); }
    });
  }

  // What the summary step shows: each behaviour's chosen level (short) and each comment, as typed.
  function summarise(form) {
    form.querySelectorAll("[data-summary-of]").forEach(function (place) {
      var name = place.dataset.summaryOf, field = form.elements[name], text = "";
      if (field && field.tagName === "TEXTAREA") {
        text = field.value.trim();
      } else {
        var chosen = form.querySelector('input[name="' + name + '"]:checked');
        text = chosen ? chosen.dataset.short : "";
      }
      place.textContent = text || place.dataset.empty;
      place.classList.toggle("maydan-muted", !text);
    });
  }

  function bind(root) {
    labelCells(root);
    steps(root);
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
      // A form with a file goes as multipart, the file with it; any other as url-encoded text.
      var data = new FormData(form);
      if (form.enctype !== "multipart/form-data") { data = new URLSearchParams(data); }
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
        steps(root);
        enableCopy(root);
        root.removeAttribute("aria-busy");
        // The first field a refusal names takes the focus (its step is shown); else the message.
        var problem = root.querySelector("[aria-invalid=true]") || root.querySelector(".maydan-error, .maydan-notice");
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
    // The evaluation form's step buttons.
    var step = event.target.closest && event.target.closest("button[data-step-go], button[data-step-to]");
    if (step && step.form && step.form.maydanStep) {
      if (step.dataset.stepTo) { step.form.maydanStep(Number(step.dataset.stepTo), true); }
      else { step.form.maydanStepBy(Number(step.dataset.stepGo)); }
      return;
    }
    // An error summary's link moves the focus to the field its message is about (showing its step first).
    var link = event.target.closest && event.target.closest(".maydan-error-summary a[href^='#err-']");
    if (link) {
      var field_ = document.querySelector('[aria-describedby~="' + link.getAttribute("href").slice(1) + '"]');
      if (field_) {
        event.preventDefault();
        if (field_.form && field_.form.maydanStep) { field_.form.maydanStep(field_.closest("[data-step]"), false); }
        field_.focus();
      }
    }
  });

  function bindAll() {
    document.querySelectorAll(".maydan").forEach(function (root) {
      enableCopy(root);
      if (root.dataset.endpoint) { bind(root); } else { labelCells(root); steps(root); }
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", bindAll);
  } else {
    bindAll();
  }
})();
