/* Rows added and removed in place ([data-rows]: a list [data-row-list] of [data-row], a <template data-row-template>,
 * buttons [data-add-row] and [data-remove-row]). Without a script the buttons stay hidden and a row is removed by
 * emptying it. No user-facing text here. */
(function () {
  "use strict";
  if (window.MaydanRows) { return; }
  function show(root) {
    root.querySelectorAll("[data-rows] [data-add-row], [data-rows] [data-remove-row]").forEach(function (b) { b.hidden = false; });
  }
  function name(row) {
    var select = row.querySelector("select");
    return select && select.value ? select.options[select.selectedIndex].text : "";
  }
  function labelRemove(row) {
    var button = row.querySelector("[data-remove-row]");
    if (!button) { return; }
    var what = name(row);
    button.setAttribute("aria-label", what ? button.textContent.trim() + ": " + what : button.textContent.trim());
  }
  document.addEventListener("click", function (event) {
    var add = event.target.closest("[data-add-row]"), remove = event.target.closest("[data-remove-row]");
    if (add) {
      var box = add.closest("[data-rows]");
      var row = box.querySelector("template[data-row-template]").content.firstElementChild.cloneNode(true);
      box.querySelector("[data-row-list]").appendChild(row);
      show(box);
      row.querySelector("select, input").focus();
    } else if (remove) {
      var list = remove.closest("[data-row-list]"), gone = remove.closest("[data-row]");
      var next = gone.nextElementSibling || gone.previousElementSibling;
      gone.remove();
      var focus = next ? next.querySelector("select, input") : list.closest("[data-rows]").querySelector("[data-add-row]");
      if (focus) { focus.focus(); }
    }
  });
  document.addEventListener("change", function (event) {
    var row = event.target.closest("[data-rows] [data-row]");
    if (row) { labelRemove(row); }
  });
  window.MaydanRows = function (root) {
    show(root);
    root.querySelectorAll("[data-rows] [data-row]").forEach(labelRemove);
  };
  function all() { window.MaydanRows(document); }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", all); } else { all(); }
})();
